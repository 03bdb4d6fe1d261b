#include "store/memory_cache.hpp"

#include <algorithm>

namespace lbrec::store {

MemoryCache::MemoryCache(std::size_t max_entries, const core::Clock& clock)
    : clock_(clock), max_entries_(std::max<std::size_t>(1, max_entries)) {}

std::optional<CacheEntry> MemoryCache::get(std::string_view key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  if (clock_.wall_now() >= it->second->entry.expires_at) {
    const auto node = it->second;
    index_.erase(it);
    lru_.erase(node);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->entry;
}

void MemoryCache::put(std::string key, std::string value, std::chrono::nanoseconds ttl) {
  const auto now = clock_.wall_now();
  CacheEntry entry{std::move(value), now,
                   now + std::chrono::duration_cast<core::Clock::System::duration>(ttl)};
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    it->second->entry = std::move(entry);
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Node{std::move(key), std::move(entry)});
  index_.emplace(lru_.front().key, lru_.begin());
  while (lru_.size() > max_entries_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

void MemoryCache::erase(std::string_view key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return;
  const auto node = it->second;
  index_.erase(it);
  lru_.erase(node);
}

std::size_t MemoryCache::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

}  // namespace lbrec::store
