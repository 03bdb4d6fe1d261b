#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "store/cache.hpp"
#include "store/tiered_cache.hpp"

namespace lbrec::store {
class RedisCache;
class RedisClient;
class SqliteLevel;
}  // namespace lbrec::store

namespace lbrec::app {

// The cache a configuration asks for: the in-process LRU (CACHE_MAX_SIZE) always, in front of
// Redis when REDIS_URL is set (shared by every instance), else SQLite in LBREC_DATA_DIR
// (CACHE_PERSISTENT, CACHE_MAX_MB) when there is a data directory. A
// second level that cannot be opened costs one log line and leaves the cache memory-only; the
// file is left as it was, and the service runs on.
class CacheStack {
 public:
  // `redis` (REDIS_URL's client, may be null) must outlive the stack.
  explicit CacheStack(const core::Config& config, store::RedisClient* redis = nullptr);
  ~CacheStack();
  CacheStack(const CacheStack&) = delete;
  CacheStack& operator=(const CacheStack&) = delete;

  store::TieredCache& cache() { return *tiered_; }
  // Where the persistent level lives; empty when the cache is memory-only.
  const std::string& persistent_file() const { return file_; }

  // Periodic upkeep for a long-running service: drops expired SQLite rows and keeps the file
  // under CACHE_MAX_MB, at most every `every`.
  boost::asio::awaitable<void> maintain(std::chrono::seconds every = std::chrono::minutes(10));

 private:
  std::unique_ptr<store::RedisCache> redis_;
  std::unique_ptr<store::SqliteLevel> sqlite_;
  std::unique_ptr<store::TieredCache> tiered_;
  std::string file_;
  std::chrono::steady_clock::time_point last_sweep_{};
};

}  // namespace lbrec::app
