#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/rate_limit.hpp"

namespace lbrec::server {

using core::parse_rate_limit;
using core::RateLimit;

// The answer for one request.
struct RateDecision {
  bool allowed = true;
  int remaining = 0;                    // requests left in the window after this one
  std::chrono::seconds retry_after{0};  // when refused: whole seconds until the window resets
};

// Fixed-window limits per key (route and client address), as Flask-Limiter's default strategy:
// a window opens at a key's first request and lasts `period`; the `count + 1`-th request within
// it is refused with the time left. Memory is bounded: expired windows are swept once the table
// holds `max_keys`, and if every window is still open the oldest-opened half is dropped (those
// clients start afresh rather than the table growing without bound). Thread-safe.
class RateLimiter {
 public:
  RateLimiter(const core::Clock& clock, std::size_t max_keys = 100000);

  RateDecision hit(std::string_view route, std::string_view client, const RateLimit& limit);

  std::size_t keys() const;

 private:
  struct Window {
    core::Clock::Steady::time_point opened;
    std::chrono::seconds period;
    int used = 0;
  };
  void make_room(core::Clock::Steady::time_point now);

  const core::Clock& clock_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace lbrec::server
