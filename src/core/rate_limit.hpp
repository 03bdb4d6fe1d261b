#pragma once

#include <chrono>
#include <string_view>

#include "core/error.hpp"

namespace lbrec::core {

// A request limit as Flask-Limiter writes it: "5/minute", "10 per minute", "60/hour",
// "2/5 seconds". At most `count` requests per `period`.
struct RateLimit {
  int count = 0;
  std::chrono::seconds period{60};

  friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

// Parses one limit ("5/minute", "5 per minute", "100/2 hours"; second, minute, hour, day, with
// or without a plural s). kInvalidInput for anything else, or a count or period of 0.
Result<RateLimit> parse_rate_limit(std::string_view text);

}  // namespace lbrec::core
