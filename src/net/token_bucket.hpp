#pragma once

#include <chrono>
#include <mutex>

#include "core/clock.hpp"

namespace lbrec::net {

// Paces requests to one upstream: `rate` tokens per second, at most `burst` saved up. reserve()
// takes a token now or books the next free one and says how long the caller must wait for it, so
// concurrent callers queue fairly without polling. Thread-safe; time comes from the Clock.
class TokenBucket {
 public:
  TokenBucket(double rate_per_second, double burst, const core::Clock& clock);

  // The wait before the caller's request may go out (zero when a token is available now).
  std::chrono::nanoseconds reserve();
  // A bucket spacing requests at least `interval` apart (the seed's minimum interval).
  static TokenBucket with_min_interval(std::chrono::nanoseconds interval, const core::Clock& clock);

  // No token is handed out before `wait` from now (an upstream said 429: everyone slows down,
  // not only the request that heard it). Never moves the next token earlier.
  void hold_off(std::chrono::nanoseconds wait);

  double rate() const { return rate_; }

 private:
  const core::Clock& clock_;
  double rate_;
  std::chrono::nanoseconds interval_;    // time to earn one token
  std::chrono::nanoseconds burst_span_;  // how far back unused tokens are remembered
  std::mutex mutex_;
  core::Clock::Steady::time_point next_free_;  // when the next token is earned (GCRA "TAT")
  bool started_ = false;
};

}  // namespace lbrec::net
