#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/rate_limit.hpp"
#include "net/circuit_breaker.hpp"
#include "server/http_listener.hpp"
#include "server/job_hub.hpp"
#include "server/metrics.hpp"
#include "server/rate_limiter.hpp"
#include "server/sse_stream.hpp"

namespace lbrec::server {

// The seed's per-client limits, by default its own values.
struct RouteLimits {
  core::RateLimit recommend{5, std::chrono::seconds(60)};
  core::RateLimit get_pages{10, std::chrono::seconds(60)};
  core::RateLimit result{60, std::chrono::seconds(60)};
  core::RateLimit stream{20, std::chrono::seconds(60)};  // each SSE endpoint
  core::RateLimit incident_status{30, std::chrono::seconds(60)};
};

struct ApiSettings {
  bool ratelimit_enabled = true;  // RATELIMIT_ENABLED
  RouteLimits limits;
  bool trust_proxy = false;    // TRUST_PROXY
  std::string internal_token;  // INTERNAL_TOKEN: guards /_incident-status and /metrics when set
  std::size_t json_body_limit = 16u << 10;
  std::size_t upload_body_limit = 32u << 20;  // MAX_UPLOAD_MB, multipart export uploads
  SseOptions sse;
};

// What the API needs from the rest of the application.
struct ApiHooks {
  // The Letterboxd circuit breaker, for /_health and /_incident-status.
  std::function<net::BreakerSnapshot()> incident;
  // Pages of a member's film grid (POST /api/get_pages).
  std::function<boost::asio::awaitable<core::Result<int>>(std::string username)> page_count;
  // Extra samples for /metrics (caches, upstream calls, connections). Optional.
  std::function<void(std::vector<Sample>&)> collect_metrics;
  // Limits shared between instances (Redis). Answers nullopt when it cannot decide, and the
  // in-process limiter decides instead. Optional.
  std::function<boost::asio::awaitable<std::optional<RateDecision>>(
      std::string route, std::string client, RateLimit limit)>
      shared_rate_limit;
};

// The seed's HTTP API, pages and assets over a JobHub: routing, validation, rate limits, SSE,
// metrics and access logs. One instance serves every connection of a listener; like the hub it
// lives on the I/O thread.
class ApiServer {
 public:
  ApiServer(JobHub& hub, ApiSettings settings, ApiHooks hooks, const core::Clock& clock);

  // The listener's handler: answers one request (or streams one SSE response) on `stream` and
  // returns whether the connection may carry another request.
  boost::asio::awaitable<bool> handle(boost::beast::tcp_stream& stream, HttpRequest request);

  // The body limit for a request, from its header (ListenerOptions::body_limit_for).
  std::size_t body_limit_for(const HttpRequestHeader& header) const;

  std::size_t open_streams() const { return open_streams_; }

  // Other instances' jobs (null: this instance only); must outlive the server.
  void set_relay(JobRelay* relay) { relay_ = relay; }

  struct Exchange;  // one request being answered

 private:
  boost::asio::awaitable<bool> dispatch(Exchange& ex);
  boost::asio::awaitable<HttpResponse> get_pages(Exchange& ex);
  boost::asio::awaitable<HttpResponse> recommend(Exchange& ex);
  boost::asio::awaitable<HttpResponse> run_sync(std::string id);
  boost::asio::awaitable<HttpResponse> result(Exchange& ex);
  HttpResponse health() const;
  HttpResponse incident_status(Exchange& ex) const;
  HttpResponse metrics(Exchange& ex) const;
  boost::asio::awaitable<bool> stream_events(Exchange& ex, Stream which);
  bool allowed_internal(const Exchange& ex) const;

  JobHub& hub_;
  JobRelay* relay_ = nullptr;
  ApiSettings settings_;
  ApiHooks hooks_;
  const core::Clock& clock_;
  RateLimiter limiter_;
  HttpMetrics http_metrics_;
  std::size_t open_streams_ = 0;
  std::uint64_t streams_served_ = 0;
};

}  // namespace lbrec::server
