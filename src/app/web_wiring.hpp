#pragma once

#include "app/services.hpp"
#include "core/config.hpp"
#include "server/web_service.hpp"

namespace lbrec::app {

// What the HTTP service needs from the application, built from the configuration and the shared
// services: the job runner (the recommendation pipeline), the API's hooks (circuit breaker, page
// counts, cache and upstream metrics) and every server setting.
struct WebWiring {
  server::JobRunner runner;
  server::ApiHooks hooks;
  server::WebServiceOptions options;
};

// `connections` (optional) reports the listener's open connections for /metrics.
WebWiring wire_web_service(const core::Config& config, Services& services,
                           std::function<std::size_t()> connections = {});

}  // namespace lbrec::app
