// The headless-browser fetch tier with real Debian Chromium against the fake world.

#include "net/browser_fetch.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "fakeworld/fake_world_server.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::net {
namespace {

using fakeworld::Family;
using fakeworld::FaultKind;
using fakeworld::FaultRule;

constexpr const char* kChromium = "/usr/bin/chromium";

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1))
    ++n;
  return n;
}

class BrowserFetchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 9, .films = 600, .users = 5}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (::access(kChromium, X_OK) != 0) {
      GTEST_SKIP()
          << "chromium is not installed (scripts/bootstrap installs it); browser tier not tested";
    }
    server_->faults().clear();
  }
  static BrowserOptions options(int timeout_ms = 30000) {
    BrowserOptions o;
    o.executable = kChromium;
    o.timeout = std::chrono::milliseconds(timeout_ms);
    return o;
  }
  static fakeworld::FakeWorldServer* server_;
};

fakeworld::FakeWorldServer* BrowserFetchTest::server_ = nullptr;

TEST_F(BrowserFetchTest, LoadsAPlainPage) {
  auto page = load_in_browser(server_->base_url() + "/demo/films/", options());
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(count(page->html, "class=\"griditem\""), 72);
}

TEST_F(BrowserFetchTest, ReportsTheDocumentStatus) {
  auto page = load_in_browser(server_->base_url() + "/nobody-here/films/", options());
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_EQ(page->status, 404);
}

TEST_F(BrowserFetchTest, PassesTheJavaScriptChallengeAndKeepsTheClearanceCookie) {
  server_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kJsChallenge});
  auto page = load_in_browser(server_->base_url() + "/demo/films/", options());
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(count(page->html, "class=\"griditem\""), 72);
  EXPECT_EQ(page->html.find("Just a moment..."), std::string::npos);
  bool found = false;
  for (const BrowserCookie& c : page->cookies)
    found |= c.name == "cf_clearance" && c.value == server_->clearance();
  EXPECT_TRUE(found) << "the clearance cookie must come back for reuse by the HTTP tiers";
}

TEST_F(BrowserFetchTest, AManagedChallengeThatNeverClearsTimesOut) {
  server_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kChallenge});
  auto page = load_in_browser(server_->base_url() + "/demo/films/", options(3000));
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().code, core::ErrorCode::kUnavailable);
  EXPECT_TRUE(page.error().retryable);
}

TEST_F(BrowserFetchTest, MissingExecutableIsAClearError) {
  BrowserOptions o = options();
  o.executable = "/nonexistent/chromium";
  auto page = load_in_browser(server_->base_url() + "/demo/films/", o);
  ASSERT_FALSE(page.has_value());
  EXPECT_NE(page.error().message.find("browser not found"), std::string::npos);
  EXPECT_FALSE(BrowserTier(o, 1).available());
}

TEST_F(BrowserFetchTest, TierRefusesInsteadOfQueueingAtTheCap) {
  server_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kNone, 1.0, -1, 2000});
  BrowserTier tier(options(), 1);
  boost::asio::io_context io;
  std::optional<core::Result<BrowserPage>> first, second;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        first = co_await tier.fetch(server_->base_url() + "/demo/films/");
      },
      boost::asio::detached);
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        second = co_await tier.fetch(server_->base_url() + "/demo/films/");
      },
      boost::asio::detached);
  io.run();
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->has_value()) << first->error().message;
  ASSERT_FALSE(second->has_value());
  EXPECT_EQ(second->error().message, "browser busy");
  EXPECT_EQ(tier.in_use(), 0);
}

}  // namespace
}  // namespace lbrec::net
