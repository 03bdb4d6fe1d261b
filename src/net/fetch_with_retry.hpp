#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "net/host_gate.hpp"
#include "net/http_client.hpp"
#include "net/retry_policy.hpp"

namespace lbrec::net {

// One try, for the failure summary (the seed's "attempt=N,status=S,source=TIER").
struct Attempt {
  int number = 0;
  long status = 0;     // 0 when no response arrived
  std::string source;  // the fetch tier
  std::string error;   // transport error, when there was one
};

// "attempt=1,status=503,source=curl; attempt=2,status=0,source=curl,error=timed out"
std::string summarize(const std::vector<Attempt>& attempts);

struct RetriedFetch {
  core::Result<HttpResponse> result;  // the last response or transport error
  AttemptOutcome outcome = AttemptOutcome::kSuccess;
  std::vector<Attempt> attempts;
};

// Everything a retrying fetch needs besides the request.
struct RetryContext {
  HttpClient& client;
  HostGate& gate;
  RetryPolicy policy;
  SleepFn sleep;
  const core::Clock& clock;
  std::function<double()> jitter;  // uniform [0, 1)
};

// Sends `request` through the gate, retrying transient failures (5xx, resets, timeouts,
// truncated bodies) with backoff and 429s after Retry-After, up to policy.max_attempts. A 403 or
// a permanent failure returns at once. The gate's slot is released while waiting to retry.
boost::asio::awaitable<RetriedFetch> fetch_with_retry(const RetryContext& context,
                                                      HttpRequest request, std::string source);

}  // namespace lbrec::net
