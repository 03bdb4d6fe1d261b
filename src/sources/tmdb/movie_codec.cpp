#include "sources/tmdb/movie_codec.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "sources/json_fields.hpp"
#include "sources/streaming/tmdb_providers_json.hpp"

namespace lbrec::sources::tmdb {
namespace json = boost::json;

namespace {

constexpr int kVersion = 1;

core::Result<json::object> parse_versioned(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return core::fail(core::ErrorCode::kParseError, "not a TMDB entry");
  const auto* version = v.get_object().if_contains("v");
  if (version == nullptr || !version->is_int64() || version->get_int64() != kVersion)
    return core::fail(core::ErrorCode::kParseError, "TMDB entry of another version");
  return std::move(v.get_object());
}

json::array ints(const std::vector<int>& values) {
  json::array a;
  for (int v : values)
    a.push_back(v);
  return a;
}

std::vector<int> ints_from(const json::object& o, std::string_view key) {
  std::vector<int> out;
  if (const auto* v = o.if_contains(key); v && v->is_array()) {
    for (const auto& e : v->get_array()) {
      if (e.is_int64()) out.push_back(static_cast<int>(e.get_int64()));
    }
  }
  return out;
}

json::array summaries(const std::vector<domain::MovieSummary>& list) {
  json::array a;
  for (const auto& s : list)
    a.push_back(summary_to_json(s));
  return a;
}

std::vector<domain::MovieSummary> summaries_from(const json::object& o, std::string_view key) {
  std::vector<domain::MovieSummary> out;
  if (const auto* v = o.if_contains(key); v && v->is_array()) {
    for (const auto& e : v->get_array()) {
      if (auto s = summary_from_json(e)) out.push_back(std::move(*s));
    }
  }
  return out;
}

}  // namespace

json::value summary_to_json(const domain::MovieSummary& s) {
  return json::object{{"id", s.tmdb_id},           {"t", s.title},        {"ot", s.original_title},
                      {"ol", s.original_language}, {"d", s.release_date}, {"g", ints(s.genre_ids)},
                      {"va", s.vote_average},      {"vc", s.vote_count},  {"p", s.popularity},
                      {"pp", s.poster_path}};
}

core::Result<domain::MovieSummary> summary_from_json(const json::value& value) {
  if (!value.is_object()) return core::fail(core::ErrorCode::kParseError, "not a summary");
  const auto& o = value.get_object();
  domain::MovieSummary s;
  s.tmdb_id = int_field(o, "id");
  if (s.tmdb_id <= 0) return core::fail(core::ErrorCode::kParseError, "summary without id");
  s.title = text_field(o, "t");
  s.original_title = text_field(o, "ot");
  s.original_language = text_field(o, "ol");
  s.release_date = text_field(o, "d");
  s.genre_ids = ints_from(o, "g");
  s.vote_average = number_field(o, "va");
  s.vote_count = int_field(o, "vc");
  s.popularity = number_field(o, "p");
  s.poster_path = text_field(o, "pp");
  return s;
}

std::string encode_summary(const domain::MovieSummary& summary) {
  return json::serialize(json::object{{"v", kVersion}, {"s", summary_to_json(summary)}});
}

core::Result<domain::MovieSummary> decode_summary(std::string_view text) {
  auto o = parse_versioned(text);
  if (!o) return tl::unexpected(o.error());
  const auto* s = o->if_contains("s");
  if (s == nullptr) return core::fail(core::ErrorCode::kParseError, "entry without summary");
  return summary_from_json(*s);
}

std::string encode_details(const domain::MovieDetails& d) {
  json::array genres;
  for (const auto& g : d.genres)
    genres.push_back(json::string(g));
  json::array directors;
  for (const auto& p : d.directors)
    directors.push_back(json::object{{"id", p.id}, {"n", p.name}});
  json::object providers;
  for (const auto& [country, offers] : d.providers)
    providers[country] = streaming::encode_offers(offers);
  json::object o{{"v", kVersion},
                 {"s", summary_to_json(d.summary)},
                 {"gn", std::move(genres)},
                 {"dir", std::move(directors)},
                 {"rt", d.runtime},
                 {"imdb", d.imdb_id},
                 {"kw", ints(d.keyword_ids)},
                 {"sim", summaries(d.similar)},
                 {"rec", summaries(d.recommendations)},
                 {"wp", std::move(providers)}};
  if (d.collection_id) {
    o["col"] = *d.collection_id;
    o["coln"] = d.collection_name;
  }
  return json::serialize(o);
}

core::Result<domain::MovieDetails> decode_details(std::string_view text) {
  auto o = parse_versioned(text);
  if (!o) return tl::unexpected(o.error());
  const auto* s = o->if_contains("s");
  if (s == nullptr) return core::fail(core::ErrorCode::kParseError, "entry without summary");
  auto summary = summary_from_json(*s);
  if (!summary) return tl::unexpected(summary.error());
  domain::MovieDetails d;
  d.summary = std::move(*summary);
  if (const auto* g = o->if_contains("gn"); g && g->is_array()) {
    for (const auto& e : g->get_array()) {
      if (e.is_string()) d.genres.emplace_back(e.get_string());
    }
  }
  if (const auto* dir = o->if_contains("dir"); dir && dir->is_array()) {
    for (const auto& e : dir->get_array()) {
      if (e.is_object())
        d.directors.push_back({int_field(e.get_object(), "id"), text_field(e.get_object(), "n")});
    }
  }
  d.runtime = int_field(*o, "rt");
  d.imdb_id = text_field(*o, "imdb");
  d.keyword_ids = ints_from(*o, "kw");
  d.similar = summaries_from(*o, "sim");
  d.recommendations = summaries_from(*o, "rec");
  if (const auto* wp = o->if_contains("wp"); wp && wp->is_object()) {
    for (const auto& kv : wp->get_object())
      d.providers[std::string(kv.key())] = streaming::decode_offers(kv.value());
  }
  if (const int col = int_field(*o, "col"); col > 0) {
    d.collection_id = col;
    d.collection_name = text_field(*o, "coln");
  }
  return d;
}

}  // namespace lbrec::sources::tmdb
