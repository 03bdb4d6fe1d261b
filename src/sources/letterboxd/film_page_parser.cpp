#include "sources/letterboxd/film_page_parser.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <utility>

#include "core/strings.hpp"
#include "sources/html_document.hpp"
#include "sources/letterboxd/grid_parser.hpp"
#include "sources/letterboxd/parser_support.hpp"

namespace lbrec::sources::letterboxd {
namespace {

using detail::trim_text;
using Node = HtmlDocument::Node;

std::string eval(const HtmlDocument& doc, const char* xpath) {
  return std::string(trim_text(doc.evaluate_string(xpath)));
}

std::string text_of(const std::optional<Node>& node) {
  return node ? std::string(trim_text(node->text())) : std::string();
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The digits right after `marker` in `text` ("/movie/603/" after "/movie/"), as a positive int.
std::optional<int> number_after(std::string_view text, std::string_view marker) {
  const std::size_t at = text.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(at + marker.size());
  std::size_t n = 0;
  while (n < rest.size() && is_digit(rest[n]))
    ++n;
  const auto value = detail::parse_positive(rest.substr(0, n));
  if (!value || *value > 2000000000) return std::nullopt;
  return static_cast<int>(*value);
}

// A four-digit year at the start of `text` ("2021", "2021-05-04").
std::optional<int> leading_year(std::string_view text) {
  text = trim_text(text);
  if (text.size() < 4 || (text.size() > 4 && is_digit(text[4]))) return std::nullopt;
  const auto y = detail::parse_positive(text.substr(0, 4));
  if (!y || *y < 1000) return std::nullopt;
  return static_cast<int>(*y);
}

// The JSON-LD Movie object: the script wraps it in "/* <![CDATA[ */ ... /* ]]> */" (§6).
boost::json::object json_ld(const HtmlDocument& doc) {
  boost::json::object fallback;
  for (const Node& script : doc.select("//script[@type='application/ld+json']")) {
    const std::string text = script.text();
    const std::size_t open = text.find('{');
    const std::size_t close = text.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    boost::json::value json =
        detail::parse_json(std::string_view(text).substr(open, close - open + 1));
    auto* obj = json.if_object();
    if (obj == nullptr) continue;
    const auto* type = detail::json_string(json, "@type");
    if (type != nullptr && (*type == "Movie" || *type == "TVSeries")) return std::move(*obj);
    if (fallback.empty()) fallback = std::move(*obj);
  }
  return fallback;
}

const boost::json::value* member(const boost::json::object& obj, std::string_view key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &it->value();
}

std::string ld_string(const boost::json::object& obj, std::string_view key) {
  const auto* v = member(obj, key);
  return v != nullptr && v->is_string() ? std::string(trim_text(v->get_string())) : std::string();
}

// Strings, or objects' "name" members, from a JSON-LD value that may be one item or an array.
std::vector<std::string> ld_names(const boost::json::value* value) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  const auto take = [&](const boost::json::value& v) {
    std::string_view s;
    if (v.is_string()) {
      s = v.get_string();
    } else if (const auto* name = detail::json_string(v, "name")) {
      s = *name;
    }
    s = trim_text(s);
    if (!s.empty()) out.emplace_back(s);
  };
  if (const auto* arr = value->if_array()) {
    for (const auto& v : *arr)
      take(v);
  } else {
    take(*value);
  }
  return out;
}

std::optional<double> number_of(const boost::json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_string()) return core::parse_double(trim_text(v->get_string()));
  return std::nullopt;
}

std::optional<double> plausible_average(std::optional<double> v) {
  if (!v || !std::isfinite(*v) || *v <= 0 || *v > 5) return std::nullopt;
  return v;
}

// "98&nbsp;mins More at IMDb TMDB": the number before "min".
std::optional<int> runtime_of(std::string_view text) {
  for (std::size_t at = text.find("min"); at != std::string_view::npos;
       at = text.find("min", at + 3)) {
    std::size_t end = at;
    for (;;) {
      if (end >= 1 && (text[end - 1] == ' ' || text[end - 1] == '\t')) {
        --end;
      } else if (end >= 2 && text.substr(end - 2, 2) == "\xC2\xA0") {
        end -= 2;
      } else {
        break;
      }
    }
    std::size_t begin = end;
    while (begin > 0 && is_digit(text[begin - 1]))
      --begin;
    const bool word_start =
        begin == 0 || !std::isalnum(static_cast<unsigned char>(text[begin - 1]));
    const std::size_t after = at + 3;
    const bool word_end = after >= text.size() || text[after] == 's' ||
                          !std::isalpha(static_cast<unsigned char>(text[after]));
    if (begin < end && word_start && word_end) {
      const auto minutes = detail::parse_positive(text.substr(begin, end - begin));
      if (minutes && *minutes < 100000) return static_cast<int>(*minutes);
    }
  }
  return std::nullopt;
}

void read_tmdb(const HtmlDocument& doc, domain::FilmRef& film) {
  if (auto body = doc.first("//body")) {
    if (auto id = body->attr("data-tmdb-id")) {
      const auto n = detail::parse_positive(trim_text(*id));
      if (n && *n <= 2000000000) {
        film.tmdb_id = static_cast<int>(*n);
        film.is_tv = trim_text(body->attr("data-tmdb-type").value_or("")) == "tv";
        return;
      }
    }
  }
  // "TMDB", or "TMDb" before ~Mar 2025: compare without case (§2, §6).
  for (const Node& a : doc.select("//a[@data-track-action]")) {
    if (!core::iequals_ascii(trim_text(a.attr("data-track-action").value_or("")), "tmdb")) continue;
    const std::string href = a.attr("href").value_or("");
    if (auto movie = number_after(href, "/movie/")) {
      film.tmdb_id = movie;
      film.is_tv = false;
      return;
    }
    if (auto tv = number_after(href, "/tv/")) {
      film.tmdb_id = tv;
      film.is_tv = true;
      return;
    }
  }
}

std::string imdb_of(const HtmlDocument& doc) {
  for (const Node& a : doc.select("//a[@data-track-action]")) {
    if (!core::iequals_ascii(trim_text(a.attr("data-track-action").value_or("")), "imdb")) continue;
    const std::string href = a.attr("href").value_or("");
    for (std::size_t at = href.find("tt"); at != std::string::npos; at = href.find("tt", at + 2)) {
      std::size_t end = at + 2;
      while (end < href.size() && is_digit(href[end]))
        ++end;
      const bool bounded = (at == 0 || href[at - 1] == '/') &&
                           (end == href.size() || href[end] == '/' || href[end] == '?');
      if (end - at >= 4 && bounded) return href.substr(at, end - at);
    }
  }
  return {};
}

// The page's own poster, never one of the related films' posters (§6).
void read_letterboxd_id(const HtmlDocument& doc, domain::FilmRef& film) {
  for (const Node& poster : doc.select(
           "//*[@data-postered-identifier or @data-resolvable-poster-path]"
           "[not(ancestor::li)][not(ancestor::section[" LBREC_XPATH_CLASS("related-films") "])]")) {
    const auto slug = poster.attr("data-item-slug");
    if (slug && !film.slug.empty() && trim_text(*slug) != film.slug) continue;
    for (const char* attr : {"data-postered-identifier", "data-resolvable-poster-path"}) {
      if (auto json = poster.attr(attr)) {
        detail::PosteredIdentifier ident = detail::parse_postered_identifier(*json);
        if (!film.letterboxd_id) film.letterboxd_id = ident.letterboxd_id;
        if (film.lid.empty()) film.lid = std::move(ident.lid);
      }
    }
    if (film.letterboxd_id) return;
  }
  if (film.letterboxd_id) return;
  const std::string report =
      doc.evaluate_string("string((//*[@data-report-url]/@data-report-url)[1])");
  if (auto id = number_after(report, "/film:")) film.letterboxd_id = *id;
}

}  // namespace

core::Result<FilmPage> parse_film_page(std::string_view html) {
  auto parsed = HtmlDocument::parse(html);
  if (!parsed) return tl::unexpected(parsed.error());
  const HtmlDocument& doc = *parsed;

  const std::string og_type = eval(doc, "string((//meta[@property='og:type']/@content)[1])");
  if (og_type != "video.movie") {
    return core::fail(core::ErrorCode::kNotFound,
                      "letterboxd film page: not a film page (og:type '" + og_type + "')");
  }
  const boost::json::object ld = json_ld(doc);

  FilmPage page;
  domain::FilmRef& film = page.film;
  film.slug =
      detail::film_slug_from_path(eval(doc, "string((//meta[@property='og:url']/@content)[1])"));
  if (film.slug.empty()) film.slug = detail::film_slug_from_path(ld_string(ld, "url"));

  read_tmdb(doc, film);
  page.imdb_id = imdb_of(doc);
  read_letterboxd_id(doc, film);

  const std::string og_title = eval(doc, "string((//meta[@property='og:title']/@content)[1])");
  film.title = text_of(
      doc.first("//h1[" LBREC_XPATH_CLASS("primaryname") "]//span[" LBREC_XPATH_CLASS("name") "]"));
  if (film.title.empty())
    film.title = text_of(doc.first("//h1[" LBREC_XPATH_CLASS("filmtitle") "]"));
  if (film.title.empty()) film.title = ld_string(ld, "name");
  if (film.title.empty()) film.title = split_title_year(og_title).title;

  for (const char* xpath : {"string((//span[" LBREC_XPATH_CLASS("releasedate") "]/a)[1])",
                            "string((//div[" LBREC_XPATH_CLASS("releaseyear") "]/a)[1])",
                            "string((//small[" LBREC_XPATH_CLASS("number") "]/a)[1])"}) {
    if ((film.year = leading_year(eval(doc, xpath)))) break;
  }
  if (!film.year) {
    if (const auto* events = member(ld, "releasedEvent")) {
      const auto* first = events->is_array() && !events->get_array().empty()
                              ? &events->get_array().front()
                              : events;
      if (const auto* date = detail::json_string(*first, "startDate"))
        film.year = leading_year(*date);
    }
  }
  if (!film.year) film.year = split_title_year(og_title).year;

  for (const Node& a : doc.select("//p[" LBREC_XPATH_CLASS("credits") "]//a[" LBREC_XPATH_CLASS(
           "contributor") "][starts-with(@href, '/director/')]")) {
    const std::string name(trim_text(a.text()));
    if (!name.empty()) page.directors.push_back(name);
  }
  if (page.directors.empty()) page.directors = ld_names(member(ld, "director"));

  page.genres = ld_names(member(ld, "genre"));
  if (page.genres.empty()) {
    for (const Node& a : doc.select("//*[@id='tab-panel-genres' or @id='tab-genres']"
                                    "//a[starts-with(@href, '/films/genre/')]")) {
      const std::string name(trim_text(a.text()));
      if (!name.empty()) page.genres.push_back(name);
    }
  }

  page.runtime = runtime_of(eval(doc, "string((//p[" LBREC_XPATH_CLASS("text-footer") "])[1])"));
  page.poster_url = ld_string(ld, "image");

  // "3.61 out of 5"; only when the label says it is the average.
  const std::string data2 = eval(doc, "string((//meta[@name='twitter:data2']/@content)[1])");
  if (const std::size_t at = data2.find(" out of 5"); at != std::string::npos) {
    page.average_rating = plausible_average(core::parse_double(trim_text(data2.substr(0, at))));
  }
  if (!page.average_rating) {
    if (const auto* agg = member(ld, "aggregateRating"); agg != nullptr && agg->is_object()) {
      page.average_rating = plausible_average(number_of(member(agg->get_object(), "ratingValue")));
    }
  }
  return page;
}

}  // namespace lbrec::sources::letterboxd
