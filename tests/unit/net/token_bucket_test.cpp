#include "net/token_bucket.hpp"

#include <gtest/gtest.h>

namespace lbrec::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(TokenBucket, MinIntervalSpacesBackToBackRequests) {
  core::FakeClock clock;
  auto bucket = TokenBucket::with_min_interval(milliseconds(150), clock);
  EXPECT_EQ(bucket.reserve(), nanoseconds(0));
  EXPECT_EQ(bucket.reserve(), milliseconds(150));  // booked the next slot
  EXPECT_EQ(bucket.reserve(), milliseconds(300));  // and the one after
  clock.advance(milliseconds(300));
  EXPECT_EQ(bucket.reserve(), milliseconds(150));  // slots booked earlier are still taken
}

TEST(TokenBucket, IdleTimeDoesNotAccumulateBeyondBurst) {
  core::FakeClock clock;
  TokenBucket bucket(10.0, 3.0, clock);  // 100 ms per token, bursts of 3
  clock.advance(std::chrono::seconds(60));
  EXPECT_EQ(bucket.reserve(), nanoseconds(0));
  EXPECT_EQ(bucket.reserve(), nanoseconds(0));
  EXPECT_EQ(bucket.reserve(), nanoseconds(0));
  EXPECT_EQ(bucket.reserve(), milliseconds(100));  // burst spent: back to the rate
  clock.advance(std::chrono::seconds(60));
  EXPECT_EQ(bucket.reserve(), nanoseconds(0));
}

TEST(TokenBucket, SustainedRateMatchesConfiguration) {
  core::FakeClock clock;
  TokenBucket bucket(40.0, 1.0, clock);  // TMDB's ~40 requests/s
  nanoseconds last{0};
  for (int i = 0; i < 400; ++i)
    last = bucket.reserve();
  // 400 requests at 40/s: the last may start 399/40 s after the first.
  EXPECT_EQ(last, milliseconds(9975));
}

TEST(TokenBucket, HoldOffDelaysEveryoneThenResumesAtTheRate) {
  core::FakeClock clock;
  TokenBucket bucket(10.0, 5.0, clock);  // 100 ms per token, bursts of 5
  EXPECT_EQ(bucket.reserve(), nanoseconds(0));
  bucket.hold_off(std::chrono::seconds(2));  // a 429 with Retry-After: 2
  EXPECT_EQ(bucket.reserve(), std::chrono::seconds(2));
  EXPECT_EQ(bucket.reserve(), milliseconds(2100));  // no burst straight after the hold
  bucket.hold_off(milliseconds(500));               // a shorter hold never moves tokens earlier
  EXPECT_EQ(bucket.reserve(), milliseconds(2200));
}

}  // namespace
}  // namespace lbrec::net
