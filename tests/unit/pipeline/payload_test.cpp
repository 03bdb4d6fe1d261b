// The seed's JSON shapes: field names, types and the stale-snapshot block.

#include "pipeline/payload.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <limits>

namespace lbrec::pipeline {
namespace {

namespace json = boost::json;
using domain::Monetization;

domain::Recommendation blade_runner() {
  domain::Recommendation rec;
  rec.movie.tmdb_id = 335984;
  rec.movie.title = "Blade Runner 2049";
  rec.movie.original_title = "Blade Runner 2049";
  rec.movie.release_date = "2017-10-04";
  rec.movie.vote_average = 7.9;
  rec.movie.vote_count = 13000;
  rec.movie.popularity = 61.5;
  rec.movie.poster_path = "/gajva2L0rPYkEWjzgFlBXCAVBE5.jpg";
  rec.genres = {"Science Fiction", "Drama"};
  rec.directors = {"Denis Villeneuve"};
  rec.runtime = 164;
  rec.score = 0.876543;
  rec.reason = "Since you liked Arrival";
  rec.because = {"Arrival"};
  rec.detailed = true;
  domain::Availability where;
  where.country = "US";
  where.source = domain::StreamingSource::kJustWatch;
  where.offers = {{"Prime Video", 9, Monetization::kFlatrate},
                  {"Max", 1899, Monetization::kFlatrate},
                  {"Apple TV", 2, Monetization::kRent},
                  {"Prime Video", 10, Monetization::kBuy}};
  rec.streaming = where;
  return rec;
}

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const json::value& item : v.as_array())
    out.emplace_back(item.as_string());
  return out;
}

TEST(RecommendationJson, HasTheSeedsFieldsWithTheSeedsTypes) {
  const json::object o = recommendation_json(blade_runner(), true);
  EXPECT_TRUE(o.at("tmdb_id").is_int64());
  EXPECT_EQ(o.at("tmdb_id").as_int64(), 335984);
  EXPECT_EQ(o.at("title").as_string(), "Blade Runner 2049");
  EXPECT_EQ(o.at("original_title").as_string(), "Blade Runner 2049");
  ASSERT_TRUE(o.at("year").is_string());
  EXPECT_EQ(o.at("year").as_string(), "2017");
  EXPECT_EQ(o.at("director").as_string(), "Denis Villeneuve");
  EXPECT_EQ(strings(o.at("genres")), (std::vector<std::string>{"Science Fiction", "Drama"}));
  EXPECT_EQ(o.at("poster").as_string(),
            "https://image.tmdb.org/t/p/w500/gajva2L0rPYkEWjzgFlBXCAVBE5.jpg");
  ASSERT_TRUE(o.at("rating_tmdb").is_double());
  EXPECT_DOUBLE_EQ(o.at("rating_tmdb").as_double(), 7.9);
  ASSERT_TRUE(o.at("runtime").is_int64());
  EXPECT_EQ(o.at("runtime").as_int64(), 164);
  EXPECT_EQ(strings(o.at("streaming")), (std::vector<std::string>{"Prime Video", "Max"}));
  EXPECT_EQ(o.at("reason").as_string(), "Since you liked Arrival");
}

TEST(RecommendationJson, CarriesLbrecsExtras) {
  const json::object o = recommendation_json(blade_runner(), true);
  EXPECT_DOUBLE_EQ(o.at("score").as_double(), 0.877);
  EXPECT_EQ(strings(o.at("because")), std::vector<std::string>{"Arrival"});
  EXPECT_EQ(o.at("vote_count").as_int64(), 13000);
  EXPECT_DOUBLE_EQ(o.at("popularity").as_double(), 61.5);
  EXPECT_EQ(o.at("release_date").as_string(), "2017-10-04");
  EXPECT_EQ(o.at("on_watchlist").as_bool(), false);
  const json::array& offers = o.at("streaming_offers").as_array();
  ASSERT_EQ(offers.size(), 4u);
  EXPECT_EQ(offers[0], (json::object{{"provider", "Prime Video"}, {"type", "flatrate"}}));
  EXPECT_EQ(offers[1], (json::object{{"provider", "Max"}, {"type", "flatrate"}}));
  EXPECT_EQ(offers[2], (json::object{{"provider", "Apple TV"}, {"type", "rent"}}));
  EXPECT_EQ(offers[3], (json::object{{"provider", "Prime Video"}, {"type", "buy"}}));
  // Prime Video streams it, so it is not a rent-only provider.
  EXPECT_EQ(strings(o.at("streaming_rent")), std::vector<std::string>{"Apple TV"});
  EXPECT_EQ(o.at("streaming_source").as_string(), "justwatch");
  EXPECT_EQ(o.at("streaming_lookup_failed").as_bool(), false);
}

TEST(RecommendationJson, UnknownsAreEmptyStringsOrNull) {
  domain::Recommendation rec = blade_runner();
  rec.movie.release_date.clear();
  rec.movie.poster_path.clear();
  rec.directors.clear();
  rec.runtime = 0;
  const json::object o = recommendation_json(rec, true);
  ASSERT_TRUE(o.at("year").is_string());
  EXPECT_EQ(o.at("year").as_string(), "");
  EXPECT_TRUE(o.at("poster").is_null());
  EXPECT_EQ(o.at("director").as_string(), "");
  EXPECT_TRUE(o.at("runtime").is_null());
}

TEST(RecommendationJson, SeveralDirectorsAreJoinedWithACommaAndSpace) {
  domain::Recommendation rec = blade_runner();
  rec.directors = {"Joel Coen", "Ethan Coen"};
  EXPECT_EQ(recommendation_json(rec, true).at("director").as_string(), "Joel Coen, Ethan Coen");
}

void expect_no_streaming(const json::object& o) {
  ASSERT_TRUE(o.at("streaming").is_array());
  EXPECT_TRUE(o.at("streaming").as_array().empty());
  EXPECT_TRUE(o.at("streaming_offers").as_array().empty());
  EXPECT_TRUE(o.at("streaming_rent").as_array().empty());
  EXPECT_EQ(o.at("streaming_source").as_string(), "none");
}

TEST(RecommendationJson, StreamingIsEmptyWhenNotLookedUp) {
  domain::Recommendation rec = blade_runner();
  rec.streaming.reset();
  const json::object o = recommendation_json(rec, true);
  expect_no_streaming(o);
  EXPECT_FALSE(o.at("streaming_lookup_failed").as_bool());
}

TEST(RecommendationJson, StreamingIsEmptyWhenNotAskedFor) {
  const json::object o = recommendation_json(blade_runner(), false);
  expect_no_streaming(o);
  EXPECT_FALSE(o.at("streaming_lookup_failed").as_bool());
}

TEST(RecommendationJson, AFailedLookupIsFlagged) {
  domain::Recommendation rec = blade_runner();
  rec.streaming = domain::Availability{.country = "US", .lookup_failed = true};
  const json::object o = recommendation_json(rec, true);
  expect_no_streaming(o);
  EXPECT_TRUE(o.at("streaming_lookup_failed").as_bool());
}

TEST(RecommendationJson, ANonFiniteScoreIsNullSoThePayloadStaysJson) {
  domain::Recommendation rec = blade_runner();
  rec.score = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(recommendation_json(rec, true).at("score").is_null());
}

TEST(PreferencesJson, HasTheThreeListsAndTheirWeightedCounterparts) {
  domain::Preferences prefs;
  prefs.genres = {"Drama", "Thriller"};
  prefs.directors = {"Denis Villeneuve"};
  prefs.decades = {"2010s"};
  prefs.genres_weighted = {"Horror"};
  prefs.directors_weighted = {};
  prefs.decades_weighted = {"1970s", "1980s"};
  const json::object o = preferences_json(prefs);
  EXPECT_EQ(o.size(), 6u);
  EXPECT_EQ(strings(o.at("genres")), prefs.genres);
  EXPECT_EQ(strings(o.at("directors")), prefs.directors);
  EXPECT_EQ(strings(o.at("decades")), prefs.decades);
  EXPECT_EQ(strings(o.at("genres_weighted")), prefs.genres_weighted);
  EXPECT_TRUE(o.at("directors_weighted").as_array().empty());
  EXPECT_EQ(strings(o.at("decades_weighted")), prefs.decades_weighted);
}

JobResult finished_job() {
  JobResult r;
  r.username = "karsten";
  r.country_code = "US";
  r.country_name = "United States";
  r.pages = 42;
  r.preferences.genres = {"Drama"};
  r.recommendations = {blade_runner()};
  r.films = 1000;
  r.identified = 990;
  r.not_on_tmdb = 10;
  r.seeds = 150;
  r.seeds_explored = 150;
  return r;
}

TEST(ResultPayload, HasTheSeedsTopLevelFieldsAndStats) {
  const json::object o = result_payload(finished_job(), true);
  EXPECT_EQ(o.at("username").as_string(), "karsten");
  EXPECT_EQ(o.at("country_name").as_string(), "United States");
  EXPECT_EQ(o.at("country_code").as_string(), "US");
  EXPECT_EQ(o.at("pages").as_int64(), 42);
  EXPECT_EQ(strings(o.at("preferences").at("genres")), std::vector<std::string>{"Drama"});
  ASSERT_EQ(o.at("recommendations").as_array().size(), 1u);
  EXPECT_EQ(o.at("recommendations").as_array()[0].at("tmdb_id").as_int64(), 335984);
  EXPECT_EQ(o.at("streaming_attribution").as_string(), "Streaming data provided by JustWatch");
  EXPECT_EQ(o.at("stats"), (json::object{{"films", 1000},
                                         {"identified", 990},
                                         {"not_on_tmdb", 10},
                                         {"seeds", 150},
                                         {"seeds_explored", 150}}));
  EXPECT_FALSE(o.contains("request_id"));  // the server adds it
}

TEST(ResultPayload, NoStaleBlockWhenTheProfileIsLive) {
  const json::object o = result_payload(finished_job(), true);
  EXPECT_FALSE(o.contains("data_freshness"));
  EXPECT_FALSE(o.contains("hint"));
  EXPECT_FALSE(o.contains("incident"));
}

TEST(ResultPayload, StaleSnapshotAddsTheSeedsBlock) {
  JobResult r = finished_job();
  r.stale = true;
  net::BreakerSnapshot incident;
  incident.letterboxd_circuit_open = true;
  incident.letterboxd_circuit_retry_after_s = 120;
  incident.letterboxd_total_failures = 7;
  r.incident = incident;
  const json::object o = result_payload(r, true);
  EXPECT_EQ(o.at("data_freshness").as_string(), "stale_cache");
  EXPECT_EQ(o.at("hint").as_string(),
            "Showing last successful profile snapshot because live Letterboxd scraping was "
            "blocked or throttled.");
  EXPECT_EQ(o.at("incident"), (json::object{{"letterboxd_circuit_open", true},
                                            {"letterboxd_circuit_retry_after_s", 120}}));
}

TEST(ResultPayload, StaleWithoutASnapshotReportsAClosedCircuit) {
  JobResult r = finished_job();
  r.stale = true;
  const json::object o = result_payload(r, true);
  EXPECT_EQ(o.at("incident"), (json::object{{"letterboxd_circuit_open", false},
                                            {"letterboxd_circuit_retry_after_s", 0}}));
}

TEST(ResultPayload, WithoutStreamingNoAttributionAndEmptyLists) {
  const json::object o = result_payload(finished_job(), false);
  EXPECT_FALSE(o.contains("streaming_attribution"));
  EXPECT_TRUE(o.at("recommendations").as_array()[0].at("streaming").as_array().empty());
}

TEST(ResultPayload, SerialisesAndParsesBack) {
  const json::object o = result_payload(finished_job(), true);
  EXPECT_EQ(json::parse(json::serialize(o)), json::value(o));
}

TEST(ErrorPayload, NotFoundIsTheSeedsSentence) {
  const json::object o = error_payload({core::ErrorCode::kNotFound, "404 from letterboxd"});
  EXPECT_EQ(o.at("error").as_string(), "No movies found for this username.");
  EXPECT_FALSE(o.at("hint").as_string().empty());
}

TEST(ErrorPayload, BlockedThrottledOrDownSayLetterboxdAndRetryLater) {
  for (auto code :
       {core::ErrorCode::kBlocked, core::ErrorCode::kRateLimited, core::ErrorCode::kUnavailable}) {
    const json::object o = error_payload({code, "<html>cf-challenge ray id 8f</html>", true});
    const std::string error(o.at("error").as_string());
    const std::string hint(o.at("hint").as_string());
    EXPECT_NE(error.find("Letterboxd"), std::string::npos) << error;
    EXPECT_NE(error.find("temporarily"), std::string::npos) << error;
    EXPECT_NE(hint.find("try again"), std::string::npos) << hint;
    EXPECT_EQ(json::serialize(o).find("cf-challenge"), std::string::npos);
  }
}

TEST(ErrorPayload, UnauthorizedNamesTmdbButNeverTheKey) {
  const json::object o = error_payload(
      {core::ErrorCode::kUnauthorized, "TMDB 401 for api_key=0123456789abcdef0123456789abcdef"});
  const std::string text = json::serialize(o);
  EXPECT_NE(std::string(o.at("error").as_string()).find("TMDB"), std::string::npos);
  EXPECT_EQ(text.find("0123456789abcdef"), std::string::npos) << text;
  EXPECT_EQ(text.find("api_key"), std::string::npos) << text;
}

TEST(ErrorPayload, InvalidInputCarriesItsMessage) {
  const json::object o =
      error_payload({core::ErrorCode::kInvalidInput, "username must be 1-50 characters"});
  EXPECT_EQ(o.at("error").as_string(), "username must be 1-50 characters");
  EXPECT_TRUE(o.contains("hint"));
  EXPECT_EQ(o.at("code").as_string(), "invalid_input");
}

TEST(ErrorPayload, OtherKindsNeverEchoUpstreamText) {
  for (auto code : {core::ErrorCode::kUpstreamError, core::ErrorCode::kParseError,
                    core::ErrorCode::kConfigError, core::ErrorCode::kInternal}) {
    const json::object o = error_payload({code, "raw upstream body SECRET"});
    EXPECT_EQ(json::serialize(o).find("SECRET"), std::string::npos);
    EXPECT_FALSE(o.at("error").as_string().empty());
    EXPECT_FALSE(o.at("hint").as_string().empty());
  }
}

}  // namespace
}  // namespace lbrec::pipeline
