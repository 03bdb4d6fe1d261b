// The curl-on-Asio client and the retry loop against the fake world over loopback.

#include "net/http_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>

#include "fakeworld/fake_world_server.hpp"
#include "net/fetch_with_retry.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::net {
namespace {

namespace asio = boost::asio;
using fakeworld::Family;
using fakeworld::FaultKind;
using fakeworld::FaultRule;
using std::chrono::milliseconds;

class HttpClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 5, .films = 400, .users = 5}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { server_->faults().clear(); }

  template <typename T>
  T run(asio::awaitable<T> work) {
    return lbrec::testing::run(io_, std::move(work));
  }

  static std::string url(const std::string& path) { return server_->base_url() + path; }
  static void fault(Family f, FaultKind k, int retry_after = 2, int count = -1, int latency = 0) {
    server_->faults().set(f, FaultRule{k, 1.0, count, latency, retry_after});
  }
  HttpRequest get(const std::string& path) {
    HttpRequest r;
    r.url = url(path);
    r.timeout = milliseconds(5000);
    return r;
  }

  // A retry context whose sleeps are recorded, not slept.
  RetryContext retry_context(HostGate& gate, RetryPolicy policy) {
    return lbrec::testing::fake_retry_context(client_, gate, policy, clock_, &slept_, 1.0);
  }

  static fakeworld::FakeWorldServer* server_;
  asio::io_context io_;
  HttpClient client_{io_.get_executor()};
  core::FakeClock clock_;
  std::vector<std::chrono::nanoseconds> slept_;
};

fakeworld::FakeWorldServer* HttpClientTest::server_ = nullptr;

TEST_F(HttpClientTest, FetchesAPageWithHeaders) {
  auto r = run(client_.fetch(get("/demo/films/")));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("data-owner=\"demo\""), std::string::npos);
  EXPECT_NE(r->header("content-type").find("text/html"), std::string::npos);
}

TEST_F(HttpClientTest, FollowsRedirects) {
  const auto& film = server_->world().films()[5];
  auto r = run(client_.fetch(get("/tmdb/" + std::to_string(film.tmdb_id) + "/")));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->effective_url.find("/film/" + film.slug + "/"), std::string::npos);
}

TEST_F(HttpClientTest, PostsBodies) {
  HttpRequest req = get("/graphql");
  req.method = "POST";
  req.body = R"({"operationName":"GetProviders","variables":{"country":"US"}})";
  req.headers = {{"Content-Type", "application/json"}};
  auto r = run(client_.fetch(req));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"packages\""), std::string::npos);
}

TEST_F(HttpClientTest, StatusesAreResponsesNotErrors) {
  auto r = run(client_.fetch(get("/nobody-here/films/")));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
  fault(Family::kLetterboxd, FaultKind::kChallenge);
  r = run(client_.fetch(get("/demo/films/")));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->header("cf-mitigated"), "challenge");
}

TEST_F(HttpClientTest, CapsTheBodySize) {
  HttpRequest req = get("/demo/films/");
  req.max_body_bytes = 1000;
  auto r = run(client_.fetch(req));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUpstreamError);
  EXPECT_FALSE(r.error().retryable);
}

TEST_F(HttpClientTest, TimesOut) {
  fault(Family::kLetterboxd, FaultKind::kNone, 2, -1, 1000);
  HttpRequest req = get("/demo/films/");
  req.timeout = milliseconds(150);
  auto r = run(client_.fetch(req));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_EQ(r.error().message, "timed out");
}

TEST_F(HttpClientTest, ResetsAndTruncationAreRetryableErrors) {
  fault(Family::kLetterboxd, FaultKind::kReset);
  auto r = run(client_.fetch(get("/demo/films/")));
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().retryable);
  fault(Family::kLetterboxd, FaultKind::kTruncate);
  r = run(client_.fetch(get("/demo/films/")));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUpstreamError);
  EXPECT_TRUE(r.error().retryable);
}

TEST_F(HttpClientTest, RefusesOtherSchemesAndReportsRefusedConnections) {
  HttpRequest req;
  req.url = "file:///etc/passwd";
  auto r = run(client_.fetch(req));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
  req.url = "ftp://127.0.0.1/x";
  r = run(client_.fetch(req));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
  req.url = "http://127.0.0.1:1/";  // nothing listens on port 1
  r = run(client_.fetch(req));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable);
  EXPECT_TRUE(r.error().retryable);
}

TEST_F(HttpClientTest, IgnoresEnvironmentProxiesUnlessAsked) {
  setenv("http_proxy", "http://127.0.0.1:1", 1);
  setenv("ALL_PROXY", "http://127.0.0.1:1", 1);
  auto r = run(client_.fetch(get("/demo/films/")));
  unsetenv("http_proxy");
  unsetenv("ALL_PROXY");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  HttpRequest via = get("/demo/films/");
  via.proxy = "http://127.0.0.1:1";  // an explicit proxy is used (and here refuses)
  EXPECT_FALSE(run(client_.fetch(via)).has_value());
}

TEST_F(HttpClientTest, ManyConcurrentTransfersThroughAGate) {
  HostGate gate(3, nullptr, timer_sleep());
  int peak = 0;
  int ok = 0;
  int active = 0;
  auto one = [&](int i) -> asio::awaitable<void> {
    auto permit = co_await gate.acquire();
    peak = std::max(peak, ++active);
    auto r = co_await client_.fetch(get("/demo/films/page/" + std::to_string(1 + i % 5) + "/"));
    ok += r && r->status == 200;
    --active;
  };
  for (int i = 0; i < 30; ++i)
    asio::co_spawn(io_, one(i), asio::detached);
  io_.run();
  EXPECT_EQ(ok, 30);
  EXPECT_EQ(peak, 3);
  EXPECT_EQ(gate.in_flight(), 0);
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST_F(HttpClientTest, TokenBucketPacesRealRequests) {
  auto bucket =
      std::make_shared<TokenBucket>(20.0, 1.0, core::RealClock::instance());  // 50 ms apart
  HostGate gate(6, bucket, timer_sleep());
  int ok = 0;
  auto one = [&]() -> asio::awaitable<void> {
    auto permit = co_await gate.acquire();
    auto r = co_await client_.fetch(get("/one_film/films/"));
    ok += r && r->status == 200;
  };
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i)
    asio::co_spawn(io_, one(), asio::detached);
  io_.run();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(ok, 10);
  EXPECT_GE(elapsed, milliseconds(9 * 50 - 5));  // ten requests, at least 50 ms apart
}

TEST_F(HttpClientTest, RetriesTransientFailuresWithBackoff) {
  HostGate gate(2, nullptr, timer_sleep());
  RetryPolicy policy;
  policy.base = milliseconds(400);
  fault(Family::kLetterboxd, FaultKind::kError503, 2, 2);
  const auto out = run(fetch_with_retry(retry_context(gate, policy), get("/demo/films/"), "curl"));
  ASSERT_TRUE(out.result.has_value());
  EXPECT_EQ(out.result->status, 200);
  ASSERT_EQ(out.attempts.size(), 3u);
  EXPECT_EQ(summarize(out.attempts),
            "attempt=1,status=503,source=curl; attempt=2,status=503,source=curl; "
            "attempt=3,status=200,source=curl");
  ASSERT_EQ(slept_.size(), 2u);
  EXPECT_EQ(slept_[0], milliseconds(400));
  EXPECT_EQ(slept_[1], milliseconds(800));
}

TEST_F(HttpClientTest, RetriesResetsAndGivesUpAfterMaxAttempts) {
  HostGate gate(2, nullptr, timer_sleep());
  RetryPolicy policy;
  policy.max_attempts = 3;
  fault(Family::kLetterboxd, FaultKind::kReset);
  const auto out = run(fetch_with_retry(retry_context(gate, policy), get("/demo/films/"), "curl"));
  EXPECT_FALSE(out.result.has_value());
  EXPECT_EQ(out.outcome, AttemptOutcome::kTransient);
  EXPECT_EQ(out.attempts.size(), 3u);
  EXPECT_EQ(slept_.size(), 2u);
  EXPECT_NE(summarize(out.attempts).find("attempt=3,status=0,source=curl,error="),
            std::string::npos);
}

TEST_F(HttpClientTest, ThrottledRequestsWaitRetryAfterOrScaledThrottle) {
  HostGate gate(2, nullptr, timer_sleep());
  RetryPolicy policy;
  policy.throttle = milliseconds(1500);
  fault(Family::kLetterboxd, FaultKind::kRateLimit, 7, 1);
  auto out = run(fetch_with_retry(retry_context(gate, policy), get("/demo/films/"), "curl"));
  ASSERT_TRUE(out.result.has_value());
  EXPECT_EQ(out.result->status, 200);
  ASSERT_EQ(slept_.size(), 1u);
  EXPECT_EQ(slept_[0], std::chrono::seconds(7));

  slept_.clear();
  fault(Family::kLetterboxd, FaultKind::kRateLimit, -1, 2);  // no Retry-After header
  out = run(fetch_with_retry(retry_context(gate, policy), get("/demo/films/"), "curl"));
  ASSERT_TRUE(out.result.has_value());
  EXPECT_EQ(out.result->status, 200);
  ASSERT_EQ(slept_.size(), 2u);
  EXPECT_EQ(slept_[0], milliseconds(1500));
  EXPECT_EQ(slept_[1], milliseconds(3000));
}

TEST_F(HttpClientTest, ChallengesAreNotRetriedInTheSameTier) {
  HostGate gate(2, nullptr, timer_sleep());
  fault(Family::kLetterboxd, FaultKind::kChallenge);
  const auto out =
      run(fetch_with_retry(retry_context(gate, RetryPolicy{}), get("/demo/films/"), "curl"));
  ASSERT_TRUE(out.result.has_value());
  EXPECT_EQ(out.result->status, 403);
  EXPECT_EQ(out.outcome, AttemptOutcome::kBlocked);
  EXPECT_EQ(out.attempts.size(), 1u);
  EXPECT_TRUE(slept_.empty());
}

}  // namespace
}  // namespace lbrec::net
