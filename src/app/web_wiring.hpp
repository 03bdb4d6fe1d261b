#pragma once

#include <memory>

#include "app/breaker_sync.hpp"
#include "app/services.hpp"
#include "core/config.hpp"
#include "server/redis_job_relay.hpp"
#include "server/redis_rate_limiter.hpp"
#include "server/web_service.hpp"
#include "store/redis_client.hpp"

namespace lbrec::app {

// What the HTTP service needs from the application, built from the configuration and the shared
// services: the job runner (the recommendation pipeline), the API's hooks (circuit breaker, page
// counts, cache and upstream metrics) and every server setting.
struct WebWiring {
  server::JobRunner runner;
  server::ApiHooks hooks;
  server::WebServiceOptions options;
  // Shared between instances through Redis (all null without it): the per-client limits
  // (RATELIMIT_STORAGE_URI; its own connection when it names another Redis than REDIS_URL) and
  // the Letterboxd circuit breaker (run breaker_sync->run() on the io_context).
  std::unique_ptr<store::RedisClient> ratelimit_redis;
  std::unique_ptr<server::RedisRateLimiter> shared_limits;
  std::unique_ptr<BreakerSync> breaker_sync;
  // Jobs, their streams and results readable from every instance (REDIS_URL).
  std::unique_ptr<server::RedisJobRelay> relay;
};

// `connections` (optional) reports the listener's open connections for /metrics.
WebWiring wire_web_service(const core::Config& config, Services& services,
                           std::function<std::size_t()> connections = {});

}  // namespace lbrec::app
