#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.hpp"

namespace lbrec::net {

// What one attempt ended with, as far as retrying is concerned.
enum class AttemptOutcome {
  kSuccess,    // a response worth returning (2xx, 3xx, 404 ...)
  kTransient,  // 5xx, reset, timeout, truncated body: retry after an exponential backoff
  kThrottled,  // 429: retry after Retry-After, else the throttle sleep times the attempt
  kBlocked,    // 403 challenge: retrying the same way will not help; escalate
  kPermanent,  // bad request, body too large ...: give up
};

// Classifies an HTTP status for retrying (transport errors are classified by the client).
AttemptOutcome classify_status(long status);

// How long to wait between attempts. Exponential backoff with full jitter for transient failures
// (base * 2^(attempt-1), capped, times a random factor in [0.5, 1]); for 429 the server's
// Retry-After when given (capped at max_retry_after), else throttle * attempt.
struct RetryPolicy {
  int max_attempts = 3;
  std::chrono::nanoseconds base{std::chrono::milliseconds(400)};  // LETTERBOXD_RETRY_SLEEP_S
  std::chrono::nanoseconds throttle{
      std::chrono::milliseconds(1500)};  // LETTERBOXD_THROTTLE_SLEEP_S
  std::chrono::nanoseconds max_delay{std::chrono::seconds(30)};
  std::chrono::nanoseconds max_retry_after{std::chrono::seconds(120)};

  // The wait after failed attempt number `attempt` (1-based). `jitter` is a uniform draw in
  // [0, 1) supplied by the caller so tests can fix it.
  std::chrono::nanoseconds delay(int attempt, AttemptOutcome outcome,
                                 std::optional<std::chrono::nanoseconds> retry_after,
                                 double jitter) const;
};

// Parses a Retry-After value: delta-seconds ("7") or an HTTP-date ("Wed, 21 Oct 2026 07:28:00
// GMT", measured against `now`). nullopt when absent or unreadable; a date in the past gives 0.
std::optional<std::chrono::nanoseconds> parse_retry_after(std::string_view value,
                                                          core::Clock::System::time_point now);

}  // namespace lbrec::net
