#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store/cache.hpp"
#include "store/memory_cache.hpp"

namespace lbrec::store {

// The cache the service runs on: an in-process LRU (CACHE_MAX_SIZE entries) in front of an
// optional second level that outlives the process or is shared between processes (SQLite in
// LBREC_DATA_DIR, or Redis). Reads try memory first, then the second level, and copy what the
// second level had into memory with its original age and expiry; writes go to both.
class TieredCache final : public Cache {
 public:
  // `second` may be null (memory only); it must outlive this cache. `second_name` labels it in
  // metrics and logs ("sqlite", "redis").
  TieredCache(std::size_t max_entries, const core::Clock& clock, Cache* second = nullptr,
              std::string second_name = {});

  boost::asio::awaitable<std::optional<CacheEntry>> get(std::string key) override;
  boost::asio::awaitable<void> put(std::string key, std::string value,
                                   std::chrono::nanoseconds ttl) override;
  boost::asio::awaitable<void> erase(std::string key) override;

  MemoryCache& memory() { return memory_; }
  const MemoryCache& memory() const { return memory_; }
  const std::string& second_name() const { return second_name_; }
  bool has_second() const { return second_ != nullptr; }

  std::vector<CacheCounts> counts() const;

 private:
  void count_second_hit(std::string_view key);

  MemoryCache memory_;
  Cache* second_;
  std::string second_name_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t, std::less<>> second_hits_;  // by namespace
};

}  // namespace lbrec::store
