// The fake world over real loopback sockets: every route family, every fault mode, counters.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "fakeworld/fake_world_server.hpp"
#include "fakeworld/justwatch_api.hpp"
#include "support/curl_fetch.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::fakeworld {
namespace {

using lbrec::testing::CurlFetch;
using lbrec::testing::Fetched;
using lbrec::testing::FetchOptions;

class FakeWorldServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 11, .films = 800, .users = 30}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    server_->faults().clear();
    server_->stats().reset();
  }

  static std::string url(const std::string& path) { return server_->base_url() + path; }
  static std::string tmdb(const std::string& path, const std::string& query = "") {
    return url("/3/" + path + "?api_key=" + std::string(kFakeTmdbApiKey) + query);
  }
  static const Film& some_film() {
    for (const Film& f : server_->world().films()) {
      if (!f.is_tv && f.index > 1) return f;
    }
    return server_->world().films().back();
  }
  void set_fault(Family family, FaultKind kind, int retry_after = 2, int count = -1,
                 int latency = 0, double rate = 1.0) {
    server_->faults().set(family, FaultRule{kind, rate, count, latency, retry_after});
  }
  Fetched get(const std::string& u, const FetchOptions& o = {}) { return client_.fetch(u, o); }

  static FakeWorldServer* server_;
  CurlFetch client_;
};

FakeWorldServer* FakeWorldServerTest::server_ = nullptr;

boost::json::value parse_json(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  EXPECT_FALSE(ec) << body.substr(0, 200);
  return v;
}

TEST_F(FakeWorldServerTest, ServesEveryLetterboxdRoute) {
  const Film& f = some_film();
  const auto films = get(url("/demo/films/"));
  EXPECT_EQ(films.status, 200);
  EXPECT_NE(films.body.find("data-owner=\"demo\""), std::string::npos);
  EXPECT_EQ(get(url("/demo/films/page/2/")).status, 200);
  EXPECT_EQ(get(url("/demo/likes/films/")).status, 200);
  EXPECT_EQ(get(url("/demo/watchlist/")).status, 200);
  const auto rss = get(url("/demo/rss/"));
  EXPECT_EQ(rss.status, 200);
  EXPECT_NE(rss.header("content-type").find("application/rss+xml"), std::string::npos);
  const auto page = get(url("/film/" + f.slug + "/"));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-tmdb-id=\"" + std::to_string(f.tmdb_id) + "\""),
            std::string::npos);
  EXPECT_EQ(get(url("/film/" + f.slug + "/json/")).status, 200);
  const auto redirect = get(url("/tmdb/" + std::to_string(f.tmdb_id) + "/"));
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(redirect.header("location"), "/film/" + f.slug + "/");
  const auto missing = get(url("/nobody-here/films/"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("class=\"error"), std::string::npos);
}

TEST_F(FakeWorldServerTest, ServesTmdbWithBothCredentialKinds) {
  const Film& f = some_film();
  const std::string id = std::to_string(f.tmdb_id);
  const auto details =
      get(tmdb("movie/" + id, "&append_to_response=credits,similar,watch/providers"));
  ASSERT_EQ(details.status, 200);
  const auto body = parse_json(details.body).as_object();
  EXPECT_EQ(body.at("id").as_int64(), f.tmdb_id);
  EXPECT_TRUE(body.contains("watch/providers"));
  EXPECT_FALSE(body.at("credits").as_object().contains("id"));

  const auto bearer = get(url("/3/movie/" + id),
                          {.headers = {"Authorization: Bearer " + std::string(kFakeTmdbToken)}});
  EXPECT_EQ(bearer.status, 200);
  const auto bad = get(url("/3/movie/" + id + "?api_key=0000"));
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(parse_json(bad.body).at("status_code").as_int64(), 7);

  for (const std::string sub : {"similar", "recommendations", "credits", "keywords", "external_ids",
                                "release_dates", "watch/providers"}) {
    const auto r = get(tmdb("movie/" + id + "/" + sub));
    EXPECT_EQ(r.status, 200) << sub;
    EXPECT_EQ(parse_json(r.body).at("id").as_int64(), f.tmdb_id) << sub;
  }
  EXPECT_EQ(get(tmdb("search/movie", "&query=the")).status, 200);
  EXPECT_EQ(get(tmdb("configuration")).status, 200);
  EXPECT_EQ(get(tmdb("genre/movie/list")).status, 200);
  const auto unknown = get(tmdb("movie/1"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(parse_json(unknown.body).at("status_code").as_int64(), 34);
}

TEST_F(FakeWorldServerTest, ServesJustWatchGraphql) {
  const Film& f = some_film();
  boost::json::object request{
      {"operationName", "GetSearchTitles"},
      {"variables",
       {{"country", "US"},
        {"language", "en"},
        {"first", 5},
        {"searchTitlesFilter", {{"searchQuery", f.title}}}}},
      {"query", "query GetSearchTitles { popularTitles { edges { node { id } } } }"}};
  const auto r = get(url("/graphql"), {.method = "POST",
                                       .body = boost::json::serialize(request),
                                       .headers = {"Content-Type: application/json"}});
  ASSERT_EQ(r.status, 200);
  const auto edges = parse_json(r.body).at_pointer("/data/popularTitles/edges").as_array();
  bool found = false;
  for (const auto& e : edges) {
    found |=
        e.at_pointer("/node/content/externalIds/tmdbId").as_string() == std::to_string(f.tmdb_id);
  }
  EXPECT_TRUE(found);
}

TEST_F(FakeWorldServerTest, AdminEndpointsServeExportsMembersAndCounters) {
  const auto zip = get(url("/__export/demo.zip"));
  EXPECT_EQ(zip.status, 200);
  EXPECT_EQ(zip.header("content-type"), "application/zip");
  EXPECT_EQ(zip.body.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_EQ(get(url("/__export/nobody.zip")).status, 404);
  EXPECT_GE(parse_json(get(url("/__users")).body).as_array().size(), 30u);

  server_->stats().reset();
  get(url("/demo/films/"));
  get(url("/demo/films/"));
  get(tmdb("configuration"));
  const auto stats = parse_json(get(url("/__stats")).body);
  EXPECT_EQ(stats.at_pointer("/families/letterboxd").as_int64(), 2);
  EXPECT_EQ(stats.at_pointer("/families/tmdb").as_int64(), 1);
  EXPECT_EQ(stats.at_pointer("/families/justwatch").as_int64(), 0);
  EXPECT_EQ(stats.at_pointer("/routes/letterboxd.films").as_int64(), 2);
  EXPECT_EQ(get(url("/__reset")).status, 405);
  EXPECT_EQ(get(url("/__reset"), {.method = "POST"}).status, 200);
  EXPECT_EQ(parse_json(get(url("/__stats")).body).at("total").as_int64(), 0);
}

TEST_F(FakeWorldServerTest, ChallengeFaultLooksLikeCloudflare) {
  set_fault(Family::kLetterboxd, FaultKind::kChallenge);
  const auto r = get(url("/demo/films/"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("cf-mitigated"), "challenge");
  EXPECT_EQ(r.header("server"), "cloudflare");
  EXPECT_NE(r.body.find("<title>Just a moment...</title>"), std::string::npos);
  // Other families are untouched.
  EXPECT_EQ(get(tmdb("configuration")).status, 200);
}

TEST_F(FakeWorldServerTest, RateLimitWithAndWithoutRetryAfter) {
  set_fault(Family::kLetterboxd, FaultKind::kRateLimit, 7);
  auto r = get(url("/demo/films/"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "7");
  EXPECT_NE(r.body.find("You are being rate limited"), std::string::npos);

  set_fault(Family::kLetterboxd, FaultKind::kRateLimit, -1);
  r = get(url("/demo/films/"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "");

  set_fault(Family::kTmdb, FaultKind::kRateLimit, 3);
  r = get(tmdb("configuration"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "3");
  EXPECT_EQ(parse_json(r.body).at("status_code").as_int64(), 25);
}

TEST_F(FakeWorldServerTest, ServerErrorFaults) {
  set_fault(Family::kLetterboxd, FaultKind::kError500);
  EXPECT_EQ(get(url("/demo/films/")).status, 500);
  set_fault(Family::kLetterboxd, FaultKind::kError503);
  EXPECT_EQ(get(url("/demo/films/")).status, 503);
  set_fault(Family::kTmdb, FaultKind::kError503);
  const auto r = get(tmdb("configuration"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(parse_json(r.body).at("status_code").as_int64(), 46);
  set_fault(Family::kJustWatch, FaultKind::kError500);
  EXPECT_EQ(get(url("/graphql"), {.method = "POST", .body = "{}"}).status, 500);
}

TEST_F(FakeWorldServerTest, TruncatedBodyIsAPartialTransfer) {
  set_fault(Family::kLetterboxd, FaultKind::kTruncate);
  const auto r = get(url("/demo/films/"));
  EXPECT_EQ(r.code, CURLE_PARTIAL_FILE);
  EXPECT_EQ(r.status, 200);
  EXPECT_LT(r.body.size(), std::stoul(r.header("content-length")));
}

TEST_F(FakeWorldServerTest, MalformedBodiesDoNotParse) {
  set_fault(Family::kTmdb, FaultKind::kMalformed);
  const auto r = get(tmdb("movie/" + std::to_string(some_film().tmdb_id)));
  EXPECT_EQ(r.code, CURLE_OK);
  EXPECT_EQ(r.status, 200);
  boost::system::error_code ec;
  boost::json::parse(r.body, ec);
  EXPECT_TRUE(ec);

  set_fault(Family::kLetterboxd, FaultKind::kMalformed);
  const auto page = get(url("/demo/films/"));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("</html>"), std::string::npos);
}

TEST_F(FakeWorldServerTest, ResetClosesWithoutAResponse) {
  set_fault(Family::kLetterboxd, FaultKind::kReset);
  const auto r = get(url("/demo/films/"));
  EXPECT_TRUE(r.code == CURLE_RECV_ERROR || r.code == CURLE_GOT_NOTHING)
      << curl_easy_strerror(r.code);
  EXPECT_EQ(r.status, 0);
  server_->faults().clear();
  EXPECT_EQ(get(url("/demo/films/")).status, 200);  // the server keeps serving
}

TEST_F(FakeWorldServerTest, JavaScriptChallengeLetsOnlyTheCookieThrough) {
  set_fault(Family::kLetterboxd, FaultKind::kJsChallenge);
  const auto blocked = get(url("/demo/films/"));
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.header("cf-mitigated"), "challenge");
  EXPECT_NE(blocked.body.find("document.cookie"), std::string::npos);
  EXPECT_NE(blocked.body.find(server_->clearance()), std::string::npos);
  const auto passed = get(url("/demo/films/"),
                          {.headers = {"Cookie: other=1; cf_clearance=" + server_->clearance()}});
  EXPECT_EQ(passed.status, 200);
  EXPECT_EQ(get(url("/demo/films/"), {.headers = {"Cookie: cf_clearance=wrong"}}).status, 403);
}

TEST_F(FakeWorldServerTest, LatencyIsAdded) {
  set_fault(Family::kTmdb, FaultKind::kNone, 2, -1, 150);
  const auto r = get(tmdb("configuration"));
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(r.seconds, 0.14);
}

TEST_F(FakeWorldServerTest, CountLimitedFaultStopsAfterCount) {
  set_fault(Family::kLetterboxd, FaultKind::kChallenge, 2, 2);
  EXPECT_EQ(get(url("/demo/films/")).status, 403);
  EXPECT_EQ(get(url("/demo/films/")).status, 403);
  EXPECT_EQ(get(url("/demo/films/")).status, 200);
  EXPECT_EQ(
      parse_json(get(url("/__stats")).body).at_pointer("/faults_injected/letterboxd").as_int64(),
      2);
}

TEST_F(FakeWorldServerTest, PartialRateFaultsSomeRequests) {
  set_fault(Family::kLetterboxd, FaultKind::kError503, 2, -1, 0, 0.5);
  int failed = 0;
  for (int i = 0; i < 40; ++i)
    failed += get(url("/one_film/films/")).status == 503;
  EXPECT_GT(failed, 8);
  EXPECT_LT(failed, 32);
}

TEST_F(FakeWorldServerTest, FaultsAreSetOverHttp) {
  auto r = get(url("/__faults"),
               {.method = "POST", .body = R"({"family":"tmdb","fault":"error500","count":1})"});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(parse_json(r.body).at_pointer("/tmdb/fault").as_string(), "error500");
  EXPECT_EQ(get(tmdb("configuration")).status, 500);
  EXPECT_EQ(get(tmdb("configuration")).status, 200);

  EXPECT_EQ(get(url("/__faults"), {.method = "POST", .body = "not json"}).status, 400);
  EXPECT_EQ(
      get(url("/__faults"), {.method = "POST", .body = R"({"family":"tmdb","fault":"meteor"})"})
          .status,
      400);
  EXPECT_EQ(
      get(url("/__faults"), {.method = "POST", .body = R"({"family":"mars","fault":"challenge"})"})
          .status,
      400);

  ASSERT_EQ(
      get(url("/__faults"), {.method = "POST", .body = R"({"family":"all","fault":"challenge"})"})
          .status,
      200);
  EXPECT_EQ(get(url("/demo/films/")).status, 403);
  EXPECT_EQ(get(tmdb("configuration")).status, 403);
  EXPECT_EQ(get(url("/__faults"), {.method = "DELETE"}).status, 200);
  EXPECT_EQ(get(url("/demo/films/")).status, 200);
}

TEST_F(FakeWorldServerTest, RejectsOversizedBodies) {
  const auto r = get(url("/graphql"), {.method = "POST", .body = std::string(2u << 20, 'x')});
  EXPECT_EQ(r.status, 413);
}

TEST_F(FakeWorldServerTest, ServesConcurrentClients) {
  constexpr int kThreads = 8;
  constexpr int kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      CurlFetch client;
      for (int i = 0; i < kRequests; ++i) {
        const std::string path =
            (i % 2) ? "/demo/films/page/" + std::to_string(1 + (t + i) % 5) + "/" : "/demo/rss/";
        ok += client.fetch(url(path)).status == 200;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), kThreads * kRequests);
  EXPECT_EQ(server_->stats().family_total("letterboxd"),
            static_cast<std::uint64_t>(kThreads * kRequests));
}

}  // namespace
}  // namespace lbrec::fakeworld
