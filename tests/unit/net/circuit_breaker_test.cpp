#include "net/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace lbrec::net {
namespace {

using std::chrono::seconds;

TEST(CircuitBreaker, OpensAfterThresholdConsecutiveFailures) {
  core::FakeClock clock;
  CircuitBreaker breaker(5, seconds(180), clock);
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(breaker.allow());
    breaker.record_failure(403);
  }
  EXPECT_FALSE(breaker.snapshot().letterboxd_circuit_open);
  breaker.record_failure(429);
  const BreakerSnapshot s = breaker.snapshot();
  EXPECT_TRUE(s.letterboxd_circuit_open);
  EXPECT_EQ(s.letterboxd_consecutive_failures, 5u);
  EXPECT_EQ(s.letterboxd_total_failures, 5u);
  EXPECT_EQ(s.letterboxd_last_status, 429);
  EXPECT_EQ(s.letterboxd_circuit_retry_after_s, 180);
  EXPECT_FALSE(breaker.allow());
}

TEST(CircuitBreaker, AdoptsAnOpeningReportedByAnotherInstance) {
  core::FakeClock clock;
  CircuitBreaker breaker(5, seconds(180), clock);
  breaker.adopt_open(seconds(100), 403);
  BreakerSnapshot s = breaker.snapshot();
  EXPECT_TRUE(s.letterboxd_circuit_open);
  EXPECT_EQ(s.letterboxd_circuit_retry_after_s, 100);
  EXPECT_EQ(s.letterboxd_last_status, 403);
  EXPECT_FALSE(breaker.allow());
  breaker.adopt_open(seconds(50), 0);  // never shortens
  EXPECT_EQ(breaker.snapshot().letterboxd_circuit_retry_after_s, 100);
  breaker.adopt_open(seconds(900), 0);  // never beyond one cooldown
  EXPECT_EQ(breaker.snapshot().letterboxd_circuit_retry_after_s, 180);
  clock.advance(seconds(180));
  EXPECT_TRUE(breaker.allow());  // then the usual single probe
  EXPECT_FALSE(breaker.allow());
  breaker.record_success(200);
  EXPECT_FALSE(breaker.snapshot().letterboxd_circuit_open);
  breaker.adopt_open(seconds(0), 0);  // an expired opening is ignored
  EXPECT_FALSE(breaker.snapshot().letterboxd_circuit_open);
}

TEST(CircuitBreaker, SuccessResetsTheConsecutiveCount) {
  core::FakeClock clock;
  CircuitBreaker breaker(3, seconds(10), clock);
  breaker.record_failure(503);
  breaker.record_failure(503);
  breaker.record_success(200);
  breaker.record_failure(503);
  breaker.record_failure(503);
  EXPECT_FALSE(breaker.snapshot().letterboxd_circuit_open);
  EXPECT_EQ(breaker.snapshot().letterboxd_total_failures, 4u);
  EXPECT_EQ(breaker.snapshot().letterboxd_last_status, 503);
}

TEST(CircuitBreaker, CooldownThenExactlyOneProbe) {
  core::FakeClock clock;
  CircuitBreaker breaker(1, seconds(180), clock);
  breaker.record_failure(403);
  clock.advance(seconds(100));
  EXPECT_FALSE(breaker.allow());
  EXPECT_EQ(breaker.snapshot().letterboxd_circuit_retry_after_s, 80);
  clock.advance(std::chrono::milliseconds(79'500));
  EXPECT_EQ(breaker.snapshot().letterboxd_circuit_retry_after_s, 1);  // rounded up
  clock.advance(seconds(1));
  EXPECT_TRUE(breaker.allow());   // the probe
  EXPECT_FALSE(breaker.allow());  // everyone else waits for its verdict
  breaker.record_success(200);
  EXPECT_FALSE(breaker.snapshot().letterboxd_circuit_open);
  EXPECT_TRUE(breaker.allow());
  EXPECT_TRUE(breaker.allow());
}

TEST(CircuitBreaker, FailedProbeReopensForAnotherCooldown) {
  core::FakeClock clock;
  CircuitBreaker breaker(5, seconds(60), clock);
  for (int i = 0; i < 5; ++i)
    breaker.record_failure(403);
  clock.advance(seconds(60));
  ASSERT_TRUE(breaker.allow());
  breaker.record_failure(403);
  EXPECT_TRUE(breaker.snapshot().letterboxd_circuit_open);
  EXPECT_EQ(breaker.snapshot().letterboxd_circuit_retry_after_s, 60);
  EXPECT_FALSE(breaker.allow());
}

}  // namespace
}  // namespace lbrec::net
