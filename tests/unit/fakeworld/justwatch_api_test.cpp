// The fake JustWatch GraphQL endpoint against docs/upstreams/tmdb-and-streaming.md §5.1: POST
// bodies dispatched on operationName, top-level "errors", country validation, paging limits.

#include "fakeworld/justwatch_api.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>
#include <string>

#include "fakeworld/providers.hpp"
#include "fakeworld_test_support.hpp"

namespace lbrec::fakeworld {
namespace {

using testing::film_at;
using testing::small_world;

FakeReply post(const boost::json::value& body, std::string method = "POST") {
  FakeRequest r;
  r.method = std::move(method);
  r.path = "/graphql";
  r.body = boost::json::serialize(body);
  std::string route;
  return serve_justwatch(small_world(), r, route);
}

boost::json::object parse(const FakeReply& reply) {
  boost::system::error_code ec;
  auto v = boost::json::parse(reply.body, ec);
  EXPECT_FALSE(ec) << reply.body.substr(0, 200);
  return ec || !v.is_object() ? boost::json::object{} : v.as_object();
}

bool has_errors(const boost::json::object& o) {
  return o.contains("errors") && o.at("errors").is_array() && !o.at("errors").as_array().empty() &&
         o.at("errors").as_array()[0].as_object().contains("message");
}

boost::json::object search(std::string_view query, std::string_view country, std::int64_t first,
                           std::int64_t offset = 0) {
  boost::json::object vars{{"country", country},
                           {"language", "en"},
                           {"first", first},
                           {"offset", offset},
                           {"formatPoster", "JPG"},
                           {"filter", boost::json::object{{"bestOnly", true}}},
                           {"searchTitlesFilter", boost::json::object{{"searchQuery", query}}}};
  return {
      {"operationName", "GetSearchTitles"},
      {"variables", std::move(vars)},
      {"query",
       "query GetSearchTitles($country: Country!) { popularTitles { edges { node { id } } } }"}};
}

const Film& offered_movie(std::string_view country) {
  for (const Film& f : small_world().films()) {
    if (f.index >= 2 && !f.is_tv && f.title.find(' ') != std::string::npos &&
        !small_world().offers(f.index, country).empty()) {
      return f;
    }
  }
  return small_world().films().front();
}

TEST(JustWatchApi, SearchReturnsNodesWithStringTmdbIdsAndLocalOffers) {
  const World& w = small_world();
  const Film& f = offered_movie("US");
  const auto reply = post(search(f.title, "US", 5));
  ASSERT_EQ(reply.status, 200);
  const auto body = parse(reply);
  EXPECT_FALSE(body.contains("errors"));
  const auto& edges = body.at("data").at("popularTitles").at("edges").as_array();
  ASSERT_FALSE(edges.empty());
  EXPECT_LE(edges.size(), 5u);
  const auto it = std::find_if(edges.begin(), edges.end(), [&](const boost::json::value& e) {
    return e.at("node").at("content").at("externalIds").at("tmdbId") ==
           boost::json::value(std::to_string(f.tmdb_id));
  });
  ASSERT_NE(it, edges.end()) << f.title;
  const auto& node = it->at("node").as_object();
  EXPECT_EQ(node.at("id").as_string(), justwatch_node_id(f));
  EXPECT_EQ(node.at("objectType").as_string(), "MOVIE");
  EXPECT_TRUE(node.at("content").at("externalIds").at("tmdbId").is_string());
  EXPECT_EQ(node.at("content").at("title").as_string(), f.title);
  EXPECT_TRUE(node.at("id").as_string().starts_with("tm"));
  EXPECT_EQ(node.at("objectId").as_int64(),
            std::stoll(std::string(node.at("id").as_string()).substr(2)));

  const auto offers = w.offers(f.index, "US");
  const auto& got = node.at("offers").as_array();
  ASSERT_EQ(got.size(), offers.size());
  const auto local = providers_in("US");
  std::set<std::int64_t> allowed;
  for (const Provider* p : local)
    allowed.insert(p->id);
  const std::set<std::string_view> types = {"FLATRATE", "RENT", "BUY", "FREE", "ADS"};
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& o = got[i].as_object();
    EXPECT_EQ(o.at("package").at("packageId").as_int64(), offers[i].provider->id);
    EXPECT_TRUE(allowed.contains(o.at("package").at("packageId").as_int64()));
    EXPECT_TRUE(types.contains(o.at("monetizationType").as_string()));
    EXPECT_EQ(o.at("currency").as_string(), "USD");
  }
  // Every edge carries a node with its TMDB id as a string.
  for (const auto& e : edges) {
    EXPECT_TRUE(e.at("node").at("content").at("externalIds").at("tmdbId").is_string());
  }
}

TEST(JustWatchApi, OffersFollowTheRequestedCountry) {
  const World& w = small_world();
  const Film& f = offered_movie("GB");
  const auto body = parse(post(search(f.title, "GB", 10)));
  const auto& edges = body.at("data").at("popularTitles").at("edges").as_array();
  const auto it = std::find_if(edges.begin(), edges.end(), [&](const boost::json::value& e) {
    return e.at("node").at("id").as_string() == justwatch_node_id(f);
  });
  ASSERT_NE(it, edges.end());
  const auto& offers = it->at("node").at("offers").as_array();
  EXPECT_EQ(offers.size(), w.offers(f.index, "GB").size());
  for (const auto& o : offers) {
    EXPECT_EQ(o.at("currency").as_string(), "GBP");
    EXPECT_NE(o.at("package").at("packageId").as_int64(), 15);  // Hulu is US only
  }
}

TEST(JustWatchApi, InvalidCountryAndOversizedPagesAreErrors) {
  for (const char* country : {"usa", "us", "U1", ""}) {
    if (std::string_view(country).empty()) continue;  // an absent country defaults to US
    const auto reply = post(search("the", country, 4));
    EXPECT_TRUE(has_errors(parse(reply))) << country;
    EXPECT_FALSE(parse(reply).contains("data")) << country;
  }
  EXPECT_TRUE(has_errors(parse(post(search("the", "US", 101)))));
  const auto ok = parse(post(search("the", "US", 100)));
  EXPECT_FALSE(ok.contains("errors"));
  EXPECT_EQ(ok.at("data").at("popularTitles").at("edges").as_array().size(), 100u);

  // At most 1999 entries are reachable: beyond that an empty list, not an error.
  const auto beyond = parse(post(search("", "US", 10, 1990)));
  EXPECT_FALSE(beyond.contains("errors"));
  EXPECT_TRUE(beyond.at("data").at("popularTitles").at("edges").as_array().empty());
  const auto edge = parse(post(search("", "US", 9, 1)));
  EXPECT_EQ(edge.at("data").at("popularTitles").at("edges").as_array().size(), 9u);

  boost::json::object bad_language = search("the", "US", 4);
  bad_language["variables"].as_object()["language"] = "english";
  EXPECT_TRUE(has_errors(parse(post(bad_language))));
}

TEST(JustWatchApi, SearchPagesWithOffset) {
  const auto all = parse(post(search("the", "US", 20, 0)));
  const auto second = parse(post(search("the", "US", 10, 10)));
  const auto& a = all.at("data").at("popularTitles").at("edges").as_array();
  const auto& b = second.at("data").at("popularTitles").at("edges").as_array();
  ASSERT_EQ(a.size(), 20u);
  ASSERT_EQ(b.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(b[i].at("node").at("id"), a[10 + i].at("node").at("id"));
  }
}

TEST(JustWatchApi, TitleOffersAnswerEachCountryAlias) {
  const World& w = small_world();
  const Film& f = offered_movie("US");
  const boost::json::object request{
      {"operationName", "GetTitleOffers"},
      {"variables", boost::json::object{{"nodeId", justwatch_node_id(f)},
                                        {"language", "en"},
                                        {"filter", boost::json::object{{"bestOnly", true}}}}},
      {"query",
       "query GetTitleOffers($nodeId: ID!) { node(id: $nodeId) { ... on Movie { US: "
       "offers(country: US, "
       "platform: WEB) { id } GB: offers(country: GB, platform: WEB) { id } } } }"}};
  const auto body = parse(post(request));
  EXPECT_FALSE(body.contains("errors"));
  const auto& node = body.at("data").at("node").as_object();
  EXPECT_EQ(node.at("id").as_string(), justwatch_node_id(f));
  ASSERT_TRUE(node.contains("US"));
  ASSERT_TRUE(node.contains("GB"));
  EXPECT_EQ(node.at("US").as_array().size(), w.offers(f.index, "US").size());
  EXPECT_EQ(node.at("GB").as_array().size(), w.offers(f.index, "GB").size());
  for (const auto& o : node.at("GB").as_array()) {
    EXPECT_EQ(o.at("currency").as_string(), "GBP");
  }
  EXPECT_FALSE(node.contains("FR"));

  // Unknown node: data.node is null.
  boost::json::object unknown = request;
  unknown["variables"].as_object()["nodeId"] = "tm1";
  EXPECT_TRUE(parse(post(unknown)).at("data").at("node").is_null());
  // A lower-case alias country is refused.
  boost::json::object lower = request;
  lower["query"] =
      "query { node(id: $nodeId) { ... on Movie { us: offers(country: us, platform: WEB) { id } } "
      "} }";
  EXPECT_TRUE(has_errors(parse(post(lower))));
}

TEST(JustWatchApi, TitleNodeAndProviders) {
  const Film& f = offered_movie("US");
  const auto node = parse(
      post(boost::json::object{{"operationName", "GetTitleNode"},
                               {"variables", boost::json::object{{"nodeId", justwatch_node_id(f)},
                                                                 {"country", "US"},
                                                                 {"language", "en"}}}}));
  EXPECT_EQ(node.at("data").at("node").at("content").at("externalIds").at("tmdbId").as_string(),
            std::to_string(f.tmdb_id));

  const auto providers = parse(post(boost::json::object{
      {"operationName", "GetProviders"}, {"variables", boost::json::object{{"country", "US"}}}}));
  const auto& packages = providers.at("data").at("packages").as_array();
  EXPECT_EQ(packages.size(), providers_in("US").size());
  std::set<std::int64_t> ids;
  for (const auto& p : packages) {
    ids.insert(p.at("packageId").as_int64());
    EXPECT_FALSE(p.at("monetizationTypes").as_array().empty());
    EXPECT_FALSE(p.at("shortName").as_string().empty());
  }
  // Package ids equal TMDB provider ids (Netflix 8, Prime Video 9, Amazon Video 10, Hulu 15).
  for (std::int64_t id : {8, 9, 10, 15, 337}) {
    EXPECT_TRUE(ids.contains(id)) << id;
  }
  EXPECT_TRUE(has_errors(
      parse(post(boost::json::object{{"operationName", "GetProviders"},
                                     {"variables", boost::json::object{{"country", "gbr"}}}}))));
}

TEST(JustWatchApi, TransportErrors) {
  const auto get = post(search("the", "US", 4), "GET");
  EXPECT_EQ(get.status, 405);
  EXPECT_TRUE(has_errors(parse(get)));

  FakeRequest malformed;
  malformed.method = "POST";
  malformed.path = "/graphql";
  malformed.body = "{\"operationName\": \"GetSearchTitles\", ";
  std::string route;
  const auto bad = serve_justwatch(small_world(), malformed, route);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(has_errors(parse(bad)));
  malformed.body = "[1, 2, 3]";
  EXPECT_EQ(serve_justwatch(small_world(), malformed, route).status, 400);

  const auto unknown = parse(post(boost::json::object{{"operationName", "DropTables"}}));
  EXPECT_TRUE(has_errors(unknown));
}

}  // namespace
}  // namespace lbrec::fakeworld
