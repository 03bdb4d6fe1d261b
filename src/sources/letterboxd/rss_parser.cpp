#include "sources/letterboxd/rss_parser.hpp"

#include <cmath>
#include <utility>

#include "core/strings.hpp"
#include "sources/html_document.hpp"
#include "sources/letterboxd/parser_support.hpp"

namespace lbrec::sources::letterboxd {
namespace {

using detail::trim_text;
using Node = HtmlDocument::Node;

std::string field(const HtmlDocument& doc, const Node& item, const char* xpath) {
  return std::string(trim_text(doc.evaluate_string(xpath, &item)));
}

// "3.5" -> 7 half-stars; anything off the half-star scale is treated as unrated.
std::optional<int> half_stars(std::string_view text) {
  const auto stars = core::parse_double(text);
  if (!stars || !std::isfinite(*stars)) return std::nullopt;
  const double halves = *stars * 2.0;
  const double rounded = std::round(halves);
  if (std::abs(halves - rounded) > 1e-6) return std::nullopt;
  if (rounded < domain::kMinHalfStars || rounded > domain::kMaxHalfStars) return std::nullopt;
  return static_cast<int>(rounded);
}

std::optional<int> small_positive(std::string_view text) {
  const auto n = detail::parse_positive(text);
  if (!n || *n > 2000000000) return std::nullopt;
  return static_cast<int>(*n);
}

}  // namespace

core::Result<std::vector<RssEntry>> parse_rss(std::string_view xml) {
  auto parsed = HtmlDocument::parse_xml(
      xml, {{"letterboxd", "https://letterboxd.com"}, {"tmdb", "https://themoviedb.org"}});
  if (!parsed) return tl::unexpected(parsed.error());
  const HtmlDocument& doc = *parsed;
  if (!doc.first("/rss/channel")) {
    return core::fail(core::ErrorCode::kParseError, "letterboxd rss: no rss/channel element");
  }

  std::vector<RssEntry> entries;
  for (const Node& item : doc.select("/rss/channel/item")) {
    RssEntry e;
    e.watched_date = field(doc, item, "string(letterboxd:watchedDate)");
    if (e.watched_date.empty()) continue;  // list activity, not a viewing

    e.film.slug = detail::film_slug_from_path(field(doc, item, "string(link)"));
    e.film.title = field(doc, item, "string(letterboxd:filmTitle)");
    e.film.year = small_positive(field(doc, item, "string(letterboxd:filmYear)"));
    if (auto movie = small_positive(field(doc, item, "string(tmdb:movieId)"))) {
      e.film.tmdb_id = movie;
    } else if (auto tv = small_positive(field(doc, item, "string(tmdb:tvId)"))) {
      e.film.tmdb_id = tv;
      e.film.is_tv = true;
    }
    e.rating = half_stars(field(doc, item, "string(letterboxd:memberRating)"));
    e.liked = core::iequals_ascii(field(doc, item, "string(letterboxd:memberLike)"), "Yes");
    e.rewatch = core::iequals_ascii(field(doc, item, "string(letterboxd:rewatch)"), "Yes");
    e.guid = field(doc, item, "string(guid)");
    e.is_review = e.guid.starts_with("letterboxd-review-");
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace lbrec::sources::letterboxd
