#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "server/rate_limiter.hpp"
#include "store/redis_client.hpp"

namespace lbrec::server {

// The per-client limits kept in Redis, so every instance behind a load balancer counts against
// one window (Flask-Limiter's redis storage, RATELIMIT_STORAGE_URI). Fixed windows as in the
// in-process RateLimiter: INCR opens the window's counter, which Redis expires after `period`.
class RedisRateLimiter {
 public:
  explicit RedisRateLimiter(store::RedisClient& redis, std::string prefix = "lbrec:ratelimit:");

  // The decision, or nullopt when Redis cannot answer (the caller then limits in-process).
  boost::asio::awaitable<std::optional<RateDecision>> hit(std::string route, std::string client,
                                                          RateLimit limit);

 private:
  store::RedisClient& redis_;
  std::string prefix_;
};

}  // namespace lbrec::server
