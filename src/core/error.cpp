#include "core/error.hpp"

namespace lbrec::core {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kBlocked:
      return 503;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kUpstreamError:
      return 502;
    case ErrorCode::kParseError:
      return 502;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kConfigError:
      return 500;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kBlocked:
      return "blocked";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kUpstreamError:
      return "upstream_error";
    case ErrorCode::kParseError:
      return "parse_error";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kConfigError:
      return "config_error";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace lbrec::core
