#include "sources/streaming/tmdb_providers_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace lbrec::sources::streaming {
namespace {

namespace json = boost::json;
using domain::Monetization;
using domain::StreamingOffer;

domain::ProviderTable parse_results(std::string_view results_json) {
  const json::value v = json::parse(results_json);
  return parse_provider_results(v.as_object());
}

TEST(TmdbProviders, ReadsTheDocumentedExample) {
  const auto table = parse_watch_providers_body(R"({"id":550,"results":{
    "US":{"link":"https://www.themoviedb.org/movie/550-fight-club/watch?locale=US",
     "flatrate":[{"logo_path":"/h.jpg","provider_id":15,"provider_name":"Hulu","display_priority":6}],
     "rent":[{"logo_path":"/a.jpg","provider_id":10,"provider_name":"Amazon Video","display_priority":12}]},
    "AL":{"link":"https://www.themoviedb.org/movie/550-fight-club/watch?locale=AL",
     "buy":[{"logo_path":"/a.jpg","provider_id":10,"provider_name":"Amazon Video","display_priority":3}]}}})");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  ASSERT_EQ(table->size(), 2u);
  EXPECT_EQ(table->at("US"),
            (std::vector<StreamingOffer>{{"Hulu", 15, Monetization::kFlatrate},
                                         {"Amazon Video", 10, Monetization::kRent}}));
  // Omitted categories are simply absent.
  EXPECT_EQ(table->at("AL"),
            (std::vector<StreamingOffer>{{"Amazon Video", 10, Monetization::kBuy}}));
}

TEST(TmdbProviders, StreamsFirstThenRentThenBuyEachByDisplayPriority) {
  const auto table = parse_results(R"({"GB":{"link":"x",
    "buy":[{"provider_id":2,"provider_name":"Apple TV","display_priority":4},
           {"provider_id":10,"provider_name":"Amazon Video","display_priority":1}],
    "rent":[{"provider_id":10,"provider_name":"Amazon Video","display_priority":1}],
    "ads":[{"provider_id":73,"provider_name":"Tubi TV","display_priority":20}],
    "free":[{"provider_id":38,"provider_name":"BBC iPlayer","display_priority":30}],
    "flatrate":[{"provider_id":9,"provider_name":"Amazon Prime Video","display_priority":5},
                {"provider_id":8,"provider_name":"Netflix","display_priority":2}]}})");
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table.at("GB"), (std::vector<StreamingOffer>{
                                {"Netflix", 8, Monetization::kFlatrate},
                                {"Prime Video", 9, Monetization::kFlatrate},
                                {"BBC iPlayer", 38, Monetization::kFree},
                                {"Tubi TV", 73, Monetization::kAds},
                                {"Amazon Video", 10, Monetization::kRent},
                                {"Amazon Video", 10, Monetization::kBuy},
                                {"Apple TV", 2, Monetization::kBuy},
                            }));
}

TEST(TmdbProviders, DuplicatesAfterNormalisationAreDroppedPerType) {
  const auto table = parse_results(R"({"US":{
    "flatrate":[{"provider_id":9,"provider_name":"Amazon Prime Video","display_priority":1},
                {"provider_id":2100,"provider_name":"Amazon Prime Video with Ads","display_priority":2},
                {"provider_id":8,"provider_name":"Netflix","display_priority":3},
                {"provider_id":1796,"provider_name":"Netflix basic with Ads","display_priority":4}],
    "ads":[{"provider_id":2100,"provider_name":"Amazon Prime Video with Ads","display_priority":2}]}})");
  EXPECT_EQ(table.at("US"),
            (std::vector<StreamingOffer>{{"Prime Video", 9, Monetization::kFlatrate},
                                         {"Netflix", 8, Monetization::kFlatrate},
                                         {"Prime Video", 2100, Monetization::kAds}}));
}

TEST(TmdbProviders, OddEntriesAreSkippedNeverACrash) {
  const auto table = parse_results(R"({
    "US":{"link":null,"flatrate":[null, 7, "Netflix", [], {},
          {"provider_name":null,"provider_id":8},
          {"provider_name":"   ","provider_id":8},
          {"provider_name":"Netflix","provider_id":"8","display_priority":"1"},
          {"provider_name":"MUBI","provider_id":-3,"display_priority":1.5},
          {"provider_name":"Hulu","provider_id":15,"display_priority":0}],
          "rent":{"provider_name":"Amazon Video"}, "buy":null, "free":"x"},
    "XK1":{"flatrate":[{"provider_name":"Netflix","provider_id":8}]},
    "":{"flatrate":[{"provider_name":"Netflix","provider_id":8}]},
    "FR":[],
    "DE":null,
    "AL":{"link":"only a link"},
    "ca":{"flatrate":[{"provider_name":"Crave","provider_id":230,"display_priority":1}]}})");
  ASSERT_EQ(table.size(), 2u);
  // Entries without a priority come after the ones with one; ids that do not read are 0.
  EXPECT_EQ(table.at("US"), (std::vector<StreamingOffer>{{"Hulu", 15, Monetization::kFlatrate},
                                                         {"Netflix", 0, Monetization::kFlatrate},
                                                         {"MUBI", 0, Monetization::kFlatrate}}));
  // Country codes come out upper case.
  EXPECT_EQ(table.at("CA"), (std::vector<StreamingOffer>{{"Crave", 230, Monetization::kFlatrate}}));
}

TEST(TmdbProviders, NoDataIsAnEmptyTable) {
  const auto table = parse_watch_providers_body(R"({"id":1,"results":{}})");
  ASSERT_TRUE(table.has_value());
  EXPECT_TRUE(table->empty());
}

TEST(TmdbProviders, NonJsonOrNoResultsIsAParseError) {
  for (const char* body :
       {"", "<html>oops</html>", R"({"results":)", "[]", "null",
        R"({"status_code":34,"status_message":"not found"})", R"({"results":[]})"}) {
    const auto table = parse_watch_providers_body(body);
    ASSERT_FALSE(table.has_value()) << body;
    EXPECT_EQ(table.error().code, core::ErrorCode::kParseError) << body;
  }
}

TEST(TmdbProviders, AppendedKeyHasTheSameShape) {
  const json::value details = json::parse(R"({"id":550,"title":"Fight Club",
    "watch/providers":{"results":{"CL":{"link":"x",
      "flatrate":[{"provider_id":337,"provider_name":"Disney Plus","display_priority":3}]}}}})");
  const auto table =
      parse_provider_results(details.at("watch/providers").at("results").as_object());
  EXPECT_EQ(table.at("CL"),
            (std::vector<StreamingOffer>{{"Disney Plus", 337, Monetization::kFlatrate}}));
}

TEST(OfferCodec, RoundTripsAndIsCompact) {
  const std::vector<StreamingOffer> offers = {{"Netflix", 8, Monetization::kFlatrate},
                                              {"Kanopy", 191, Monetization::kFree},
                                              {"Tubi TV", 73, Monetization::kAds},
                                              {"Amazon Video", 10, Monetization::kRent},
                                              {"Apple TV", 0, Monetization::kBuy}};
  const json::array encoded = encode_offers(offers);
  EXPECT_EQ(json::serialize(encoded.at(0)), R"({"p":"Netflix","i":8,"t":"flatrate"})");
  // Through text, as a cache stores it.
  EXPECT_EQ(decode_offers(json::parse(json::serialize(encoded))), offers);
  EXPECT_TRUE(encode_offers({}).empty());
}

TEST(OfferCodec, DecodingSkipsWhatDoesNotRead) {
  const json::value v = json::parse(R"([{"p":"Netflix","i":8,"t":"flatrate"},
    {"p":"","i":1,"t":"rent"}, {"i":2,"t":"rent"}, {"p":"X","i":3,"t":"cinema"},
    {"p":"Y","t":"buy"}, 5, null, {"p":"Z","i":"9","t":"ads"}])");
  EXPECT_EQ(decode_offers(v), (std::vector<StreamingOffer>{{"Netflix", 8, Monetization::kFlatrate},
                                                           {"Y", 0, Monetization::kBuy},
                                                           {"Z", 0, Monetization::kAds}}));
  EXPECT_TRUE(decode_offers(json::parse(R"({"p":"Netflix"})")).empty());
  EXPECT_TRUE(decode_offers(json::value(nullptr)).empty());
}

}  // namespace
}  // namespace lbrec::sources::streaming
