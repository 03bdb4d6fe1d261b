#include "net/retry_policy.hpp"

#include <gtest/gtest.h>

namespace lbrec::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryPolicy, ClassifiesStatuses) {
  EXPECT_EQ(classify_status(200), AttemptOutcome::kSuccess);
  EXPECT_EQ(classify_status(404), AttemptOutcome::kSuccess);  // an answer, not a failure to retry
  EXPECT_EQ(classify_status(429), AttemptOutcome::kThrottled);
  EXPECT_EQ(classify_status(403), AttemptOutcome::kBlocked);
  EXPECT_EQ(classify_status(500), AttemptOutcome::kTransient);
  EXPECT_EQ(classify_status(503), AttemptOutcome::kTransient);
  EXPECT_EQ(classify_status(522), AttemptOutcome::kTransient);
  EXPECT_EQ(classify_status(501), AttemptOutcome::kPermanent);
}

TEST(RetryPolicy, TransientBackoffDoublesWithJitterAndCap) {
  RetryPolicy p;
  p.base = milliseconds(400);
  p.max_delay = seconds(2);
  EXPECT_EQ(p.delay(1, AttemptOutcome::kTransient, std::nullopt, 1.0), milliseconds(400));
  EXPECT_EQ(p.delay(2, AttemptOutcome::kTransient, std::nullopt, 1.0), milliseconds(800));
  EXPECT_EQ(p.delay(3, AttemptOutcome::kTransient, std::nullopt, 1.0), milliseconds(1600));
  EXPECT_EQ(p.delay(4, AttemptOutcome::kTransient, std::nullopt, 1.0), seconds(2));  // capped
  EXPECT_EQ(p.delay(40, AttemptOutcome::kTransient, std::nullopt, 1.0), seconds(2));
  // Jitter scales into [0.5, 1] of the step.
  EXPECT_EQ(p.delay(2, AttemptOutcome::kTransient, std::nullopt, 0.0), milliseconds(400));
  EXPECT_EQ(p.delay(2, AttemptOutcome::kTransient, std::nullopt, 0.5), milliseconds(600));
}

TEST(RetryPolicy, ThrottleHonoursRetryAfterElseScalesWithAttempt) {
  RetryPolicy p;
  p.throttle = milliseconds(1500);
  EXPECT_EQ(p.delay(1, AttemptOutcome::kThrottled, seconds(7), 0.3), seconds(7));
  EXPECT_EQ(p.delay(1, AttemptOutcome::kThrottled, std::nullopt, 0.3), milliseconds(1500));
  EXPECT_EQ(p.delay(3, AttemptOutcome::kThrottled, std::nullopt, 0.3), milliseconds(4500));
  p.max_retry_after = seconds(60);
  EXPECT_EQ(p.delay(1, AttemptOutcome::kThrottled, seconds(3600), 0.3), seconds(60));
}

TEST(RetryAfter, ParsesSecondsAndHttpDates) {
  const auto now = core::Clock::System::from_time_t(1'790'000'000);  // 2026-09-21T...
  EXPECT_EQ(parse_retry_after("7", now), seconds(7));
  EXPECT_EQ(parse_retry_after(" 120 ", now), seconds(120));
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("-3", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
  // 1'790'000'000 + 90 s as an IMF-fixdate.
  std::time_t t = 1'790'000'090;
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&t));
  EXPECT_EQ(parse_retry_after(buf, now), seconds(90));
  EXPECT_EQ(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now), seconds(0));
  EXPECT_EQ(parse_retry_after("Thu, 01 Jan 1970 00:00:00 PST", now), std::nullopt);
}

}  // namespace
}  // namespace lbrec::net
