#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"

namespace lbrec::store {

struct CacheEntry {
  std::string value;
  core::Clock::System::time_point stored_at;
  core::Clock::System::time_point expires_at;

  // How long ago the value was stored.
  std::chrono::nanoseconds age(const core::Clock& clock) const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock.wall_now() - stored_at);
  }
};

// An in-process key/value cache with a time to live per entry and least-recently-used eviction
// beyond `max_entries` (the seed's _ExpiringDict, CACHE_MAX_SIZE). Keys carry their namespace
// ("profile:demo"). Thread-safe.
class MemoryCache {
 public:
  MemoryCache(std::size_t max_entries, const core::Clock& clock);

  // The entry, unless missing or expired (an expired entry is dropped on the way).
  std::optional<CacheEntry> get(std::string_view key);
  void put(std::string key, std::string value, std::chrono::nanoseconds ttl);
  void erase(std::string_view key);
  std::size_t size() const;

  // Hits and misses of get(), by key namespace (the text before the first ':').
  struct Counts {
    std::string space;
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
  };
  std::vector<Counts> counts() const;

 private:
  void count(std::string_view key, bool hit);

  struct Node {
    std::string key;
    CacheEntry entry;
  };
  using List = std::list<Node>;

  const core::Clock& clock_;
  const std::size_t max_entries_;
  mutable std::mutex mutex_;
  List lru_;                                                    // most recently used first
  std::unordered_map<std::string_view, List::iterator> index_;  // views into the nodes' keys
  std::map<std::string, Counts, std::less<>> counts_;           // by namespace
};

}  // namespace lbrec::store
