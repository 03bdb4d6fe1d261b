#include "sources/tmdb/tmdb_json.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "sources/json_fields.hpp"
#include "sources/streaming/tmdb_providers_json.hpp"

namespace lbrec::sources::tmdb {
namespace json = boost::json;

namespace {

core::Result<json::object> parse_object(std::string_view body, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return core::fail(core::ErrorCode::kParseError,
                      std::string("TMDB sent a ") + std::string(what) + " that is not JSON");
  }
  return std::move(v.get_object());
}

std::vector<domain::MovieSummary> summaries(const json::object* list_page) {
  std::vector<domain::MovieSummary> out;
  if (list_page == nullptr) return out;
  if (const auto* results = array_field(*list_page, "results")) {
    for (const auto& item : *results) {
      if (!item.is_object()) continue;
      if (auto s = parse_summary(item.get_object())) out.push_back(std::move(*s));
    }
  }
  return out;
}

}  // namespace

std::optional<domain::MovieSummary> parse_summary(const json::object& item) {
  const std::string media_type = text_field(item, "media_type");
  if (!media_type.empty() && media_type != "movie") return std::nullopt;
  domain::MovieSummary s;
  s.tmdb_id = int_field(item, "id");
  if (s.tmdb_id <= 0) return std::nullopt;
  s.title = text_field(item, "title");
  s.original_title = text_field(item, "original_title");
  if (s.title.empty()) s.title = s.original_title;
  s.original_language = text_field(item, "original_language");
  s.release_date = text_field(item, "release_date");
  if (const auto* genres = array_field(item, "genre_ids")) {
    for (const auto& g : *genres) {
      if (g.is_int64()) s.genre_ids.push_back(static_cast<int>(g.get_int64()));
    }
  } else if (const auto* named = array_field(item, "genres")) {  // details: [{id, name}]
    for (const auto& g : *named) {
      if (g.is_object()) {
        if (const int id = int_field(g.get_object(), "id"); id > 0) s.genre_ids.push_back(id);
      }
    }
  }
  s.vote_average = number_field(item, "vote_average");
  s.vote_count = std::max(0, int_field(item, "vote_count"));
  s.popularity = number_field(item, "popularity");
  s.poster_path = text_field(item, "poster_path");
  return s;
}

core::Result<SearchPage> parse_search_page(std::string_view body) {
  auto root = parse_object(body, "search page");
  if (!root) return tl::unexpected(root.error());
  if (array_field(*root, "results") == nullptr) {
    return core::fail(core::ErrorCode::kParseError, "TMDB search page has no results list");
  }
  SearchPage page;
  page.results = summaries(&*root);
  page.page = int_field(*root, "page", 1);
  page.total_pages = int_field(*root, "total_pages");
  page.total_results = int_field(*root, "total_results");
  return page;
}

core::Result<domain::MovieDetails> parse_details(std::string_view body) {
  auto root = parse_object(body, "movie");
  if (!root) return tl::unexpected(root.error());
  auto summary = parse_summary(*root);
  if (!summary) return core::fail(core::ErrorCode::kParseError, "TMDB movie has no id");
  domain::MovieDetails d;
  d.summary = std::move(*summary);
  if (const auto* genres = array_field(*root, "genres")) {
    for (const auto& g : *genres) {
      if (g.is_object()) {
        if (std::string name = text_field(g.get_object(), "name"); !name.empty())
          d.genres.push_back(std::move(name));
      }
    }
  }
  if (const auto* credits = object_field(*root, "credits")) {
    if (const auto* crew = array_field(*credits, "crew")) {
      for (const auto& c : *crew) {
        if (!c.is_object() || text_field(c.get_object(), "job") != "Director") continue;
        domain::Person p{int_field(c.get_object(), "id"), text_field(c.get_object(), "name")};
        if (p.name.empty()) continue;
        const bool seen = std::any_of(d.directors.begin(), d.directors.end(),
                                      [&](const domain::Person& q) { return q.id == p.id; });
        if (!seen) d.directors.push_back(std::move(p));
      }
    }
  }
  d.runtime = std::max(0, int_field(*root, "runtime"));
  d.imdb_id = text_field(*root, "imdb_id");
  if (const auto* ext = object_field(*root, "external_ids"); ext && d.imdb_id.empty())
    d.imdb_id = text_field(*ext, "imdb_id");
  if (const auto* collection = object_field(*root, "belongs_to_collection")) {
    if (const int id = int_field(*collection, "id"); id > 0) {
      d.collection_id = id;
      d.collection_name = text_field(*collection, "name");
    }
  }
  if (const auto* keywords = object_field(*root, "keywords")) {
    if (const auto* list = array_field(*keywords, "keywords")) {
      for (const auto& k : *list) {
        if (k.is_object()) {
          if (const int id = int_field(k.get_object(), "id"); id > 0) d.keyword_ids.push_back(id);
        }
      }
    }
  }
  d.similar = summaries(object_field(*root, "similar"));
  d.recommendations = summaries(object_field(*root, "recommendations"));
  if (const auto* providers = object_field(*root, "watch/providers")) {
    if (const auto* results = object_field(*providers, "results"))
      d.providers = streaming::parse_provider_results(*results);
  }
  return d;
}

std::optional<TmdbErrorBody> parse_error_body(std::string_view body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  if (!o.contains("status_code")) return std::nullopt;
  return TmdbErrorBody{int_field(o, "status_code"), text_field(o, "status_message")};
}

}  // namespace lbrec::sources::tmdb
