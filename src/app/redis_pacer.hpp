#pragma once

#include <chrono>
#include <string>

#include "net/host_gate.hpp"
#include "store/redis_client.hpp"

namespace lbrec::app {

// An upstream's token bucket kept in Redis, shared by every instance (GCRA: one key holding the
// theoretical arrival time, advanced atomically by a Lua script on Redis' own clock). With
// TMDB_RATE_LIMIT=40, N instances together send at most 40 requests/s, not 40 × N.
class RedisPacer final : public net::SharedPacer {
 public:
  RedisPacer(store::RedisClient& redis, boost::asio::any_io_executor executor, std::string key,
             double rate_per_second, double burst);

  boost::asio::awaitable<std::optional<std::chrono::nanoseconds>> reserve() override;
  void hold_off(std::chrono::nanoseconds wait) override;

 private:
  store::RedisClient& redis_;
  boost::asio::any_io_executor executor_;
  std::string key_;
  std::int64_t interval_us_;
  std::int64_t burst_span_us_;
};

}  // namespace lbrec::app
