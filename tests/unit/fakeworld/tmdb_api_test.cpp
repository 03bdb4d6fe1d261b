// The fake TMDB v3 API against docs/upstreams/tmdb-and-streaming.md: auth, error envelopes,
// paging, append_to_response, sub-resources, providers, configuration and genres.

#include "fakeworld/tmdb_api.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "domain/country.hpp"
#include "fakeworld/providers.hpp"
#include "fakeworld_test_support.hpp"

namespace lbrec::fakeworld {
namespace {

using testing::film_at;
using testing::small_world;

FakeReply tmdb(const std::string& path, std::map<std::string, std::string> query = {}) {
  query.emplace("api_key", std::string(kFakeTmdbApiKey));
  std::string route;
  return serve_tmdb(small_world(), testing::get(path, std::move(query)), route);
}

boost::json::object body_of(const FakeReply& reply) {
  boost::system::error_code ec;
  auto v = boost::json::parse(reply.body, ec);
  EXPECT_FALSE(ec) << reply.body.substr(0, 200);
  EXPECT_TRUE(v.is_object());
  return ec || !v.is_object() ? boost::json::object{} : v.as_object();
}

void expect_error(const FakeReply& reply, int http, int code) {
  EXPECT_EQ(reply.status, http);
  EXPECT_TRUE(reply.content_type.starts_with("application/json"));
  const auto body = body_of(reply);
  ASSERT_TRUE(body.contains("status_code")) << reply.body;
  EXPECT_EQ(body.at("status_code").as_int64(), code);
  EXPECT_EQ(body.at("success").as_bool(), false);
  EXPECT_FALSE(body.at("status_message").as_string().empty());
}

const Film& a_movie(int from = 2) {
  for (const Film& f : small_world().films()) {
    if (f.index >= from && !f.is_tv) return f;
  }
  return small_world().films().front();
}

std::string movie_path(const Film& f, std::string_view sub = {}) {
  std::string p = "/3/movie/" + std::to_string(f.tmdb_id);
  if (!sub.empty()) p += "/" + std::string(sub);
  return p;
}

TEST(TmdbApi, AcceptsApiKeyOrBearerToken) {
  const Film& f = a_movie();
  std::string route;
  FakeRequest by_key = testing::get(movie_path(f), {{"api_key", std::string(kFakeTmdbApiKey)}});
  EXPECT_EQ(serve_tmdb(small_world(), by_key, route).status, 200);
  EXPECT_EQ(route, "tmdb.movie");

  FakeRequest by_token = testing::get(movie_path(f));
  by_token.authorization = "Bearer " + std::string(kFakeTmdbToken);
  EXPECT_EQ(serve_tmdb(small_world(), by_token, route).status, 200);
  EXPECT_TRUE(kFakeTmdbToken.starts_with("eyJ"));
  EXPECT_EQ(kFakeTmdbApiKey.size(), 32u);
  EXPECT_TRUE(std::regex_match(std::string(kFakeTmdbApiKey), std::regex("^[0-9a-f]{32}$")));

  FakeRequest missing = testing::get(movie_path(f));
  expect_error(serve_tmdb(small_world(), missing, route), 401, 7);
  EXPECT_EQ(route, "tmdb.unauthorized");
  FakeRequest bad_key =
      testing::get(movie_path(f), {{"api_key", "00000000000000000000000000000000"}});
  expect_error(serve_tmdb(small_world(), bad_key, route), 401, 7);
  FakeRequest bad_token = testing::get(movie_path(f));
  bad_token.authorization = "Bearer eyJhbGciOiJIUzI1NiJ9.e30.bad";
  expect_error(serve_tmdb(small_world(), bad_token, route), 401, 7);
  FakeRequest key_as_token = testing::get(movie_path(f));
  key_as_token.authorization = "Bearer " + std::string(kFakeTmdbApiKey);
  expect_error(serve_tmdb(small_world(), key_as_token, route), 401, 7);
  FakeRequest no_scheme = testing::get(movie_path(f));
  no_scheme.authorization = std::string(kFakeTmdbToken);
  expect_error(serve_tmdb(small_world(), no_scheme, route), 401, 7);
  // Unauthorised requests learn nothing, not even whether the movie exists.
  FakeRequest unknown = testing::get("/3/movie/999999999");
  expect_error(serve_tmdb(small_world(), unknown, route), 401, 7);
}

TEST(TmdbApi, UnknownMovieAndPathAre404Code34) {
  expect_error(tmdb("/3/movie/999999999"), 404, 34);
  expect_error(tmdb("/3/movie/abc"), 404, 34);
  expect_error(tmdb("/3/movie/999999999/credits"), 404, 34);
  expect_error(tmdb(movie_path(a_movie(), "no_such_sub")), 404, 34);
  expect_error(tmdb("/3/nothing/here"), 404, 34);
  // A TV entry's id is not a movie id.
  const auto tv = std::find_if(small_world().films().begin(), small_world().films().end(),
                               [](const Film& f) { return f.is_tv; });
  ASSERT_NE(tv, small_world().films().end());
  expect_error(tmdb("/3/movie/" + std::to_string(tv->tmdb_id)), 404, 34);
}

TEST(TmdbApi, InvalidPagesAre400Code22) {
  const Film& f = a_movie();
  for (const char* page : {"0", "501", "abc", "-1", "1.5"}) {
    expect_error(tmdb("/3/search/movie", {{"query", "the"}, {"page", page}}), 400, 22);
    expect_error(tmdb(movie_path(f, "similar"), {{"page", page}}), 400, 22);
  }
  EXPECT_EQ(tmdb("/3/search/movie", {{"query", "the"}, {"page", "500"}}).status, 200);
  EXPECT_EQ(tmdb(movie_path(f, "similar"), {{"page", "1"}}).status, 200);
}

TEST(TmdbApi, TwentyAppendsAreFineTwentyOneAre400Code27) {
  const Film& f = a_movie();
  std::string twenty;
  for (int i = 0; i < 20; ++i)
    twenty += (i ? "," : "") + std::string(i % 2 ? "credits" : "keywords");
  EXPECT_EQ(tmdb(movie_path(f), {{"append_to_response", twenty}}).status, 200);
  expect_error(tmdb(movie_path(f), {{"append_to_response", twenty + ",videos"}}), 400, 27);
}

TEST(TmdbApi, DetailsHaveTheDocumentedShape) {
  const World& w = small_world();
  const auto in_collection = std::find_if(w.films().begin(), w.films().end(), [](const Film& f) {
    return f.collection >= 0 && !f.is_tv;
  });
  ASSERT_NE(in_collection, w.films().end());
  const Film& f = *in_collection;
  const auto reply = tmdb(movie_path(f));
  ASSERT_EQ(reply.status, 200);
  const auto body = body_of(reply);
  EXPECT_EQ(body.at("id").as_int64(), f.tmdb_id);
  EXPECT_EQ(body.at("title").as_string(), f.title);
  EXPECT_EQ(body.at("original_title").as_string(), f.original_title);
  EXPECT_EQ(body.at("release_date").as_string(), f.release_date);
  EXPECT_EQ(body.at("runtime").as_int64(), f.runtime);
  EXPECT_EQ(body.at("vote_count").as_int64(), f.vote_count);
  EXPECT_TRUE(body.at("vote_average").is_double());
  EXPECT_TRUE(body.at("popularity").is_double());
  EXPECT_DOUBLE_EQ(body.at("vote_average").as_double(), f.vote_average);
  const auto& genres = body.at("genres").as_array();
  ASSERT_EQ(genres.size(), f.genre_ids.size());
  for (std::size_t i = 0; i < genres.size(); ++i) {
    EXPECT_EQ(genres[i].at("id").as_int64(), f.genre_ids[i]);
    EXPECT_EQ(genres[i].at("name").as_string(), genre_name(f.genre_ids[i]));
  }
  const auto& col = body.at("belongs_to_collection").as_object();
  EXPECT_EQ(col.at("id").as_int64(), w.collections()[static_cast<std::size_t>(f.collection)].id);
  for (const char* key :
       {"adult", "backdrop_path", "budget", "homepage", "imdb_id", "origin_country",
        "original_language", "overview", "poster_path", "production_companies",
        "production_countries", "revenue", "spoken_languages", "status", "tagline", "video"}) {
    EXPECT_TRUE(body.contains(key)) << key;
  }
  // Nullable fields are JSON null, not "".
  const auto no_poster = std::find_if(w.films().begin(), w.films().end(), [](const Film& x) {
    return !x.is_tv && x.poster_path.empty();
  });
  ASSERT_NE(no_poster, w.films().end());
  EXPECT_TRUE(body_of(tmdb(movie_path(*no_poster))).at("poster_path").is_null());
  const auto no_date = std::find_if(w.films().begin(), w.films().end(), [](const Film& x) {
    return !x.is_tv && x.release_date.empty();
  });
  ASSERT_NE(no_date, w.films().end());
  EXPECT_EQ(body_of(tmdb(movie_path(*no_date))).at("release_date").as_string(), "");
}

TEST(TmdbApi, AppendedKeysAreLiteralSubPathsWithoutId) {
  const Film& f = a_movie();
  const std::vector<std::string> names = {
      "credits",       "keywords",        "similar", "recommendations", "external_ids",
      "release_dates", "watch/providers", "videos",  "images",          "alternative_titles"};
  std::string appends;
  for (const auto& n : names)
    appends += (appends.empty() ? "" : ",") + n;
  appends += ",no_such_thing";
  const auto reply = tmdb(movie_path(f), {{"append_to_response", appends}});
  ASSERT_EQ(reply.status, 200);
  const auto body = body_of(reply);
  EXPECT_NE(reply.body.find("\"watch/providers\":"), std::string::npos);
  EXPECT_FALSE(body.contains("no_such_thing"));
  EXPECT_FALSE(body.contains("watch_providers"));
  for (const auto& n : names) {
    ASSERT_TRUE(body.contains(n)) << n;
    EXPECT_FALSE(body.at(n).as_object().contains("id")) << n << " appended with an id";
    // The same sub-resource standalone starts with the movie id and otherwise matches.
    const auto alone_reply = tmdb(movie_path(f, n));
    ASSERT_EQ(alone_reply.status, 200) << n;
    EXPECT_TRUE(alone_reply.body.starts_with("{\"id\":" + std::to_string(f.tmdb_id) + ",")) << n;
    auto alone = body_of(alone_reply);
    alone.erase("id");
    EXPECT_EQ(alone, body.at(n).as_object()) << n;
  }
  EXPECT_TRUE(body.at("credits").as_object().contains("cast"));
  EXPECT_TRUE(body.at("keywords").as_object().contains("keywords"));
  EXPECT_EQ(body.at("similar").at("page").as_int64(), 1);
}

TEST(TmdbApi, CreditsNameTheDirectors) {
  const World& w = small_world();
  const Film& f = a_movie();
  const auto body = body_of(tmdb(movie_path(f, "credits")));
  std::set<std::string> directors;
  for (const auto& c : body.at("crew").as_array()) {
    if (c.at("job").as_string() == "Director") {
      EXPECT_EQ(c.at("department").as_string(), "Directing");
      directors.insert(std::string(c.at("name").as_string()));
    }
    EXPECT_FALSE(c.as_object().contains("character"));
    EXPECT_EQ(c.at("credit_id").as_string().size(), 24u);
  }
  std::set<std::string> expected;
  if (f.has_director_credit) {
    for (int d : f.director_ids)
      expected.insert(w.people()[static_cast<std::size_t>(d)].name);
  }
  EXPECT_EQ(directors, expected);
  const auto& cast = body.at("cast").as_array();
  EXPECT_EQ(cast.size(), f.cast_ids.size());
  for (std::size_t i = 0; i < cast.size(); ++i) {
    EXPECT_EQ(cast[i].at("order").as_int64(), static_cast<int>(i));
  }
}

TEST(TmdbApi, RecommendationsCarryMediaTypeAndSimilarIsLong) {
  const World& w = small_world();
  const auto with_recs = std::find_if(w.films().begin(), w.films().end(), [&](const Film& f) {
    return !f.is_tv && !w.recommendations(f.index).empty();
  });
  ASSERT_NE(with_recs, w.films().end());
  const auto recs = body_of(tmdb(movie_path(*with_recs, "recommendations")));
  const auto& results = recs.at("results").as_array();
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(recs.at("total_results").as_int64(),
            static_cast<int>(w.recommendations(with_recs->index).size()));
  for (const auto& r : results) {
    EXPECT_EQ(r.at("media_type").as_string(), "movie");
    EXPECT_TRUE(r.at("vote_average").is_double());
  }
  // Field order as TMDB sends recommendation items.
  const auto first_keys = [&] {
    std::vector<std::string> keys;
    for (const auto& kv : results[0].as_object())
      keys.emplace_back(kv.key());
    return keys;
  }();
  const std::vector<std::string> order = {
      "backdrop_path", "id",           "title", "original_title",    "overview",
      "poster_path",   "media_type",   "adult", "original_language", "genre_ids",
      "popularity",    "release_date", "video", "vote_average",      "vote_count"};
  EXPECT_EQ(first_keys, order);

  const auto without = std::find_if(w.films().begin(), w.films().end(), [&](const Film& f) {
    return !f.is_tv && w.recommendations(f.index).empty();
  });
  ASSERT_NE(without, w.films().end());
  const auto empty = body_of(tmdb(movie_path(*without, "recommendations")));
  EXPECT_TRUE(empty.at("results").as_array().empty());
  EXPECT_EQ(empty.at("total_pages").as_int64(), 0);
  EXPECT_EQ(empty.at("total_results").as_int64(), 0);

  const Film& f = a_movie();
  const auto similar = body_of(tmdb(movie_path(f, "similar"), {{"page", "2"}}));
  EXPECT_EQ(similar.at("page").as_int64(), 2);
  EXPECT_EQ(similar.at("results").as_array().size(), 20u);
  EXPECT_GE(similar.at("total_pages").as_int64(), 10);
  EXPECT_FALSE(similar.at("results").as_array()[0].as_object().contains("media_type"));
  const auto expected = w.similar(f.index);
  EXPECT_EQ(similar.at("total_results").as_int64(), static_cast<std::int64_t>(expected.size()));
  EXPECT_EQ(similar.at("results").as_array()[0].at("id").as_int64(),
            film_at(w, expected[20]).tmdb_id);
}

TEST(TmdbApi, WatchProvidersOmitEmptyCategories) {
  const World& w = small_world();
  int countries_seen = 0;
  bool saw_empty_results = false;
  for (int fi = 2; fi < 200; ++fi) {
    const Film& f = film_at(w, fi);
    if (f.is_tv) continue;
    const auto body = body_of(tmdb(movie_path(f, "watch/providers")));
    EXPECT_EQ(body.at("id").as_int64(), f.tmdb_id);
    const auto& results = body.at("results").as_object();
    saw_empty_results |= results.empty();
    for (const auto& kv : results) {
      const std::string_view country = kv.key();
      const auto& entry = kv.value();
      ++countries_seen;
      EXPECT_TRUE(domain::find_country(country).has_value()) << country;
      const auto& e = entry.as_object();
      EXPECT_TRUE(e.at("link").as_string().starts_with("https://www.themoviedb.org/movie/"));
      const auto offers = w.offers(f.index, country);
      EXPECT_FALSE(offers.empty());
      for (const char* type : {"flatrate", "rent", "buy", "ads", "free"}) {
        const auto n = std::count_if(offers.begin(), offers.end(),
                                     [&](const Offer& o) { return o.type == type; });
        if (n == 0) {
          EXPECT_FALSE(e.contains(type)) << "empty " << type << " present";
          continue;
        }
        ASSERT_TRUE(e.contains(type));
        const auto& list = e.at(type).as_array();
        EXPECT_EQ(static_cast<long>(list.size()), n);
        for (const auto& p : list) {
          EXPECT_TRUE(p.at("provider_id").is_int64());
          EXPECT_TRUE(p.at("display_priority").is_int64());
          EXPECT_FALSE(p.at("provider_name").as_string().empty());
        }
      }
      for (const auto& field : e) {
        const std::set<std::string_view> allowed = {"link", "flatrate", "rent",
                                                    "buy",  "ads",      "free"};
        EXPECT_TRUE(allowed.contains(field.key())) << field.key();
      }
    }
  }
  EXPECT_GT(countries_seen, 100);
  // A film available nowhere has "results":{}.
  for (const Film& f : w.films()) {
    if (saw_empty_results) break;
    if (f.is_tv) continue;
    const auto reply = tmdb(movie_path(f, "watch/providers"));
    if (reply.body == "{\"id\":" + std::to_string(f.tmdb_id) + ",\"results\":{}}")
      saw_empty_results = true;
  }
  EXPECT_TRUE(saw_empty_results);
}

TEST(TmdbApi, SearchPagesTwentyAtATime) {
  const World& w = small_world();
  const auto hits = w.search("the", 0, 0);
  ASSERT_GT(hits.size(), 40u);
  const auto body = body_of(tmdb("/3/search/movie", {{"query", "the"}}));
  EXPECT_EQ(body.at("page").as_int64(), 1);
  EXPECT_EQ(body.at("results").as_array().size(), 20u);
  EXPECT_EQ(body.at("total_results").as_int64(), static_cast<std::int64_t>(hits.size()));
  EXPECT_EQ(body.at("total_pages").as_int64(), static_cast<std::int64_t>((hits.size() + 19) / 20));
  const auto last_page = static_cast<int>((hits.size() + 19) / 20);
  const auto last =
      body_of(tmdb("/3/search/movie", {{"query", "the"}, {"page", std::to_string(last_page)}}));
  EXPECT_EQ(last.at("results").as_array().size(),
            hits.size() - static_cast<std::size_t>(last_page - 1) * 20);
  const auto past =
      body_of(tmdb("/3/search/movie", {{"query", "the"}, {"page", std::to_string(last_page + 1)}}));
  EXPECT_TRUE(past.at("results").as_array().empty());
  for (const auto& r : body.at("results").as_array()) {
    for (const char* key : {"adult", "backdrop_path", "genre_ids", "id", "original_language",
                            "original_title", "overview", "popularity", "poster_path",
                            "release_date", "title", "video", "vote_average", "vote_count"}) {
      EXPECT_TRUE(r.as_object().contains(key)) << key;
    }
    EXPECT_FALSE(r.as_object().contains("media_type"));
  }
  // Year filters pass through.
  const Film& f = a_movie();
  const auto by_year = body_of(tmdb(
      "/3/search/movie", {{"query", f.title}, {"primary_release_year", std::to_string(f.year)}}));
  for (const auto& r : by_year.at("results").as_array()) {
    EXPECT_TRUE(r.at("release_date").as_string().starts_with(std::to_string(f.year)));
  }
  const auto none = body_of(tmdb("/3/search/movie"));
  EXPECT_EQ(none.at("total_results").as_int64(), 0);
}

TEST(TmdbApi, DoublesKeepADecimalPoint) {
  EXPECT_EQ(to_json_text(boost::json::value(8.0)), "8.0");
  EXPECT_EQ(to_json_text(boost::json::value(0.0)), "0.0");
  EXPECT_EQ(to_json_text(boost::json::value(-3.0)), "-3.0");
  EXPECT_EQ(to_json_text(boost::json::value(8.433)), "8.433");
  EXPECT_EQ(to_json_text(boost::json::value(8)), "8");
  EXPECT_EQ(to_json_text(boost::json::object{{"a", 1.0}, {"b", boost::json::array{2.5, 3.0}}}),
            R"({"a":1.0,"b":[2.5,3.0]})");

  const World& w = small_world();
  const auto whole = std::find_if(w.films().begin(), w.films().end(), [](const Film& f) {
    return !f.is_tv && f.vote_average == static_cast<double>(static_cast<int>(f.vote_average));
  });
  ASSERT_NE(whole, w.films().end());
  const auto reply = tmdb(movie_path(*whole));
  const std::string expected =
      "\"vote_average\":" + std::to_string(static_cast<int>(whole->vote_average)) + ".0,";
  EXPECT_NE(reply.body.find(expected), std::string::npos) << expected;
  EXPECT_EQ(reply.body.find("E0"), std::string::npos);
}

TEST(TmdbApi, NumbersPrintAsTmdbRoundsThem) {
  // vote_average has at most 3 decimals and popularity at most 4, as TMDB sends them.
  const World& w = small_world();
  static const std::regex kVote(R"("vote_average":(-?\d+(?:\.\d+)?)[,}])");
  static const std::regex kPopularity(R"("popularity":(-?\d+(?:\.\d+)?)[,}])");
  const auto decimals = [](const std::string& number) {
    const auto dot = number.find('.');
    return dot == std::string::npos ? 0 : static_cast<int>(number.size() - dot - 1);
  };
  for (int fi = 2; fi < 400; ++fi) {
    const Film& f = film_at(w, fi);
    if (f.is_tv) continue;
    const std::string body = tmdb(movie_path(f)).body;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(body, m, kVote));
    EXPECT_LE(decimals(m[1].str()), 3) << m[1].str();
    ASSERT_TRUE(std::regex_search(body, m, kPopularity));
    EXPECT_LE(decimals(m[1].str()), 4) << m[1].str();
  }
}

TEST(TmdbApi, ConfigurationGenresProvidersAndFind) {
  const auto config = body_of(tmdb("/3/configuration"));
  EXPECT_EQ(config.at("images").at("secure_base_url").as_string(), "https://image.tmdb.org/t/p/");
  const auto& sizes = config.at("images").at("poster_sizes").as_array();
  EXPECT_NE(std::find(sizes.begin(), sizes.end(), boost::json::value("w500")), sizes.end());

  const auto genres = body_of(tmdb("/3/genre/movie/list"));
  const auto& list = genres.at("genres").as_array();
  ASSERT_EQ(list.size(), 19u);
  std::set<std::int64_t> ids;
  for (const auto& g : list) {
    ids.insert(g.at("id").as_int64());
    EXPECT_EQ(g.at("name").as_string(), genre_name(static_cast<int>(g.at("id").as_int64())));
  }
  EXPECT_EQ(ids.size(), 19u);
  EXPECT_TRUE(ids.contains(878) && ids.contains(10770) && !ids.contains(10769));

  const auto providers = body_of(tmdb("/3/watch/providers/movie", {{"watch_region", "GB"}}));
  std::set<std::int64_t> gb;
  for (const auto& p : providers.at("results").as_array())
    gb.insert(p.at("provider_id").as_int64());
  EXPECT_TRUE(gb.contains(38));   // BBC iPlayer
  EXPECT_FALSE(gb.contains(15));  // Hulu
  EXPECT_FALSE(body_of(tmdb("/3/watch/providers/regions")).at("results").as_array().empty());

  const World& w = small_world();
  const auto with_imdb = std::find_if(w.films().begin(), w.films().end(),
                                      [](const Film& f) { return !f.is_tv && !f.imdb_id.empty(); });
  const auto found =
      body_of(tmdb("/3/find/" + with_imdb->imdb_id, {{"external_source", "imdb_id"}}));
  for (const char* key : {"movie_results", "person_results", "tv_results", "tv_episode_results",
                          "tv_season_results"}) {
    EXPECT_TRUE(found.contains(key)) << key;
  }
  ASSERT_EQ(found.at("movie_results").as_array().size(), 1u);
  EXPECT_EQ(found.at("movie_results").as_array()[0].at("id").as_int64(), with_imdb->tmdb_id);
  EXPECT_EQ(found.at("movie_results").as_array()[0].at("media_type").as_string(), "movie");
  expect_error(tmdb("/3/find/" + with_imdb->imdb_id), 400, 47);
  EXPECT_TRUE(tmdb_error(429, 25, "slow down").body.find("\"status_code\":25") !=
              std::string::npos);
}

}  // namespace
}  // namespace lbrec::fakeworld
