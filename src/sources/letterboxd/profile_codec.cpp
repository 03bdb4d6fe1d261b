#include "sources/letterboxd/profile_codec.hpp"

#include <boost/json.hpp>

namespace lbrec::sources::letterboxd {

namespace json = boost::json;

namespace {

constexpr int kVersion = 1;

json::object encode_film(const domain::FilmRef& f) {
  json::object o{{"slug", f.slug}, {"title", f.title}};
  if (f.year) o["year"] = *f.year;
  if (f.letterboxd_id) o["lb_id"] = *f.letterboxd_id;
  if (!f.lid.empty()) o["lid"] = f.lid;
  if (f.tmdb_id) o["tmdb_id"] = *f.tmdb_id;
  if (f.is_tv) o["tv"] = true;
  return o;
}

std::string text_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

template <typename T>
std::optional<T> int_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  return static_cast<T>(v->as_int64());
}

domain::FilmRef decode_film(const json::object& o) {
  domain::FilmRef f;
  f.slug = text_at(o, "slug");
  f.title = text_at(o, "title");
  f.year = int_at<int>(o, "year");
  f.letterboxd_id = int_at<std::int64_t>(o, "lb_id");
  f.lid = text_at(o, "lid");
  f.tmdb_id = int_at<int>(o, "tmdb_id");
  const auto* tv = o.if_contains("tv");
  f.is_tv = tv && tv->is_bool() && tv->as_bool();
  return f;
}

core::Error corrupt(std::string what) {
  return core::Error{core::ErrorCode::kParseError, "profile snapshot: " + std::move(what), false};
}

}  // namespace

std::string encode_snapshot(const ProfileSnapshot& s) {
  json::array films;
  for (const domain::WatchedFilm& w : s.profile.films) {
    json::object o{{"film", encode_film(w.film)}};
    if (w.rating) o["rating"] = *w.rating;
    if (w.liked) o["liked"] = true;
    if (w.watched_date) o["watched"] = *w.watched_date;
    if (w.rewatch) o["rewatch"] = true;
    films.push_back(std::move(o));
  }
  json::array watchlist;
  for (const domain::FilmRef& f : s.profile.watchlist)
    watchlist.push_back(encode_film(f));
  return json::serialize(json::object{{"v", kVersion},
                                      {"username", s.profile.username},
                                      {"source", static_cast<int>(s.profile.source)},
                                      {"pages", s.pages},
                                      {"films", std::move(films)},
                                      {"watchlist", std::move(watchlist)}});
}

core::Result<ProfileSnapshot> decode_snapshot(std::string_view text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return tl::unexpected(corrupt("not a JSON object"));
  const json::object& o = v.as_object();
  if (int_at<int>(o, "v") != kVersion) return tl::unexpected(corrupt("unknown version"));
  ProfileSnapshot s;
  s.profile.username = text_at(o, "username");
  const int source = int_at<int>(o, "source").value_or(0);
  if (source < 0 || source > static_cast<int>(domain::ProfileSource::kExport)) {
    return tl::unexpected(corrupt("unknown source"));
  }
  s.profile.source = static_cast<domain::ProfileSource>(source);
  s.pages = int_at<int>(o, "pages").value_or(1);
  const auto* films = o.if_contains("films");
  const auto* watchlist = o.if_contains("watchlist");
  if (!films || !films->is_array() || !watchlist || !watchlist->is_array()) {
    return tl::unexpected(corrupt("missing films or watchlist"));
  }
  for (const json::value& item : films->as_array()) {
    if (!item.is_object()) return tl::unexpected(corrupt("a film is not an object"));
    const json::object& fo = item.as_object();
    const auto* film = fo.if_contains("film");
    if (!film || !film->is_object()) return tl::unexpected(corrupt("a film has no identity"));
    domain::WatchedFilm w;
    w.film = decode_film(film->as_object());
    w.rating = int_at<int>(fo, "rating");
    if (w.rating && (*w.rating < domain::kMinHalfStars || *w.rating > domain::kMaxHalfStars)) {
      return tl::unexpected(corrupt("rating out of range"));
    }
    const auto* liked = fo.if_contains("liked");
    w.liked = liked && liked->is_bool() && liked->as_bool();
    if (const std::string d = text_at(fo, "watched"); !d.empty()) w.watched_date = d;
    const auto* rewatch = fo.if_contains("rewatch");
    w.rewatch = rewatch && rewatch->is_bool() && rewatch->as_bool();
    s.profile.films.push_back(std::move(w));
  }
  for (const json::value& item : watchlist->as_array()) {
    if (!item.is_object()) return tl::unexpected(corrupt("a watchlist film is not an object"));
    s.profile.watchlist.push_back(decode_film(item.as_object()));
  }
  return s;
}

}  // namespace lbrec::sources::letterboxd
