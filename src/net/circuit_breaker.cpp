#include "net/circuit_breaker.hpp"

#include <algorithm>

namespace lbrec::net {

CircuitBreaker::CircuitBreaker(int threshold, std::chrono::nanoseconds cooldown,
                               const core::Clock& clock)
    : clock_(clock), threshold_(std::max(1, threshold)), cooldown_(cooldown) {}

std::chrono::nanoseconds CircuitBreaker::remaining_locked() const {
  if (!open_) return std::chrono::nanoseconds(0);
  const auto elapsed = clock_.now() - opened_at_;
  return std::max(std::chrono::nanoseconds(0),
                  std::chrono::duration_cast<std::chrono::nanoseconds>(cooldown_ - elapsed));
}

bool CircuitBreaker::allow() {
  std::lock_guard lock(mutex_);
  if (!open_) return true;
  if (remaining_locked().count() > 0 || probe_in_flight_) return false;
  probe_in_flight_ = true;  // half-open: this caller is the probe
  return true;
}

void CircuitBreaker::record_success(long status) {
  std::lock_guard lock(mutex_);
  counts_.letterboxd_last_status = status;
  counts_.letterboxd_consecutive_failures = 0;
  open_ = false;
  probe_in_flight_ = false;
}

void CircuitBreaker::record_failure(long status) {
  std::lock_guard lock(mutex_);
  counts_.letterboxd_last_status = status;
  ++counts_.letterboxd_total_failures;
  ++counts_.letterboxd_consecutive_failures;
  if (probe_in_flight_ ||
      counts_.letterboxd_consecutive_failures >= static_cast<std::uint64_t>(threshold_)) {
    open_ = true;
    opened_at_ = clock_.now();
  }
  probe_in_flight_ = false;
}

BreakerSnapshot CircuitBreaker::snapshot() const {
  std::lock_guard lock(mutex_);
  BreakerSnapshot s = counts_;
  s.letterboxd_circuit_open = open_;
  const auto remaining = remaining_locked();
  // Round up: "retry after 0 s" while still closed to probes would mislead clients.
  s.letterboxd_circuit_retry_after_s =
      open_ ? (remaining.count() + 999'999'999) / 1'000'000'000 : 0;
  return s;
}

void CircuitBreaker::adopt_open(std::chrono::nanoseconds remaining, long status) {
  std::lock_guard lock(mutex_);
  if (remaining.count() <= 0 || remaining_locked() >= remaining) return;
  remaining = std::min(remaining, cooldown_);
  open_ = true;
  probe_in_flight_ = false;
  opened_at_ = clock_.now() -
               std::chrono::duration_cast<core::Clock::Steady::duration>(cooldown_ - remaining);
  if (status != 0) counts_.letterboxd_last_status = status;
}

std::chrono::nanoseconds CircuitBreaker::retry_after() const {
  std::lock_guard lock(mutex_);
  return remaining_locked();
}

}  // namespace lbrec::net
