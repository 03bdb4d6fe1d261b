#include "sources/streaming/justwatch_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sources/streaming/streaming_service.hpp"

namespace lbrec::sources::streaming {
namespace {

namespace json = boost::json;
using domain::Monetization;
using domain::StreamingOffer;

// The documented composed exchange (The Matrix), with more offers.
constexpr std::string_view kMatrix = R"({"data":{"popularTitles":{"edges":[
 {"node":{"id":"tm10","objectId":10,"objectType":"MOVIE",
  "content":{"title":"The Matrix","originalReleaseYear":1999,"fullPath":"/us/movie/the-matrix",
             "externalIds":{"imdbId":"tt0133093","tmdbId":"603"}},
  "offers":[
   {"monetizationType":"RENT","presentationType":"HD","package":{"packageId":10,"clearName":"Amazon Video"}},
   {"monetizationType":"CINEMA","presentationType":"HD","package":{"packageId":99,"clearName":"Cinema"}},
   {"monetizationType":"FLATRATE","presentationType":"HD","type":"STANDARD",
    "package":{"packageId":8,"clearName":"Netflix","shortName":"nfx"},"standardWebURL":"https://example.invalid/watch"},
   {"monetizationType":"FLATRATE","presentationType":"_4K","package":{"packageId":8,"clearName":"Netflix"}},
   {"monetizationType":"ADS","presentationType":"SD","package":{"packageId":73,"clearName":"Tubi TV"}},
   {"monetizationType":"FLATRATE","presentationType":"HD","package":{"packageId":9,"clearName":"Amazon Prime Video"}},
   {"monetizationType":"PREMIERE","package":{"packageId":5,"clearName":"Odd"}},
   {"monetizationType":"BUY","presentationType":"HD","package":{"packageId":10,"clearName":"Amazon Video"}},
   {"monetizationType":"FREE","presentationType":"HD","package":{"packageId":191,"clearName":"Kanopy"}}]}},
 {"node":{"id":"ts20","objectId":20,"objectType":"SHOW",
  "content":{"title":"The Matrix Show","originalReleaseYear":null,"externalIds":{"tmdbId":null}},
  "offers":[]}}]}}})";

TEST(JustWatchJson, ReadsNodesAndTheirOffers) {
  const auto titles = parse_search_response(kMatrix);
  ASSERT_TRUE(titles.has_value()) << titles.error().message;
  ASSERT_EQ(titles->size(), 2u);
  const JustWatchTitle& m = titles->at(0);
  EXPECT_EQ(m.tmdb_id, 603);  // from a string
  EXPECT_EQ(m.title, "The Matrix");
  EXPECT_EQ(m.year, 1999);
  EXPECT_EQ(m.object_type, "MOVIE");
  // CINEMA and unknown types dropped, one offer per name and type, streams first.
  EXPECT_EQ(m.offers, (std::vector<StreamingOffer>{{"Netflix", 8, Monetization::kFlatrate},
                                                   {"Prime Video", 9, Monetization::kFlatrate},
                                                   {"Kanopy", 191, Monetization::kFree},
                                                   {"Tubi TV", 73, Monetization::kAds},
                                                   {"Amazon Video", 10, Monetization::kRent},
                                                   {"Amazon Video", 10, Monetization::kBuy}}));
  const JustWatchTitle& show = titles->at(1);
  EXPECT_EQ(show.tmdb_id, 0);
  EXPECT_FALSE(show.year.has_value());
  EXPECT_EQ(show.object_type, "SHOW");
  EXPECT_TRUE(show.offers.empty());
}

TEST(JustWatchJson, TmdbIdThatDoesNotReadIsZero) {
  for (const char* id :
       {R"("")", R"("tt603")", R"("603x")", R"("-4")", R"("99999999999")", "null", "{}"}) {
    const std::string body =
        std::string(R"({"data":{"popularTitles":{"edges":[{"node":{"objectType":"MOVIE",
      "content":{"title":"X","externalIds":{"tmdbId":)") +
        id + "}}}}]}}}";
    const auto titles = parse_search_response(body);
    ASSERT_TRUE(titles.has_value()) << id;
    ASSERT_EQ(titles->size(), 1u);
    EXPECT_EQ(titles->at(0).tmdb_id, 0) << id;
  }
  const auto missing = parse_search_response(
      R"({"data":{"popularTitles":{"edges":[{"node":{"objectType":"MOVIE","content":{"title":"X"}}}]}}})");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->at(0).tmdb_id, 0);
}

TEST(JustWatchJson, ErrorsKeyIsAnUpstreamError) {
  const auto r = parse_search_response(
      R"({"errors":[{"message":"Variable \"$country\" got invalid value \"XX\""}],"data":null})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUpstreamError);
  EXPECT_NE(r.error().message.find("invalid value"), std::string::npos);
  const auto odd = parse_search_response(R"({"errors":"boom"})");
  ASSERT_FALSE(odd.has_value());
  EXPECT_EQ(odd.error().code, core::ErrorCode::kUpstreamError);
}

TEST(JustWatchJson, MalformedIsAParseError) {
  for (const char* body : {"", "not json", R"({"data":{"popularTitles":{"edges":[)", "[]",
                           R"({"data":null})", R"({"data":{"popularTitles":{"edges":{}}}})"}) {
    const auto r = parse_search_response(body);
    ASSERT_FALSE(r.has_value()) << body;
    EXPECT_EQ(r.error().code, core::ErrorCode::kParseError) << body;
  }
}

TEST(JustWatchJson, OddNodesAndOffersAreSkipped) {
  const auto r = parse_search_response(R"({"data":{"popularTitles":{"edges":[null, 3, {"node":null},
    {"node":{"objectType":"MOVIE","content":{"title":"Y","originalReleaseYear":"1999"},
     "offers":[null, {"monetizationType":"FLATRATE"}, {"monetizationType":"FLATRATE","package":{"clearName":""}},
               {"monetizationType":7,"package":{"clearName":"Netflix"}},
               {"monetizationType":"flatrate","package":{"clearName":" Disney+ ","packageId":"337"}}]}}]}}})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_FALSE(r->at(0).year.has_value());
  EXPECT_EQ(r->at(0).offers,
            (std::vector<StreamingOffer>{{"Disney Plus", 0, Monetization::kFlatrate}}));
}

TEST(JustWatchJson, RequestBodyIsSimpleJustWatchsSearch) {
  const json::value body = json::parse(search_request_body("Amélie \"quoted\"", "CL", 5));
  EXPECT_EQ(body.at("operationName"), "GetSearchTitles");
  const json::value& vars = body.at("variables");
  EXPECT_EQ(vars.at("country"), "CL");
  EXPECT_EQ(vars.at("language"), "en");
  EXPECT_EQ(vars.at("first"), 5);
  EXPECT_EQ(vars.at("searchTitlesFilter").at("searchQuery"), "Amélie \"quoted\"");
  EXPECT_EQ(vars.at("filter").at("bestOnly"), true);
  const std::string query(body.at("query").as_string());
  EXPECT_NE(query.find("query GetSearchTitles("), std::string::npos);
  EXPECT_NE(query.find("popularTitles("), std::string::npos);
  EXPECT_NE(query.find("offers(country: $country, platform: WEB, filter: $filter)"),
            std::string::npos);
  EXPECT_NE(query.find("tmdbId"), std::string::npos);
}

JustWatchTitle hit(int tmdb_id, std::string title, std::optional<int> year,
                   std::string type = "MOVIE") {
  return JustWatchTitle{tmdb_id, std::move(title), year, std::move(type), {}};
}

TEST(MatchTitle, TheSameTmdbIdWinsOverTitles) {
  const std::vector<JustWatchTitle> hits = {hit(1, "Solaris", 1972), hit(2, "Solaris", 2002)};
  EXPECT_EQ(match_title(hits, FilmKey{2, "Solaris", 1972}), &hits[1]);
  EXPECT_EQ(match_title(hits, FilmKey{1, "Solaris", 2002}), &hits[0]);
}

TEST(MatchTitle, TitleAndYearWithinOneWhenTheIdIsUnknown) {
  const std::vector<JustWatchTitle> hits = {hit(0, "Amélie!", 2001), hit(0, "Other", 2001)};
  EXPECT_EQ(match_title(hits, FilmKey{77, "amelie", 2002}), &hits[0]);
  EXPECT_EQ(match_title(hits, FilmKey{77, "Amelie", 2000}), &hits[0]);
  EXPECT_EQ(match_title(hits, FilmKey{77, "Amelie", 2003}), nullptr);
  EXPECT_EQ(match_title(hits, FilmKey{0, "Amelie", std::nullopt}), &hits[0]);
  EXPECT_EQ(match_title(hits, FilmKey{0, "", std::nullopt}), nullptr);
}

TEST(MatchTitle, OtherFilmsAndShowsNeverMatch) {
  // A hit with another known TMDB id is a different film of the same name.
  const std::vector<JustWatchTitle> remake = {hit(5, "Solaris", 2002)};
  EXPECT_EQ(match_title(remake, FilmKey{6, "Solaris", 2002}), nullptr);
  EXPECT_EQ(match_title(remake, FilmKey{0, "Solaris", 2002}), &remake[0]);
  // TMDB's movie and tv ids overlap: a show with the film's id is not the film.
  const std::vector<JustWatchTitle> shows = {hit(6, "Solaris", 2002, "SHOW"),
                                             hit(0, "Solaris", 2002, "SHOW")};
  EXPECT_EQ(match_title(shows, FilmKey{6, "Solaris", 2002}), nullptr);
}

}  // namespace
}  // namespace lbrec::sources::streaming
