// The tiered Letterboxd fetcher against the fake world's bot walls, over loopback.

#include "sources/letterboxd/letterboxd_fetcher.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "fakeworld/fake_world_server.hpp"
#include "support/letterboxd_rig.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::sources::letterboxd {
namespace {

namespace asio = boost::asio;
using fakeworld::Family;
using fakeworld::FaultKind;
using fakeworld::FaultRule;

class LetterboxdFetcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 13, .films = 500, .users = 5}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { server_->faults().clear(); }

  std::unique_ptr<LetterboxdFetcher> make(net::BrowserTier* browser = nullptr,
                                          std::string proxy = "") {
    return lbrec::testing::fake_world_fetcher(client_, gate_, breaker_, clock_, server_->base_url(),
                                              2, browser, std::move(proxy));
  }
  FetchReport fetch(LetterboxdFetcher& f, const std::string& path) {
    return lbrec::testing::run(io_, f.fetch(path));
  }
  static void fault(FaultKind kind, int count = -1, int retry_after = 2) {
    server_->faults().set(Family::kLetterboxd, FaultRule{kind, 1.0, count, 0, retry_after});
  }
  static bool has_chromium() { return ::access("/usr/bin/chromium", X_OK) == 0; }

  static fakeworld::FakeWorldServer* server_;
  asio::io_context io_;
  net::HttpClient client_{io_.get_executor()};
  net::HostGate gate_{4, nullptr, net::timer_sleep()};
  core::FakeClock clock_;
  net::CircuitBreaker breaker_{3, std::chrono::seconds(180), clock_};
};

fakeworld::FakeWorldServer* LetterboxdFetcherTest::server_ = nullptr;

TEST_F(LetterboxdFetcherTest, PlainPagesComeFromTheFirstTier) {
  auto f = make();
  const auto r = fetch(*f, "/demo/films/");
  ASSERT_TRUE(r.page.has_value()) << r.page.error().message;
  EXPECT_EQ(r.page->tier, FetchTier::kCurl);
  EXPECT_EQ(r.page->status, 200);
  EXPECT_NE(r.page->body.find("data-owner=\"demo\""), std::string::npos);
  EXPECT_EQ(r.attempts.size(), 1u);
}

TEST_F(LetterboxdFetcherTest, UnknownMembersAreNotFoundAndNotFailures) {
  auto f = make();
  const auto r = fetch(*f, "/nobody-here/films/");
  ASSERT_FALSE(r.page.has_value());
  EXPECT_EQ(r.page.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(breaker_.snapshot().letterboxd_consecutive_failures, 0u);
  EXPECT_EQ(breaker_.snapshot().letterboxd_last_status, 404);
}

TEST_F(LetterboxdFetcherTest, ChallengeEscalatesAndTheWorkingTierSticks) {
  auto f = make();
  fault(FaultKind::kChallenge, 1);  // only the first request meets the wall
  auto r = fetch(*f, "/demo/films/");
  ASSERT_TRUE(r.page.has_value()) << r.page.error().message;
  EXPECT_EQ(r.page->tier, FetchTier::kHttp2);
  EXPECT_EQ(net::summarize(r.attempts),
            "attempt=1,status=403,source=curl; attempt=1,status=200,source=http2");
  r = fetch(*f, "/demo/films/page/2/");
  ASSERT_TRUE(r.page.has_value());
  EXPECT_EQ(r.page->tier, FetchTier::kHttp2);  // no second trip through the blocked tier
  clock_.advance(std::chrono::minutes(11));
  r = fetch(*f, "/demo/films/page/3/");
  ASSERT_TRUE(r.page.has_value());
  EXPECT_EQ(r.page->tier, FetchTier::kCurl);  // the preference expires
}

TEST_F(LetterboxdFetcherTest, BlockedOnEveryTierIsBlockedWithASummary) {
  auto f = make(nullptr, "http://127.0.0.1:1");  // a proxy tier that cannot connect
  fault(FaultKind::kChallenge);
  const auto r = fetch(*f, "/demo/films/");
  ASSERT_FALSE(r.page.has_value());
  EXPECT_EQ(r.page.error().code, core::ErrorCode::kBlocked);
  EXPECT_TRUE(r.page.error().retryable);
  const std::string& msg = r.page.error().message;
  EXPECT_NE(msg.find("source=curl"), std::string::npos) << msg;
  EXPECT_NE(msg.find("source=http2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("source=proxy"), std::string::npos) << msg;
  EXPECT_EQ(breaker_.snapshot().letterboxd_consecutive_failures, 1u);
}

TEST_F(LetterboxdFetcherTest, RateLimitStormsAreRateLimited) {
  auto f = make();
  fault(FaultKind::kRateLimit, -1, 1);
  const auto r = fetch(*f, "/demo/films/");
  ASSERT_FALSE(r.page.has_value());
  EXPECT_EQ(r.page.error().code, core::ErrorCode::kRateLimited);
  EXPECT_EQ(r.attempts.size(), 4u);  // two tiers, two attempts each
}

TEST_F(LetterboxdFetcherTest, ResetsAndServerErrorsEndUnavailable) {
  auto f = make();
  fault(FaultKind::kReset);
  auto r = fetch(*f, "/demo/films/");
  ASSERT_FALSE(r.page.has_value());
  EXPECT_EQ(r.page.error().code, core::ErrorCode::kUnavailable);
  fault(FaultKind::kError500);
  r = fetch(*f, "/demo/films/");
  ASSERT_FALSE(r.page.has_value());
  EXPECT_EQ(r.page.error().code, core::ErrorCode::kUnavailable);
}

TEST_F(LetterboxdFetcherTest, TruncatedPagesAreRetriedAndNeverReturnedAsPages) {
  auto f = make();
  fault(FaultKind::kTruncate, 1);  // the first response is cut short, the retry is whole
  auto r = fetch(*f, "/demo/films/");
  ASSERT_TRUE(r.page.has_value()) << r.page.error().message;
  EXPECT_NE(r.page->body.find("</html>"), std::string::npos);
  EXPECT_EQ(r.attempts.size(), 2u);
  EXPECT_NE(r.attempts[0].error.find("truncated"), std::string::npos);
  fault(FaultKind::kTruncate);  // always cut: no half page ever comes back
  r = fetch(*f, "/demo/films/");
  ASSERT_FALSE(r.page.has_value());
  EXPECT_EQ(r.page.error().code, core::ErrorCode::kUnavailable);
}

TEST_F(LetterboxdFetcherTest, TheBreakerPausesLiveFetchingThenProbes) {
  auto f = make();
  fault(FaultKind::kChallenge);
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(fetch(*f, "/demo/films/").page.has_value());
  EXPECT_TRUE(breaker_.snapshot().letterboxd_circuit_open);
  const auto stats_before = server_->stats().family_total("letterboxd");
  auto r = fetch(*f, "/demo/films/");
  ASSERT_FALSE(r.page.has_value());
  EXPECT_EQ(r.page.error().code, core::ErrorCode::kBlocked);
  EXPECT_TRUE(r.attempts.empty());
  EXPECT_EQ(server_->stats().family_total("letterboxd"), stats_before);  // nothing was sent
  server_->faults().clear();
  clock_.advance(std::chrono::seconds(181));
  r = fetch(*f, "/demo/films/");  // the probe
  ASSERT_TRUE(r.page.has_value());
  EXPECT_FALSE(breaker_.snapshot().letterboxd_circuit_open);
}

TEST_F(LetterboxdFetcherTest, BrowserTierPassesTheJavaScriptChallengeAndHttp2ReusesItsCookie) {
  if (!has_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/bootstrap installs it)";
  net::BrowserOptions options;
  options.timeout = std::chrono::seconds(30);
  net::BrowserTier browser(options, 1);
  auto f = make(&browser);
  fault(FaultKind::kJsChallenge);
  auto r = fetch(*f, "/demo/films/");
  ASSERT_TRUE(r.page.has_value()) << r.page.error().message;
  EXPECT_EQ(r.page->tier, FetchTier::kBrowser);
  EXPECT_NE(f->cookie_header().find("cf_clearance=" + server_->clearance()), std::string::npos);
  r = fetch(*f, "/demo/films/page/2/");
  ASSERT_TRUE(r.page.has_value()) << r.page.error().message;
  EXPECT_EQ(r.page->tier, FetchTier::kHttp2);  // the earned cookie, no second browser launch
  EXPECT_EQ(r.attempts.size(), 1u);
}

}  // namespace
}  // namespace lbrec::sources::letterboxd
