#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "server/api_server.hpp"
#include "server/http_listener.hpp"
#include "server/job_hub.hpp"

namespace lbrec::server {

struct WebServiceOptions {
  JobHubSettings jobs;
  ApiSettings api;
  ListenerOptions listener;  // body limits come from the API settings
  std::chrono::seconds sweep_interval{30};
  // Jobs shared with other instances (Redis); null: this instance only. Must outlive the service.
  JobRelay* relay = nullptr;
  // Extra upkeep run after each sweep (the cache's, say); none when empty.
  std::function<boost::asio::awaitable<void>()>
      maintenance;                          // expired results and unclaimed streams are dropped
  std::chrono::seconds shutdown_grace{10};  // running jobs get this long to end once cancelled
};

// The whole HTTP service on one io_context: listener, API, job hub and the periodic sweep.
class WebService {
 public:
  WebService(boost::asio::io_context& io, JobRunner runner, ApiHooks hooks,
             WebServiceOptions options, const core::Clock& clock);
  ~WebService();
  WebService(const WebService&) = delete;
  WebService& operator=(const WebService&) = delete;

  // Listens on `where` (port 0: any free port) and returns the bound endpoint.
  core::Result<boost::asio::ip::tcp::endpoint> start(const boost::asio::ip::tcp::endpoint& where);

  // Graceful stop: no new connections or jobs, queued and running jobs cancelled (running ones
  // get shutdown_grace to end), so every SSE stream receives its terminator and closes.
  // Completes when that is done; the caller then stops the io_context, which ends idle
  // keep-alive connections.
  boost::asio::awaitable<void> stop();

  JobHub& hub() { return hub_; }
  ApiServer& api() { return api_; }
  std::size_t connections() const { return listener_.connections(); }

 private:
  boost::asio::awaitable<void> sweep_loop();

  JobHub hub_;
  ApiServer api_;
  HttpListener listener_;
  boost::asio::steady_timer sweep_timer_;
  std::chrono::seconds sweep_interval_;
  std::function<boost::asio::awaitable<void>()> maintenance_;
  std::chrono::seconds shutdown_grace_;
  bool stopping_ = false;
};

}  // namespace lbrec::server
