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
#include "store/cache.hpp"

namespace lbrec::store {

// An in-process key/value cache with a time to live per entry and least-recently-used eviction
// beyond `max_entries` (the seed's _ExpiringDict, CACHE_MAX_SIZE). Keys carry their namespace
// ("profile:demo"). Thread-safe.
class MemoryCache {
 public:
  MemoryCache(std::size_t max_entries, const core::Clock& clock);

  // The entry, unless missing or expired (an expired entry is dropped on the way).
  std::optional<CacheEntry> get(std::string_view key);
  void put(std::string key, std::string value, std::chrono::nanoseconds ttl);
  // Stores an entry with its own times (copied from a slower level: it keeps its age and expiry).
  void put_entry(std::string key, CacheEntry entry);
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
