// Per-client fixed-window limits with Flask-Limiter's limit strings.

#include "server/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace lbrec::server {
namespace {

using std::chrono::seconds;

TEST(ParseRateLimit, ReadsFlaskLimiterStrings) {
  EXPECT_EQ(*parse_rate_limit("5/minute"), (RateLimit{5, seconds(60)}));
  EXPECT_EQ(*parse_rate_limit("10 per minute"), (RateLimit{10, seconds(60)}));
  EXPECT_EQ(*parse_rate_limit(" 60/hour "), (RateLimit{60, seconds(3600)}));
  EXPECT_EQ(*parse_rate_limit("2/5 seconds"), (RateLimit{2, seconds(5)}));
  EXPECT_EQ(*parse_rate_limit("100/2 Days"), (RateLimit{100, seconds(2 * 86400)}));
  EXPECT_EQ(*parse_rate_limit("1/second"), (RateLimit{1, seconds(1)}));
}

TEST(ParseRateLimit, RejectsAnythingElseWithAClearMessage) {
  for (const char* bad :
       {"", "5", "5/", "/minute", "0/minute", "-1/minute", "5/fortnight", "5/0 minutes",
        "five/minute", "5/minutes please", "5//minute", "99999999999/minute"}) {
    const auto parsed = parse_rate_limit(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(parsed.error().message.find("5/minute"), std::string::npos);
  }
}

TEST(RateLimiter, TheSixthRequestInAMinuteIsRefusedWithTheTimeLeft) {
  core::FakeClock clock;
  RateLimiter limiter(clock);
  const RateLimit five{5, seconds(60)};
  for (int i = 0; i < 5; ++i) {
    const RateDecision d = limiter.hit("recommend", "10.0.0.1", five);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 4 - i);
  }
  clock.advance(seconds(20));
  const RateDecision refused = limiter.hit("recommend", "10.0.0.1", five);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, seconds(40));
  clock.advance(std::chrono::milliseconds(39500));
  EXPECT_EQ(limiter.hit("recommend", "10.0.0.1", five).retry_after, seconds(1));  // rounded up
  clock.advance(std::chrono::milliseconds(500));
  EXPECT_TRUE(limiter.hit("recommend", "10.0.0.1", five).allowed) << "a new window opened";
}

TEST(RateLimiter, ClientsAndRoutesHaveTheirOwnWindows) {
  core::FakeClock clock;
  RateLimiter limiter(clock);
  const RateLimit one{1, seconds(60)};
  EXPECT_TRUE(limiter.hit("recommend", "a", one).allowed);
  EXPECT_FALSE(limiter.hit("recommend", "a", one).allowed);
  EXPECT_TRUE(limiter.hit("recommend", "b", one).allowed);
  EXPECT_TRUE(limiter.hit("result", "a", one).allowed);
  // "ab" on route "x" must not collide with "b" on route "xa".
  EXPECT_TRUE(limiter.hit("x", "ab", one).allowed);
  EXPECT_TRUE(limiter.hit("xa", "b", one).allowed);
}

TEST(RateLimiter, MemoryStaysBoundedUnderManyClients) {
  core::FakeClock clock;
  RateLimiter limiter(clock, 1000);
  const RateLimit limit{3, seconds(60)};
  for (int i = 0; i < 10000; ++i) {
    EXPECT_TRUE(limiter.hit("result", "client-" + std::to_string(i), limit).allowed);
    clock.advance(std::chrono::milliseconds(1));
  }
  EXPECT_LE(limiter.keys(), 1000u);
  // The newest clients keep their windows.
  EXPECT_EQ(limiter.hit("result", "client-9999", limit).remaining, 1);
  clock.advance(seconds(61));
  limiter.hit("result", "late", limit);
  EXPECT_TRUE(limiter.hit("result", "client-9999", limit).allowed);
}

TEST(RateLimiter, ConcurrentHitsNeverOvershootTheLimit) {
  core::FakeClock clock;
  RateLimiter limiter(clock);
  const RateLimit limit{100, seconds(60)};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i)
        allowed += limiter.hit("stream", "same", limit).allowed;
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(allowed.load(), 100);
}

}  // namespace
}  // namespace lbrec::server
