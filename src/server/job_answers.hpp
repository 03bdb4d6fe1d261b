#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "net/circuit_breaker.hpp"
#include "pipeline/job.hpp"

namespace lbrec::server {

struct JobDone;

// What GET /api/result answers about a job, whichever instance holds it: status, JSON body and
// Retry-After. The relay stores these as they are, so every instance answers alike.
struct RenderedResult {
  int status = 200;
  std::string body;
  long retry_after_s = 0;  // 0: no Retry-After header
};

// How long a client should wait before retrying when Letterboxd blocks us and the breaker gives
// no better figure.
inline constexpr std::int64_t kDefaultBlockedRetryS = 60;

// The seed's incident fields of the circuit breaker.
boost::json::object incident_json(const net::BreakerSnapshot& s);
// Errors that mean "Letterboxd or an upstream is refusing us for now" (503 with Retry-After).
bool blocked_kind(core::ErrorCode code);

// 202 {"status": "queued"|"running", "request_id", "progress"}.
RenderedResult render_pending(std::string_view id, bool running,
                              const pipeline::Progress& progress);
// The payload, or the error payload with its status, Retry-After and incident when blocked.
RenderedResult render_done(const JobDone& done, std::string_view id);

}  // namespace lbrec::server
