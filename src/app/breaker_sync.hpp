#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string>

#include "net/circuit_breaker.hpp"
#include "store/redis_client.hpp"

namespace lbrec::app {

// Shares the Letterboxd circuit breaker between instances through Redis, as the seed's
// IncidentTracker does: an instance whose circuit is open writes when it reopens (the key expires
// with the cooldown), and the others adopt the opening, so one instance being blocked spares the
// rest from hammering Letterboxd, and every /_health reports it. Checked every `period`.
class BreakerSync {
 public:
  BreakerSync(store::RedisClient& redis, net::CircuitBreaker& breaker,
              std::chrono::milliseconds period = std::chrono::milliseconds(1000),
              std::string key = "lbrec:breaker:letterboxd");

  // Runs until stop() (or the io_context stops).
  boost::asio::awaitable<void> run();
  void stop();

 private:
  boost::asio::awaitable<void> exchange();

  store::RedisClient& redis_;
  net::CircuitBreaker& breaker_;
  std::chrono::milliseconds period_;
  std::string key_;
  boost::asio::steady_timer* timer_ = nullptr;
  bool stopped_ = false;
};

}  // namespace lbrec::app
