#include "net/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace lbrec::net {

using std::chrono::nanoseconds;

TokenBucket::TokenBucket(double rate_per_second, double burst, const core::Clock& clock)
    : clock_(clock),
      rate_(std::max(rate_per_second, 1e-9)),
      interval_(nanoseconds(static_cast<std::int64_t>(std::llround(1e9 / rate_)))),
      burst_span_(interval_ * static_cast<std::int64_t>(std::max(1.0, std::floor(burst)))) {}

TokenBucket TokenBucket::with_min_interval(nanoseconds interval, const core::Clock& clock) {
  const double seconds = std::max(1e-9, std::chrono::duration<double>(interval).count());
  return TokenBucket(1.0 / seconds, 1.0, clock);
}

nanoseconds TokenBucket::reserve() {
  // Generic cell rate algorithm: a request conforms when the theoretical arrival time is no more
  // than the burst span ahead of now; it then pushes that time one interval further.
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  if (!started_) {
    next_free_ = now;
    started_ = true;
  }
  const auto earliest = next_free_ - burst_span_ + interval_;
  const auto start = std::max(now, earliest);
  next_free_ = std::max(next_free_, now) + interval_;
  return std::chrono::duration_cast<nanoseconds>(start - now);
}

void TokenBucket::hold_off(nanoseconds wait) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  if (!started_) started_ = true;
  // The next token is earned one interval after the hold ends; the burst allowance is spent.
  next_free_ = std::max(next_free_, now + wait + burst_span_ - interval_);
}

}  // namespace lbrec::net
