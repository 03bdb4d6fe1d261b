// The HTTP service over real sockets: every endpoint and status code of the seed's API, SSE
// delivery (early, late, resumed), rate limits, uploads, hostile input and graceful stop. The
// service runs with the real pipeline against the fake world on loopback.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/object.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fakeworld/export_zip.hpp"
#include "support/curl_fetch.hpp"
#include "support/loopback_world.hpp"
#include "support/service_rig.hpp"

namespace lbrec::server {
namespace {

namespace json = boost::json;
using fakeworld::Family;
using fakeworld::FaultKind;
using fakeworld::FaultRule;
using lbrec::testing::CurlFetch;
using lbrec::testing::Fetched;
using lbrec::testing::FetchOptions;
using lbrec::testing::parse_json;
using lbrec::testing::parse_sse;
using lbrec::testing::RawClient;
using lbrec::testing::ServiceRig;

class WebServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = lbrec::testing::start_world({.seed = 91, .films = 2500, .users = 20}).release();
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }
  void SetUp() override { world_->faults().clear(); }
  void TearDown() override { world_->faults().clear(); }

  static core::Config config() {
    core::Config c = lbrec::testing::world_config(*world_);
    c.ratelimit_enabled = false;
    return c;
  }

  static FetchOptions post_json(std::string body, std::vector<std::string> headers = {}) {
    FetchOptions o;
    o.method = "POST";
    o.body = std::move(body);
    headers.push_back("Content-Type: application/json");
    o.headers = std::move(headers);
    return o;
  }

  // Posts a recommendation request and returns its request_id (asserting 202).
  static std::string submit(ServiceRig& rig, const std::string& body) {
    CurlFetch http;
    const Fetched f = http.fetch(rig.url("/api/recommend"), post_json(body));
    EXPECT_EQ(f.status, 202) << f.body;
    const json::value v = parse_json(f.body);
    if (!v.is_object() || !v.as_object().contains("request_id")) return {};
    EXPECT_EQ(v.at("status").as_string(), "accepted");
    return std::string(v.at("request_id").as_string());
  }

  // Polls /api/result until it stops answering 202.
  static Fetched wait_result(ServiceRig& rig, const std::string& id,
                             std::chrono::seconds limit = std::chrono::seconds(60)) {
    CurlFetch http;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    Fetched f;
    do {
      f = http.fetch(rig.url("/api/result?request_id=" + id));
      if (f.status != 202) return f;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    return f;
  }

  static Fetched stream(ServiceRig& rig, const std::string& which, const std::string& id,
                        std::vector<std::string> headers = {}) {
    CurlFetch http;
    FetchOptions o;
    o.headers = std::move(headers);
    o.timeout_ms = 60000;
    return http.fetch(rig.url("/api/" + which + "-stream?request_id=" + id), o);
  }

  static bool healthy(ServiceRig& rig) {
    CurlFetch http;
    const Fetched f = http.fetch(rig.url("/_health"));
    return f.status == 200 && parse_json(f.body).at("status").as_string() == "ok";
  }

  static fakeworld::FakeWorldServer* world_;
};

fakeworld::FakeWorldServer* WebServiceTest::world_ = nullptr;

TEST_F(WebServiceTest, HealthHasTheSeedsFieldsAndEveryResponseCarriesSecurityAndCorsHeaders) {
  ServiceRig rig(config());
  CurlFetch http;
  const Fetched f = http.fetch(rig.url("/_health"));
  ASSERT_EQ(f.status, 200);
  const json::value v = parse_json(f.body);
  EXPECT_EQ(v.at("status").as_string(), "ok");
  EXPECT_FALSE(v.at("degraded").as_bool());
  for (const char* key :
       {"letterboxd_total_failures", "letterboxd_consecutive_failures", "letterboxd_last_status",
        "letterboxd_circuit_open", "letterboxd_circuit_retry_after_s"}) {
    EXPECT_TRUE(v.at("incident").as_object().contains(key)) << key;
  }
  EXPECT_EQ(f.header("content-type"), "application/json");
  EXPECT_EQ(f.header("access-control-allow-origin"), "*");
  EXPECT_EQ(f.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(f.header("referrer-policy"), "no-referrer");
  EXPECT_NE(f.header("content-security-policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(f.header("content-security-policy").find("unsafe-inline"), std::string::npos);
}

TEST_F(WebServiceTest, UnknownPathsAre404JsonWrongMethodsAre405AndPreflightIsAnswered) {
  ServiceRig rig(config());
  CurlFetch http;
  Fetched f = http.fetch(rig.url("/api/nope"));
  EXPECT_EQ(f.status, 404);
  EXPECT_TRUE(parse_json(f.body).as_object().contains("error"));
  f = http.fetch(rig.url("/api/recommend"));
  EXPECT_EQ(f.status, 405);
  EXPECT_EQ(f.header("allow"), "POST, OPTIONS");
  f = http.fetch(rig.url("/_health"), post_json("{}"));
  EXPECT_EQ(f.status, 405);
  FetchOptions del;
  del.method = "DELETE";
  EXPECT_EQ(http.fetch(rig.url("/api/result?request_id=x"), del).status, 405);
  FetchOptions options;
  options.method = "OPTIONS";
  f = http.fetch(rig.url("/api/recommend"), options);
  EXPECT_EQ(f.status, 204);
  EXPECT_EQ(f.header("access-control-allow-origin"), "*");
  EXPECT_NE(f.header("access-control-allow-methods").find("POST"), std::string::npos);
  EXPECT_NE(f.header("access-control-allow-headers").find("Content-Type"), std::string::npos);
}

TEST_F(WebServiceTest, BadRecommendBodiesGetA400NamingTheProblemAndTheServerStaysHealthy) {
  ServiceRig rig(config());
  CurlFetch http;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "JSON"},
      {"[1,2]", "object"},
      {R"({"country":"US"})", "username"},
      {R"({"username":"bad name"})", "username"},
      {R"({"username":"../etc/passwd"})", "username"},
      {R"({"username":"x","country":"XX"})", "country"},
      {R"({"username":"x","include_streaming":"yes"})", "include_streaming"},
      {R"({"username":"x","count":"5"})", "count"},
      {R"({"username":"x","count":-1})", "count"},
      {R"({"username":"x","sync":1})", "sync"},
      {R"({"username":"x","request_id":"has space"})", "request_id"},
      {std::string(40, '[') + std::string(40, ']'), "nest"},
  };
  for (const auto& [body, word] : cases) {
    const Fetched f = http.fetch(rig.url("/api/recommend"), post_json(body));
    EXPECT_EQ(f.status, 400) << body;
    const json::value v = parse_json(f.body);
    ASSERT_TRUE(v.is_object()) << body;
    const std::string error(v.at("error").as_string());
    EXPECT_NE(error.find(word), std::string::npos) << body << " -> " << error;
  }
  const Fetched big =
      http.fetch(rig.url("/api/recommend"),
                 post_json(R"({"username":"demo","pad":")" + std::string(20000, 'a') + "\"}"));
  EXPECT_EQ(big.status, 413);
  EXPECT_TRUE(healthy(rig));
}

TEST_F(WebServiceTest, AJobStreamsLogsStatusAndRecommendationsThenServesTheFinalPayload) {
  ServiceRig rig(config());
  const std::string id = "early-client-1";
  // The seed's client opens its three streams before it posts.
  std::vector<Fetched> streams(3);
  const std::vector<std::string> names = {"logs", "recommendations", "status"};
  std::vector<std::thread> readers;
  for (std::size_t i = 0; i < 3; ++i) {
    readers.emplace_back([&, i] { streams[i] = stream(rig, names[i], id); });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(
      submit(rig, R"({"username":"demo","country":"us","count":10,"request_id":")" + id + "\"}"),
      id);
  for (auto& t : readers)
    t.join();

  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(streams[i].status, 200) << names[i];
    EXPECT_EQ(streams[i].header("content-type"), "text/event-stream; charset=utf-8");
    const auto events = parse_sse(streams[i].body);
    ASSERT_FALSE(events.empty()) << names[i];
    EXPECT_EQ(parse_json(events.back().data).at("status").as_string(), "complete") << names[i];
    for (std::size_t e = 0; e < events.size(); ++e)
      EXPECT_EQ(events[e].id, e + 1) << names[i];  // nothing lost, nothing twice
  }
  const auto recs = parse_sse(streams[1].body);
  ASSERT_GE(recs.size(), 2u);
  std::set<std::int64_t> streamed;
  for (std::size_t e = 0; e + 1 < recs.size(); ++e) {
    const json::value r = parse_json(recs[e].data);
    streamed.insert(r.at("tmdb_id").as_int64());
    EXPECT_TRUE(r.as_object().contains("reason"));
  }
  const auto status = parse_sse(streams[2].body);
  ASSERT_GE(status.size(), 2u);
  const json::value first_status = parse_json(status.front().data);
  EXPECT_EQ(first_status.at("username").as_string(), "demo");
  EXPECT_TRUE(first_status.as_object().contains("title"));
  EXPECT_TRUE(first_status.as_object().contains("user_rating"));

  const Fetched result = wait_result(rig, id);
  ASSERT_EQ(result.status, 200) << result.body;
  const json::value v = parse_json(result.body);
  EXPECT_EQ(v.at("username").as_string(), "demo");
  EXPECT_EQ(v.at("country_code").as_string(), "US");
  EXPECT_EQ(v.at("country_name").as_string(), "United States");
  EXPECT_EQ(v.at("request_id").as_string(), id);
  EXPECT_GE(v.at("pages").as_int64(), 1);
  for (const char* key : {"genres", "directors", "decades"})
    EXPECT_TRUE(v.at("preferences").as_object().contains(key)) << key;
  const auto& final_list = v.at("recommendations").as_array();
  EXPECT_EQ(final_list.size(), 10u);
  for (const auto& r : final_list) {
    for (const char* key : {"tmdb_id", "title", "original_title", "year", "director", "genres",
                            "poster", "rating_tmdb", "runtime", "streaming", "reason"}) {
      EXPECT_TRUE(r.as_object().contains(key)) << key;
    }
  }
  // Every film of the final list was streamed, so a live page shows each card as it comes; the
  // films streamed while exploring may since have been overtaken, but most of them stay.
  std::set<std::int64_t> final_ids;
  for (const auto& r : final_list) {
    final_ids.insert(r.at("tmdb_id").as_int64());
    EXPECT_TRUE(streamed.contains(r.at("tmdb_id").as_int64())) << r.at("title");
  }
  std::size_t kept = 0;
  for (const auto tmdb_id : streamed)
    kept += final_ids.contains(tmdb_id);
  EXPECT_GE(kept * 2, streamed.size());
}

TEST_F(WebServiceTest, LateAndResumingStreamsGetEveryRetainedEventExactlyOnce) {
  ServiceRig rig(config());
  const std::string id = submit(rig, R"({"username":"legacy_fan","count":5})");
  ASSERT_EQ(wait_result(rig, id).status, 200);
  const Fetched late = stream(rig, "recommendations", id);
  const auto all = parse_sse(late.body);
  ASSERT_GE(all.size(), 3u);
  EXPECT_EQ(parse_json(all.back().data).at("status").as_string(), "complete");
  // A reconnect names the last event it saw and gets exactly the rest.
  const std::uint64_t seen = all[1].id;
  const Fetched resumed =
      stream(rig, "recommendations", id, {"Last-Event-ID: " + std::to_string(seen)});
  const auto rest = parse_sse(resumed.body);
  ASSERT_EQ(rest.size(), all.size() - 2);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i].id, all[i + 2].id);
    EXPECT_EQ(rest[i].data, all[i + 2].data);
  }
  const Fetched bad = stream(rig, "recommendations", id, {"Last-Event-ID: soon"});
  EXPECT_EQ(bad.status, 400);
}

TEST_F(WebServiceTest, ResultAnswers400WithoutAnId404ForUnknownOnes202WhilePending) {
  ServiceRig rig(config());
  CurlFetch http;
  EXPECT_EQ(http.fetch(rig.url("/api/result")).status, 400);
  EXPECT_EQ(http.fetch(rig.url("/api/result?request_id=")).status, 400);
  EXPECT_EQ(http.fetch(rig.url("/api/result?request_id=a%20b")).status, 400);
  const Fetched unknown = http.fetch(rig.url("/api/result?request_id=never-submitted"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(parse_json(unknown.body).as_object().contains("error"));
  for (const char* s : {"logs", "recommendations", "status"}) {
    EXPECT_EQ(http.fetch(rig.url(std::string("/api/") + s + "-stream")).status, 400) << s;
  }

  // Slow Letterboxd keeps the job pending long enough to see it.
  world_->faults().set(Family::kLetterboxd, FaultRule{.latency_ms = 300});
  const std::string id = submit(rig, R"({"username":"exactly72","count":5})");
  const Fetched pending = http.fetch(rig.url("/api/result?request_id=" + id));
  EXPECT_EQ(pending.status, 202);
  const json::value p = parse_json(pending.body);
  EXPECT_EQ(p.at("request_id").as_string(), id);
  EXPECT_TRUE(p.as_object().contains("progress"));
  world_->faults().clear();
  EXPECT_EQ(wait_result(rig, id).status, 200);
}

TEST_F(WebServiceTest, ARequestIdAlreadyInUseIs409AndTheFirstJobIsUntouched) {
  ServiceRig rig(config());
  world_->faults().set(Family::kLetterboxd, FaultRule{.latency_ms = 200});
  const std::string body = R"({"username":"legacy_fan","count":3,"request_id":"mine-1"})";
  ASSERT_EQ(submit(rig, body), "mine-1");
  CurlFetch http;
  const Fetched again = http.fetch(rig.url("/api/recommend"), post_json(body));
  EXPECT_EQ(again.status, 409);
  EXPECT_TRUE(parse_json(again.body).as_object().contains("error"));
  world_->faults().clear();
  const Fetched result = wait_result(rig, "mine-1");
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(parse_json(result.body).at("recommendations").as_array().size(), 3u);
}

TEST_F(WebServiceTest, ResultsExpireAfterJobResultTtl) {
  core::Config c = config();
  c.job_result_ttl = 1;
  core::FakeClock clock;
  ServiceRig rig(c, clock);
  const std::string id = submit(rig, R"({"username":"legacy_fan","count":3})");
  ASSERT_EQ(wait_result(rig, id).status, 200);
  clock.advance(std::chrono::seconds(2));
  CurlFetch http;
  EXPECT_EQ(http.fetch(rig.url("/api/result?request_id=" + id)).status, 404);
}

TEST_F(WebServiceTest, SyncModeAnswersInlineWithThePayloadOrTheErrorStatus) {
  ServiceRig rig(config());
  CurlFetch http;
  Fetched f = http.fetch(rig.url("/api/recommend"),
                         post_json(R"({"username":"legacy_fan","count":4,"sync":true})"));
  ASSERT_EQ(f.status, 200) << f.body;
  json::value v = parse_json(f.body);
  EXPECT_EQ(v.at("recommendations").as_array().size(), 4u);
  EXPECT_FALSE(v.at("request_id").as_string().empty());
  EXPECT_EQ(v.at("country_code").as_string(), "CL");  // the seed's default

  f = http.fetch(rig.url("/api/recommend"), post_json(R"({"username":"newcomer","sync":true})"));
  EXPECT_EQ(f.status, 404);
  EXPECT_EQ(parse_json(f.body).at("error").as_string(), "No movies found for this username.");
}

TEST_F(WebServiceTest, BlockedLetterboxdGives503WithRetryAfterOrAStaleMarkedPayload) {
  core::Config c = config();
  c.profile_fresh_ttl_s = 0;  // always re-read, so a block is felt; snapshots stay for stale use
  ServiceRig rig(c);
  CurlFetch http;
  const std::string warm = R"({"username":"lazy_poster","count":3,"sync":true})";
  ASSERT_EQ(http.fetch(rig.url("/api/recommend"), post_json(warm)).status, 200);

  world_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kChallenge});
  Fetched f = http.fetch(rig.url("/api/recommend"), post_json(warm));
  ASSERT_EQ(f.status, 200) << f.body;
  json::value v = parse_json(f.body);
  EXPECT_EQ(v.at("data_freshness").as_string(), "stale_cache");
  EXPECT_FALSE(v.at("hint").as_string().empty());
  EXPECT_TRUE(v.at("incident").as_object().contains("letterboxd_circuit_open"));

  f = http.fetch(rig.url("/api/recommend"),
                 post_json(R"({"username":"shapeshifter","count":3,"sync":true})"));
  EXPECT_EQ(f.status, 503) << f.body;
  EXPECT_GE(std::stoi(f.header("retry-after").empty() ? "0" : f.header("retry-after")), 1);
  v = parse_json(f.body);
  EXPECT_TRUE(v.as_object().contains("error"));
  EXPECT_TRUE(v.as_object().contains("hint"));

  f = http.fetch(rig.url("/api/get_pages"), post_json(R"({"username":"shapeshifter"})"));
  EXPECT_EQ(f.status, 503);
  EXPECT_FALSE(f.header("retry-after").empty());
}

TEST_F(WebServiceTest, GetPagesCountsTheFilmGridPages) {
  ServiceRig rig(config());
  CurlFetch http;
  Fetched f = http.fetch(rig.url("/api/get_pages"), post_json(R"({"username":"just73"})"));
  ASSERT_EQ(f.status, 200) << f.body;
  EXPECT_EQ(parse_json(f.body).at("pages").as_int64(), 2);  // 72 films a page
  f = http.fetch(rig.url("/api/get_pages"), post_json(R"({"username":"exactly72"})"));
  EXPECT_EQ(parse_json(f.body).at("pages").as_int64(), 1);
  EXPECT_EQ(http.fetch(rig.url("/api/get_pages"), post_json(R"({"username":"no such"})")).status,
            400);
  EXPECT_EQ(
      http.fetch(rig.url("/api/get_pages"), post_json(R"({"username":"nobody_here"})")).status,
      404);
}

TEST_F(WebServiceTest, IncidentStatusAndMetricsNeedTheInternalTokenWhenOneIsSet) {
  core::Config c = config();
  c.internal_token = "s3cret-token";
  ServiceRig rig(c);
  CurlFetch http;
  FetchOptions none, wrong, right;
  wrong.headers = {"X-Internal-Token: s3cret-tokem"};
  right.headers = {"X-Internal-Token: s3cret-token"};
  EXPECT_EQ(http.fetch(rig.url("/_incident-status"), none).status, 403);
  EXPECT_EQ(http.fetch(rig.url("/_incident-status"), wrong).status, 403);
  const Fetched ok = http.fetch(rig.url("/_incident-status"), right);
  ASSERT_EQ(ok.status, 200);
  EXPECT_TRUE(parse_json(ok.body).as_object().contains("letterboxd_circuit_open"));
  EXPECT_EQ(http.fetch(rig.url("/metrics"), none).status, 403);
  const Fetched metrics = http.fetch(rig.url("/metrics"), right);
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(
      metrics.body.find("lbrec_http_requests_total{route=\"/_incident-status\",status=\"403\"} 2"),
      std::string::npos)
      << metrics.body;
  for (const char* family :
       {"lbrec_http_request_duration_seconds_bucket", "lbrec_jobs{", "lbrec_sse_streams_open",
        "lbrec_letterboxd_circuit_open", "lbrec_http_connections_open"}) {
    EXPECT_NE(metrics.body.find(family), std::string::npos) << family;
  }
}

TEST_F(WebServiceTest, MetricsCountUpstreamCallsAndCacheUse) {
  ServiceRig rig(config());
  CurlFetch http;
  ASSERT_EQ(http.fetch(rig.url("/api/recommend"),
                       post_json(R"({"username":"legacy_fan","count":3,"sync":true})"))
                .status,
            200);
  const Fetched metrics = http.fetch(rig.url("/metrics"));
  EXPECT_NE(metrics.body.find("lbrec_upstream_requests_total{host=\"127.0.0.1\",status=\"200\"}"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("lbrec_cache_misses_total{namespace="), std::string::npos);
  EXPECT_NE(metrics.body.find("lbrec_jobs_submitted_total 1"), std::string::npos);
}

TEST_F(WebServiceTest, RateLimitsFollowTheSeedPerClientAddress) {
  core::Config c = config();
  c.ratelimit_enabled = true;
  c.trust_proxy = true;
  ServiceRig rig(c);
  CurlFetch http;
  const auto from = [](const std::string& ip) {
    return std::vector<std::string>{"X-Forwarded-For: 203.0.113.9, " + ip};
  };
  // Invalid bodies still count: the limit guards the endpoint, not the work.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(http.fetch(rig.url("/api/recommend"), post_json("{}", from("198.51.100.1"))).status,
              400);
  }
  const Fetched sixth =
      http.fetch(rig.url("/api/recommend"), post_json("{}", from("198.51.100.1")));
  EXPECT_EQ(sixth.status, 429);
  const int retry =
      std::stoi(sixth.header("retry-after").empty() ? "0" : sixth.header("retry-after"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  EXPECT_TRUE(parse_json(sixth.body).as_object().contains("error"));
  // Another client (the proxy's right-most entry) has its own window.
  EXPECT_EQ(http.fetch(rig.url("/api/recommend"), post_json("{}", from("198.51.100.2"))).status,
            400);
  // get_pages: 10 per minute.
  int refused = 0;
  for (int i = 0; i < 11; ++i) {
    refused +=
        http.fetch(rig.url("/api/get_pages"), post_json("{}", from("198.51.100.3"))).status == 429;
  }
  EXPECT_EQ(refused, 1);
  // Each stream: 20 per minute.
  refused = 0;
  FetchOptions o;
  o.headers = from("198.51.100.4");
  for (int i = 0; i < 21; ++i) {
    refused += http.fetch(rig.url("/api/status-stream"), o).status == 429;
  }
  EXPECT_EQ(refused, 1);
  // /_health is never limited.
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ(http.fetch(rig.url("/_health")).status, 200);
}

TEST_F(WebServiceTest, WithoutTrustProxyForwardedForIsIgnored) {
  core::Config c = config();
  c.ratelimit_enabled = true;
  c.ratelimit_recommend = {2, std::chrono::seconds(60)};
  ServiceRig rig(c);
  CurlFetch http;
  int refused = 0;
  for (int i = 0; i < 4; ++i) {
    refused += http.fetch(rig.url("/api/recommend"),
                          post_json("{}", {"X-Forwarded-For: 192.0.2." + std::to_string(i)}))
                   .status == 429;
  }
  EXPECT_EQ(refused, 2);  // one client (the socket's address), limit 2
}

TEST_F(WebServiceTest, PagesAndAssetsAreServedAndOddPathsAreNotFound) {
  ServiceRig rig(config());
  CurlFetch http;
  Fetched f = http.fetch(rig.url("/"));
  EXPECT_EQ(f.status, 200);
  EXPECT_EQ(f.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(f.body.find("/static/app.js"), std::string::npos);
  f = http.fetch(rig.url("/demo"));
  EXPECT_EQ(f.status, 200);
  EXPECT_NE(f.body.find("<html"), std::string::npos);
  f = http.fetch(rig.url("/static/app.js"));
  EXPECT_EQ(f.status, 200);
  EXPECT_EQ(f.header("content-type"), "text/javascript; charset=utf-8");
  const std::string etag = f.header("etag");
  ASSERT_FALSE(etag.empty());
  FetchOptions conditional;
  conditional.headers = {"If-None-Match: " + etag};
  EXPECT_EQ(http.fetch(rig.url("/static/app.js"), conditional).status, 304);
  for (const char* path : {"/static/../README.md", "/static/%2e%2e/x", "/..%2fetc%2fpasswd",
                           "/a%00b", "/a/b", "/%3Cscript%3E",
                           "/"
                           "x"
                           "\xc3\xa9",
                           "/static/", "/static//app.js"}) {
    const Fetched odd = http.fetch(rig.url(path));
    EXPECT_EQ(odd.status, 404) << path;
  }
  RawClient raw(rig.port());
  raw.send("HEAD /static/app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string head = raw.read_all(std::chrono::milliseconds(3000));
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200")) << head;
  EXPECT_NE(head.find("Content-Length: " +
                      std::to_string(http.fetch(rig.url("/static/app.css")).body.size())),
            std::string::npos)
      << head;
  EXPECT_TRUE(head.ends_with("\r\n\r\n")) << "a HEAD answer has no body";
  EXPECT_TRUE(healthy(rig));
}

TEST_F(WebServiceTest, MalformedRequestsGet400AndStalledHeadersAreCutOff) {
  ServiceRig rig(config(), core::RealClock::instance(), [](server::WebServiceOptions& o) {
    o.listener.header_timeout = std::chrono::seconds(1);
  });
  {
    RawClient raw(rig.port());
    raw.send("GET /_health HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\n\r\n");
    const std::string reply = raw.read_all(std::chrono::milliseconds(3000));
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
  }
  {
    RawClient raw(rig.port());
    raw.send("NOT A REQUEST\r\n\r\n");
    EXPECT_TRUE(raw.read_all(std::chrono::milliseconds(3000)).starts_with("HTTP/1.1 400"));
  }
  {
    // Slowloris: a header that never ends is cut off after the header timeout.
    RawClient raw(rig.port());
    raw.send("GET /_health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    const auto t0 = std::chrono::steady_clock::now();
    const std::string reply = raw.read_all(std::chrono::milliseconds(5000));
    const auto waited = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(reply, "");
    EXPECT_LT(waited, std::chrono::milliseconds(4000));
  }
  {
    RawClient raw(rig.port());
    raw.send("GET /_health HTTP/1.1\r\nHost: x\r\nX-Huge: " + std::string(40000, 'a') + "\r\n\r\n");
    EXPECT_TRUE(raw.read_all(std::chrono::milliseconds(3000)).starts_with("HTTP/1.1 431"));
  }
  EXPECT_TRUE(healthy(rig));
}

TEST_F(WebServiceTest, ConnectionsOverTheCapGet503AndTheCapFreesUpAsTheyClose) {
  ServiceRig rig(config(), core::RealClock::instance(),
                 [](server::WebServiceOptions& o) { o.listener.max_connections = 3; });
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(std::make_unique<RawClient>(rig.port()));
    idle.back()->send("GET /_health HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_NE(idle.back()->read_until("\"status\":\"ok\"").find("200 OK"), std::string::npos);
  }
  RawClient over(rig.port());
  over.send("GET /_health HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(over.read_all(std::chrono::milliseconds(3000)).starts_with("HTTP/1.1 503"));
  idle.clear();
  bool served = false;
  for (int i = 0; i < 100 && !served; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    served = healthy(rig);
  }
  EXPECT_TRUE(served);
}

TEST_F(WebServiceTest, AClientLeavingMidStreamFreesItsStreamAndTheServerStaysHealthy) {
  ServiceRig rig(config());
  world_->faults().set(Family::kLetterboxd, FaultRule{.latency_ms = 200});
  const std::string id = submit(rig, R"({"username":"grumpy","count":5})");
  {
    RawClient raw(rig.port());
    raw.send("GET /api/logs-stream?request_id=" + id + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string got = raw.read_until("data: ");
    EXPECT_NE(got.find("text/event-stream"), std::string::npos);
    raw.close();
  }
  CurlFetch http;
  int open = -1;
  for (int i = 0; i < 100 && open != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    open =
        static_cast<int>(parse_json(http.fetch(rig.url("/_health")).body).at("streams").as_int64());
  }
  EXPECT_EQ(open, 0);
  world_->faults().clear();
  EXPECT_EQ(wait_result(rig, id).status, 200);
}

TEST_F(WebServiceTest, IdleStreamsGetKeepAliveCommentsAndTheRetryHint) {
  core::Config c = config();
  c.sse_heartbeat_s = 0.1;
  ServiceRig rig(c);
  RawClient raw(rig.port());
  // A stream for a job not posted yet stays open, quietly.
  raw.send("GET /api/status-stream?request_id=not-posted-yet HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string got = raw.read_until(": keep-alive\n\n: keep-alive\n\n");
  EXPECT_TRUE(got.starts_with("HTTP/1.1 200")) << got;
  EXPECT_NE(got.find("retry: 2000\n\n"), std::string::npos) << got;
  EXPECT_NE(got.find(": keep-alive\n\n: keep-alive\n\n"), std::string::npos) << got;
  EXPECT_EQ(got.find("\ndata: "), std::string::npos) << got;
}

TEST_F(WebServiceTest, AHundredConcurrentJobsAllDeliverTheirResults) {
  core::Config c = config();
  c.pipeline_pool_size = 4;
  ServiceRig rig(c);
  const std::vector<std::string> users = {"legacy_fan", "lazy_poster", "exactly72", "just73",
                                          "no_ratings"};
  std::vector<std::string> ids(100);
  std::vector<std::thread> posters;
  for (int t = 0; t < 4; ++t) {
    posters.emplace_back([&, t] {
      for (int i = t; i < 100; i += 4) {
        ids[i] = submit(rig, R"({"username":")" + users[i % users.size()] +
                                 R"(","count":5,"include_streaming":false})");
      }
    });
  }
  for (auto& t : posters)
    t.join();
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), 100u);
  int delivered = 0;
  for (int i = 0; i < 100; ++i) {
    const Fetched f = wait_result(rig, ids[i], std::chrono::seconds(120));
    ASSERT_EQ(f.status, 200) << ids[i] << " " << f.body.substr(0, 200);
    const json::value v = parse_json(f.body);
    EXPECT_EQ(v.at("username").as_string(), users[i % users.size()]);
    delivered += !v.at("recommendations").as_array().empty();
  }
  EXPECT_EQ(delivered, 100);
}

TEST_F(WebServiceTest, AnExportZipUploadRunsTheSameJobFlow) {
  core::Config c = config();
  c.max_upload_mb = 1;
  ServiceRig rig(c);
  const auto zip = fakeworld::export_zip(world_->world(), *world_->world().user("legacy_fan"));
  ASSERT_TRUE(zip);
  const auto multipart = [](const std::string& file, const std::string& extra) {
    const std::string b = "lbrecBoundary7";
    std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n5\r\n";
    body += extra;
    body += "--" + b +
            "\r\nContent-Disposition: form-data; name=\"export\"; filename=\"export.zip\"\r\n"
            "Content-Type: application/zip\r\n\r\n" +
            file + "\r\n--" + b + "--\r\n";
    FetchOptions o;
    o.method = "POST";
    o.body = body;
    o.headers = {"Content-Type: multipart/form-data; boundary=" + b};
    return o;
  };
  CurlFetch http;
  Fetched f = http.fetch(rig.url("/api/recommend"), multipart(*zip, ""));
  ASSERT_EQ(f.status, 202) << f.body;
  const std::string id(parse_json(f.body).at("request_id").as_string());
  const Fetched result = wait_result(rig, id);
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(parse_json(result.body).at("recommendations").as_array().size(), 5u);

  f = http.fetch(rig.url("/api/recommend"), multipart("not a zip at all", ""));
  EXPECT_EQ(f.status, 400);
  EXPECT_TRUE(parse_json(f.body).as_object().contains("error"));
  f = http.fetch(rig.url("/api/recommend"), multipart(std::string(1100000, 'z'), ""));
  EXPECT_EQ(f.status, 413);
  EXPECT_TRUE(healthy(rig));
}

TEST_F(WebServiceTest, GracefulStopCancelsRunningJobsAndEndsTheirStreams) {
  ServiceRig rig(config());
  world_->faults().set(Family::kLetterboxd, FaultRule{.latency_ms = 150});
  const std::string id = submit(rig, R"({"username":"marathoner"})");
  Fetched logs;
  std::thread reader([&] { logs = stream(rig, "logs", id); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto t0 = std::chrono::steady_clock::now();
  rig.stop();
  reader.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(15));
  const auto events = parse_sse(logs.body);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(parse_json(events.back().data).at("status").as_string(), "complete");
  world_->faults().clear();
}

}  // namespace
}  // namespace lbrec::server
