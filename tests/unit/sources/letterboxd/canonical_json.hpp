#pragma once

// Canonical JSON for the Letterboxd parsers' results: what golden files hold and what failing
// tests print. Every field is written, absent values as null, in a fixed order.

#include <fmt/format.h>

#include <boost/json.hpp>
#include <string>

#include "core/error.hpp"
#include "domain/profile.hpp"
#include "sources/letterboxd/film_page_parser.hpp"
#include "sources/letterboxd/grid_parser.hpp"
#include "sources/letterboxd/page_signals.hpp"
#include "sources/letterboxd/rss_parser.hpp"

namespace lbrec::sources::letterboxd::testing {

template <typename T>
boost::json::value optional_json(const std::optional<T>& v) {
  if (!v) return nullptr;
  return boost::json::value(*v);
}

inline void put_film(boost::json::object& o, const domain::FilmRef& f) {
  o["slug"] = f.slug;
  o["title"] = f.title;
  o["year"] = optional_json(f.year);
  o["letterboxd_id"] = optional_json(f.letterboxd_id);
  o["lid"] = f.lid;
  o["tmdb_id"] = optional_json(f.tmdb_id);
  o["is_tv"] = f.is_tv;
}

inline boost::json::value error_json(const core::Error& e) {
  return boost::json::object{{"error", std::string(core::to_string(e.code))}};
}

inline boost::json::value to_json(const core::Result<GridPage>& r) {
  if (!r) return error_json(r.error());
  boost::json::object o;
  o["owner"] = r->owner;
  o["markup"] = r->markup ? boost::json::value(std::string(to_string(*r->markup)))
                          : boost::json::value(nullptr);
  o["page_count"] = r->page_count;
  o["total_films"] = optional_json(r->total_films);
  boost::json::array items;
  for (const GridItem& item : r->items) {
    boost::json::object i;
    put_film(i, item.film);
    i["rating"] = optional_json(item.rating);
    i["liked"] = item.liked;
    items.push_back(std::move(i));
  }
  o["items"] = std::move(items);
  return o;
}

inline boost::json::value to_json(const core::Result<std::vector<RssEntry>>& r) {
  if (!r) return error_json(r.error());
  boost::json::array entries;
  for (const RssEntry& e : *r) {
    boost::json::object o;
    put_film(o, e.film);
    o["rating"] = optional_json(e.rating);
    o["liked"] = e.liked;
    o["rewatch"] = e.rewatch;
    o["watched_date"] = e.watched_date;
    o["guid"] = e.guid;
    o["is_review"] = e.is_review;
    entries.push_back(std::move(o));
  }
  return boost::json::object{{"entries", std::move(entries)}};
}

inline boost::json::value to_json(const core::Result<FilmPage>& r) {
  if (!r) return error_json(r.error());
  boost::json::object film;
  put_film(film, r->film);
  boost::json::array directors(r->directors.begin(), r->directors.end());
  boost::json::array genres(r->genres.begin(), r->genres.end());
  boost::json::object o;
  o["film"] = std::move(film);
  o["imdb_id"] = r->imdb_id;
  o["directors"] = std::move(directors);
  o["genres"] = std::move(genres);
  o["runtime"] = optional_json(r->runtime);
  o["poster_url"] = r->poster_url;
  o["average_rating"] = optional_json(r->average_rating);
  return o;
}

inline boost::json::value to_json(PageBlock block) {
  return boost::json::object{{"block", std::string(to_string(block))}};
}

// Objects and arrays of scalars on one line, anything deeper one member per line: golden files
// stay readable (one grid item per line) and diff well.
inline bool is_flat(const boost::json::value& v) {
  const auto scalar = [](const boost::json::value& x) { return !x.is_object() && !x.is_array(); };
  if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) {
      if (!scalar(kv.value())) return false;
    }
    return true;
  }
  if (const auto* a = v.if_array()) {
    for (const auto& x : *a) {
      if (!scalar(x)) return false;
    }
    return true;
  }
  return true;
}

// Doubles as the shortest text that reads back exactly ("3.61", not Boost's "3.61E0").
inline std::string scalar_text(const boost::json::value& v) {
  if (v.is_double()) return fmt::format("{}", v.get_double());
  return boost::json::serialize(v);
}

inline std::string flat_text(const boost::json::value& v) {
  std::string out;
  if (const auto* o = v.if_object()) {
    out += "{";
    for (const auto& kv : *o) {
      if (out.size() > 1) out += ", ";
      out += boost::json::serialize(boost::json::value(kv.key())) + ": " + scalar_text(kv.value());
    }
    return out + "}";
  }
  if (const auto* a = v.if_array()) {
    out += "[";
    for (const auto& x : *a) {
      if (out.size() > 1) out += ", ";
      out += scalar_text(x);
    }
    return out + "]";
  }
  return scalar_text(v);
}

inline void pretty(const boost::json::value& v, std::string& out, int indent) {
  if (is_flat(v)) {
    out += flat_text(v);
    return;
  }
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  if (const auto* o = v.if_object()) {
    out += "{\n";
    bool first = true;
    for (const auto& kv : *o) {
      if (!first) out += ",\n";
      first = false;
      out += pad + boost::json::serialize(boost::json::value(kv.key())) + ": ";
      pretty(kv.value(), out, indent + 2);
    }
    out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "}";
    return;
  }
  const auto& a = v.get_array();
  out += "[\n";
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i) out += ",\n";
    out += pad;
    pretty(a[i], out, indent + 2);
  }
  out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "]";
}

inline std::string pretty(const boost::json::value& v) {
  std::string out;
  pretty(v, out, 0);
  out += "\n";
  return out;
}

}  // namespace lbrec::sources::letterboxd::testing
