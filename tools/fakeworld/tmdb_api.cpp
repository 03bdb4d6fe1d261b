#include "tmdb_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>

#include "core/strings.hpp"
#include "domain/country.hpp"
#include "providers.hpp"

namespace lbrec::fakeworld {
namespace json = boost::json;

namespace {

json::value nullable(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

std::string credit_id(int film_tmdb, int person_tmdb, int salt) {
  const std::uint64_t h = (static_cast<std::uint64_t>(film_tmdb) * 2654435761u) ^
                          (static_cast<std::uint64_t>(person_tmdb) * 40503u) ^
                          static_cast<std::uint64_t>(salt);
  return fmt::format("{:08x}{:016x}", static_cast<std::uint32_t>(film_tmdb),
                     h * 0x9E3779B97F4A7C15ULL);
}

// The search-result shape shared by search, similar and recommendations.
json::object list_item(const Film& f, bool recommendation) {
  json::array genres;
  for (int g : f.genre_ids)
    genres.push_back(g);
  if (recommendation) {
    // Recommendation items carry media_type, in TMDB's own field order.
    return json::object{{"backdrop_path", nullable(f.backdrop_path)},
                        {"id", f.tmdb_id},
                        {"title", f.title},
                        {"original_title", f.original_title},
                        {"overview", f.overview},
                        {"poster_path", nullable(f.poster_path)},
                        {"media_type", "movie"},
                        {"adult", false},
                        {"original_language", f.original_language},
                        {"genre_ids", std::move(genres)},
                        {"popularity", f.popularity},
                        {"release_date", f.release_date},
                        {"video", false},
                        {"vote_average", f.vote_average},
                        {"vote_count", f.vote_count}};
  }
  return json::object{{"adult", false},
                      {"backdrop_path", nullable(f.backdrop_path)},
                      {"genre_ids", std::move(genres)},
                      {"id", f.tmdb_id},
                      {"original_language", f.original_language},
                      {"original_title", f.original_title},
                      {"overview", f.overview},
                      {"popularity", f.popularity},
                      {"poster_path", nullable(f.poster_path)},
                      {"release_date", f.release_date},
                      {"title", f.title},
                      {"video", false},
                      {"vote_average", f.vote_average},
                      {"vote_count", f.vote_count}};
}

json::object paged(const World& world, const std::vector<int>& films, int page,
                   bool recommendation) {
  const int total = static_cast<int>(films.size());
  const int pages = std::min(kTmdbMaxPage, (total + kTmdbPageSize - 1) / kTmdbPageSize);
  json::array results;
  for (int i = (page - 1) * kTmdbPageSize; i < std::min(total, page * kTmdbPageSize); ++i) {
    results.push_back(
        list_item(world.films()[static_cast<std::size_t>(films[static_cast<std::size_t>(i)])],
                  recommendation));
  }
  return json::object{{"page", page},
                      {"results", std::move(results)},
                      {"total_pages", pages},
                      {"total_results", total}};
}

json::object credits(const World& world, const Film& f) {
  json::array cast, crew;
  int order = 0;
  for (int a : f.cast_ids) {
    const Person& p = world.people()[static_cast<std::size_t>(a)];
    cast.push_back(json::object{{"adult", false},
                                {"gender", p.gender},
                                {"id", p.id},
                                {"known_for_department", "Acting"},
                                {"name", p.name},
                                {"original_name", p.name},
                                {"popularity", 1.0 + (p.id % 900) / 100.0},
                                {"profile_path", nullptr},
                                {"cast_id", order + 1},
                                {"character", fmt::format("Character {}", order + 1)},
                                {"credit_id", credit_id(f.tmdb_id, p.id, order)},
                                {"order", order}});
    ++order;
  }
  const auto crew_entry = [&](int person, const char* department, const char* job, int salt) {
    const Person& p = world.people()[static_cast<std::size_t>(person)];
    crew.push_back(json::object{{"adult", false},
                                {"gender", p.gender},
                                {"id", p.id},
                                {"known_for_department", "Directing"},
                                {"name", p.name},
                                {"original_name", p.name},
                                {"popularity", 1.0 + (p.id % 700) / 100.0},
                                {"profile_path", nullptr},
                                {"credit_id", credit_id(f.tmdb_id, p.id, salt)},
                                {"department", department},
                                {"job", job}});
  };
  if (f.has_director_credit) {
    for (int d : f.director_ids)
      crew_entry(d, "Directing", "Director", 100);
  }
  for (int w : f.writer_ids)
    crew_entry(w, "Writing", "Screenplay", 200);
  return json::object{{"cast", std::move(cast)}, {"crew", std::move(crew)}};
}

json::object keywords(const World& world, const Film& f) {
  json::array list;
  for (int k : f.keyword_ids) {
    const Keyword& kw = world.keywords()[static_cast<std::size_t>(k)];
    list.push_back(json::object{{"id", kw.id}, {"name", kw.name}});
  }
  return json::object{{"keywords", std::move(list)}};
}

json::object external_ids(const Film& f) {
  return json::object{{"imdb_id", nullable(f.imdb_id)},
                      {"wikidata_id", nullptr},
                      {"facebook_id", nullptr},
                      {"instagram_id", nullptr},
                      {"twitter_id", nullptr}};
}

json::object release_dates(const Film& f) {
  json::array results;
  if (!f.release_date.empty()) {
    json::array dates;
    if (f.letterboxd_year != f.year) {
      dates.push_back(
          json::object{{"certification", ""},
                       {"descriptors", json::array{}},
                       {"iso_639_1", ""},
                       {"note", "Festival"},
                       {"release_date", fmt::format("{}-09-01T00:00:00.000Z", f.letterboxd_year)},
                       {"type", 1}});
    }
    dates.push_back(json::object{{"certification", ""},
                                 {"descriptors", json::array{}},
                                 {"iso_639_1", ""},
                                 {"note", ""},
                                 {"release_date", f.release_date + "T00:00:00.000Z"},
                                 {"type", 3}});
    results.push_back(
        json::object{{"iso_3166_1", f.origin_country}, {"release_dates", std::move(dates)}});
  }
  return json::object{{"results", std::move(results)}};
}

json::object watch_providers(const World& world, const Film& f) {
  json::object results;
  for (const auto& country : domain::supported_countries()) {
    const auto offers = world.offers(f.index, country.code);
    if (offers.empty()) continue;
    json::object entry{
        {"link", fmt::format("https://www.themoviedb.org/movie/{}-{}/watch?locale={}", f.tmdb_id,
                             f.slug, country.code)}};
    for (const char* type : {"flatrate", "rent", "buy", "ads", "free"}) {
      json::array list;
      for (const Offer& o : offers) {
        if (o.type != type) continue;
        list.push_back(json::object{{"logo_path", fmt::format("/pv{}.jpg", o.provider->id)},
                                    {"provider_id", o.provider->id},
                                    {"provider_name", o.provider->name},
                                    {"display_priority", o.provider->display_priority}});
      }
      if (!list.empty()) entry[type] = std::move(list);  // TMDB omits empty categories
    }
    results[country.code] = std::move(entry);
  }
  return json::object{{"results", std::move(results)}};
}

json::object details(const World& world, const Film& f) {
  json::array genres;
  for (int g : f.genre_ids)
    genres.push_back(json::object{{"id", g}, {"name", genre_name(g)}});
  json::value collection = nullptr;
  if (f.collection >= 0) {
    const Collection& c = world.collections()[static_cast<std::size_t>(f.collection)];
    collection = json::object{
        {"id", c.id}, {"name", c.name}, {"poster_path", nullptr}, {"backdrop_path", nullptr}};
  }
  return json::object{
      {"adult", false},
      {"backdrop_path", nullable(f.backdrop_path)},
      {"belongs_to_collection", std::move(collection)},
      {"budget", 0},
      {"genres", std::move(genres)},
      {"homepage", ""},
      {"id", f.tmdb_id},
      {"imdb_id", nullable(f.imdb_id)},
      {"origin_country", json::array{json::string(f.origin_country)}},
      {"original_language", f.original_language},
      {"original_title", f.original_title},
      {"overview", f.overview},
      {"popularity", f.popularity},
      {"poster_path", nullable(f.poster_path)},
      {"production_companies", json::array{}},
      {"production_countries", json::array{}},
      {"release_date", f.release_date},
      {"revenue", 0},
      {"runtime", f.runtime},
      {"spoken_languages", json::array{}},
      {"status", "Released"},
      {"tagline", ""},
      {"title", f.title},
      {"video", false},
      {"vote_average", f.vote_average},
      {"vote_count", f.vote_count},
  };
}

// A sub-resource of a movie, or nullopt when the name is not one the fake knows.
std::optional<json::object> sub_resource(const World& world, const Film& f, std::string_view name,
                                         int page) {
  if (name == "credits") return credits(world, f);
  if (name == "keywords") return keywords(world, f);
  if (name == "external_ids") return external_ids(f);
  if (name == "release_dates") return release_dates(f);
  if (name == "watch/providers") return watch_providers(world, f);
  if (name == "similar") return paged(world, world.similar(f.index), page, false);
  if (name == "recommendations") return paged(world, world.recommendations(f.index), page, true);
  if (name == "videos") return json::object{{"results", json::array{}}};
  if (name == "images")
    return json::object{
        {"backdrops", json::array{}}, {"logos", json::array{}}, {"posters", json::array{}}};
  if (name == "alternative_titles") return json::object{{"titles", json::array{}}};
  return std::nullopt;
}

bool authorized(const FakeRequest& req) {
  if (req.param("api_key") == kFakeTmdbApiKey) return true;
  const std::string_view auth = req.authorization;
  return auth.size() > 7 && core::iequals_ascii(auth.substr(0, 7), "Bearer ") &&
         auth.substr(7) == kFakeTmdbToken;
}

// The page parameter: 1 when absent, 0 when invalid (TMDB answers 400 code 22).
int page_param(const FakeRequest& req) {
  const std::string_view raw = req.param("page");
  if (raw.empty()) return 1;
  const auto n = core::parse_int(raw);
  return n && *n >= 1 && *n <= kTmdbMaxPage ? static_cast<int>(*n) : 0;
}

FakeReply invalid_page() {
  return tmdb_error(
      400, 22,
      "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.");
}

FakeReply not_found() {
  return tmdb_error(404, 34, "The resource you requested could not be found.");
}

int year_param(const FakeRequest& req, const std::string& key) {
  const auto n = core::parse_int(req.param(key));
  return n && *n >= 1800 && *n <= 2200 ? static_cast<int>(*n) : 0;
}

}  // namespace

FakeReply tmdb_error(int http_status, int status_code, std::string_view message) {
  return FakeReply::json(
      http_status,
      json::object{{"success", false}, {"status_code", status_code}, {"status_message", message}});
}

FakeReply serve_tmdb(const World& world, const FakeRequest& req, std::string& route) {
  route = "tmdb.other";
  if (!authorized(req)) {
    route = "tmdb.unauthorized";
    return tmdb_error(401, 7, "Invalid API key: You must be granted a valid key.");
  }
  std::string_view path = req.path;
  path.remove_prefix(3);  // "/3/"
  while (!path.empty() && path.back() == '/')
    path.remove_suffix(1);

  if (path == "configuration") {
    route = "tmdb.configuration";
    const auto list = [](std::initializer_list<const char*> items) {
      json::array a;
      for (const char* i : items)
        a.push_back(json::string(i));
      return a;
    };
    return FakeReply::json(
        200,
        json::object{
            {"images",
             json::object{
                 {"base_url", "http://image.tmdb.org/t/p/"},
                 {"secure_base_url", "https://image.tmdb.org/t/p/"},
                 {"backdrop_sizes", list({"w300", "w780", "w1280", "original"})},
                 {"logo_sizes", list({"w45", "w92", "w154", "w185", "w300", "w500", "original"})},
                 {"poster_sizes",
                  list({"w92", "w154", "w185", "w342", "w500", "w780", "original"})},
                 {"profile_sizes", list({"w45", "w185", "h632", "original"})},
                 {"still_sizes", list({"w92", "w185", "w300", "original"})}}},
            {"change_keys",
             list({"adult", "air_date", "also_known_as", "alternative_titles", "biography"})}});
  }
  if (path == "genre/movie/list") {
    route = "tmdb.genres";
    json::array genres;
    for (const Genre& g : tmdb_genres())
      genres.push_back(json::object{{"id", g.id}, {"name", g.name}});
    return FakeReply::json(200, json::object{{"genres", std::move(genres)}});
  }
  if (path == "watch/providers/regions") {
    route = "tmdb.provider_regions";
    json::array regions;
    for (const auto& c : domain::supported_countries()) {
      regions.push_back(
          json::object{{"iso_3166_1", c.code}, {"english_name", c.name}, {"native_name", c.name}});
    }
    return FakeReply::json(200, json::object{{"results", std::move(regions)}});
  }
  if (path == "watch/providers/movie") {
    route = "tmdb.provider_list";
    const auto country = domain::find_country(req.param("watch_region"));
    json::array list;
    for (const Provider* p : providers_in(country ? country->code : "US")) {
      list.push_back(json::object{{"display_priority", p->display_priority},
                                  {"logo_path", fmt::format("/pv{}.jpg", p->id)},
                                  {"provider_name", p->name},
                                  {"provider_id", p->id}});
    }
    return FakeReply::json(200, json::object{{"results", std::move(list)}});
  }
  if (path == "search/movie") {
    route = "tmdb.search";
    const int page = page_param(req);
    if (page == 0) return invalid_page();
    const std::string_view query = req.param("query");
    const std::vector<int> hits =
        query.empty()
            ? std::vector<int>{}
            : world.search(query, year_param(req, "year"), year_param(req, "primary_release_year"));
    return FakeReply::json(200, paged(world, hits, page, false));
  }
  if (path.starts_with("find/")) {
    route = "tmdb.find";
    const std::string_view id = path.substr(5);
    if (req.param("external_source") != "imdb_id") {
      return tmdb_error(400, 47, "The input is not valid.");
    }
    json::array movies;
    for (const Film& f : world.films()) {
      if (!f.is_tv && !f.imdb_id.empty() && f.imdb_id == id) {
        json::object item = list_item(f, false);
        item["media_type"] = "movie";
        movies.push_back(std::move(item));
      }
    }
    return FakeReply::json(200, json::object{{"movie_results", std::move(movies)},
                                             {"person_results", json::array{}},
                                             {"tv_results", json::array{}},
                                             {"tv_episode_results", json::array{}},
                                             {"tv_season_results", json::array{}}});
  }
  if (path.starts_with("movie/")) {
    std::string_view rest = path.substr(6);
    const std::size_t slash = rest.find('/');
    const auto id = core::parse_int(rest.substr(0, slash));
    const Film* f = id ? world.film_by_tmdb(static_cast<int>(*id)) : nullptr;
    if (f == nullptr) {
      route = "tmdb.movie";
      return not_found();
    }
    const int page = page_param(req);
    if (slash != std::string_view::npos) {
      const std::string_view sub = rest.substr(slash + 1);
      route = fmt::format("tmdb.movie_{}",
                          sub == "watch/providers" ? "watch_providers" : std::string(sub));
      if (page == 0) return invalid_page();
      auto body = sub_resource(world, *f, sub, page);
      if (!body) {
        route = "tmdb.other";
        return not_found();
      }
      // Standalone sub-resources carry the movie id first; appended ones do not.
      json::object with_id{{"id", f->tmdb_id}};
      for (auto& kv : *body)
        with_id[kv.key()] = std::move(kv.value());
      return FakeReply::json(200, with_id);
    }
    route = "tmdb.movie";
    json::object body = details(world, *f);
    const std::string_view appends = req.param("append_to_response");
    if (!appends.empty()) {
      const auto names = core::split(appends, ',');
      if (names.size() > static_cast<std::size_t>(kTmdbMaxAppends)) {
        return tmdb_error(
            400, 27,
            "Too many append to response objects: The maximum number of remote calls is 20.");
      }
      for (std::string_view name : names) {
        name = core::trim(name);
        if (auto sub = sub_resource(world, *f, name, 1))
          body[name] = std::move(*sub);  // unknown names are ignored
      }
    }
    return FakeReply::json(200, body);
  }
  return not_found();
}

}  // namespace lbrec::fakeworld
