#pragma once

#include <string>

#include "store/cache.hpp"
#include "store/redis_client.hpp"

namespace lbrec::store {

// Redis as the second cache level, shared by every instance that points at the same Redis (the
// seed's cache.py with REDIS_URL). Keys are prefixed ("lbrec:cache:tmdb:details:603"); each value
// carries its store time so a profile's age reads the same on every instance, and Redis expires
// it (PX). When Redis is unreachable a read is a miss and a write is dropped: the job goes on,
// slower, never failing because of the cache.
class RedisCache final : public Cache {
 public:
  RedisCache(RedisClient& redis, const core::Clock& clock, std::string prefix = "lbrec:cache:");

  boost::asio::awaitable<std::optional<CacheEntry>> get(std::string key) override;
  boost::asio::awaitable<void> put(std::string key, std::string value,
                                   std::chrono::nanoseconds ttl) override;
  boost::asio::awaitable<void> erase(std::string key) override;

  std::uint64_t failures() const { return failures_; }

 private:
  RedisClient& redis_;
  std::string prefix_;
  std::uint64_t failures_ = 0;
};

// The stored form: "<stored_at ms since epoch> <value>". Pure, for tests.
std::string encode_redis_entry(core::Clock::System::time_point stored_at, std::string_view value);
std::optional<std::pair<core::Clock::System::time_point, std::string>> decode_redis_entry(
    std::string_view stored);

}  // namespace lbrec::store
