#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace lbrec::core {

// The kinds of expected failure. Kept small: callers branch on these, humans read the message.
enum class ErrorCode {
  kInvalidInput,   // the caller gave something malformed (username, country, body, setting)
  kNotFound,       // the thing asked for does not exist upstream or here
  kBlocked,        // an upstream refused us (challenge page, 403 from a bot wall)
  kRateLimited,    // an upstream or our own limiter asked us to slow down
  kUnavailable,    // an upstream is down, unreachable or timed out
  kUpstreamError,  // an upstream answered with something we cannot use
  kParseError,     // input that should have a known shape did not
  kUnauthorized,   // credentials missing or rejected
  kConfigError,    // the service configuration is invalid
  kInternal,       // a bug: should never reach a user in normal operation
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  bool retryable = false;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Shorthand for returning an error from a function that yields Result<T>.
inline tl::unexpected<Error> fail(ErrorCode code, std::string message, bool retryable = false) {
  return tl::unexpected<Error>(Error{code, std::move(message), retryable});
}

// The one mapping from an error kind to the HTTP status the service answers with.
int http_status(ErrorCode code);

// Stable lower-case name of an error kind, for logs and JSON.
std::string_view to_string(ErrorCode code);

}  // namespace lbrec::core
