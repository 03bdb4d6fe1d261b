#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

#include "core/clock.hpp"

namespace lbrec::net {

// The seed's IncidentTracker, with its field names.
struct BreakerSnapshot {
  std::uint64_t letterboxd_total_failures = 0;
  std::uint64_t letterboxd_consecutive_failures = 0;
  long letterboxd_last_status = 0;  // last HTTP status seen (0: none or a transport error)
  bool letterboxd_circuit_open = false;
  std::int64_t letterboxd_circuit_retry_after_s = 0;  // whole seconds until a probe is allowed
};

// Opens after `threshold` consecutive failed fetches and refuses live fetches for `cooldown`;
// then lets exactly one probe through (half-open): its success closes the circuit, its failure
// opens it for another cooldown. Thread-safe.
class CircuitBreaker {
 public:
  CircuitBreaker(int threshold, std::chrono::nanoseconds cooldown, const core::Clock& clock);

  // Whether a live fetch may go out now. In the half-open state only the first caller gets true.
  bool allow();
  void record_success(long status);
  void record_failure(long status);
  BreakerSnapshot snapshot() const;
  // Time until a probe is allowed; zero when closed.
  std::chrono::nanoseconds retry_after() const;
  // Another instance found Letterboxd blocking it and opened its circuit: open this one too
  // until `remaining` from now (never shortening an opening of its own).
  void adopt_open(std::chrono::nanoseconds remaining, long status);

 private:
  std::chrono::nanoseconds remaining_locked() const;

  const core::Clock& clock_;
  const int threshold_;
  const std::chrono::nanoseconds cooldown_;
  mutable std::mutex mutex_;
  BreakerSnapshot counts_;
  bool open_ = false;
  bool probe_in_flight_ = false;
  core::Clock::Steady::time_point opened_at_{};
};

}  // namespace lbrec::net
