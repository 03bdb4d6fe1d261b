#include "store/memory_cache.hpp"

#include <algorithm>

namespace lbrec::store {

MemoryCache::MemoryCache(std::size_t max_entries, const core::Clock& clock)
    : clock_(clock), max_entries_(std::max<std::size_t>(1, max_entries)) {}

std::optional<CacheEntry> MemoryCache::get(std::string_view key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) {
    count(key, false);
    return std::nullopt;
  }
  if (clock_.wall_now() >= it->second->entry.expires_at) {
    const auto node = it->second;
    index_.erase(it);
    lru_.erase(node);
    count(key, false);
    return std::nullopt;
  }
  count(key, true);
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->entry;
}

void MemoryCache::count(std::string_view key, bool hit) {
  // Namespaces are few and fixed ("profile", "tmdb", ...); anything odd is pooled.
  std::string_view space = key_space(key);
  auto it = counts_.find(space);
  if (it == counts_.end()) {
    if (counts_.size() >= 64) space = "other";
    it = counts_.try_emplace(std::string(space), Counts{std::string(space)}).first;
  }
  ++(hit ? it->second.hits : it->second.misses);
}

std::vector<MemoryCache::Counts> MemoryCache::counts() const {
  std::lock_guard lock(mutex_);
  std::vector<Counts> out;
  for (const auto& [space, c] : counts_)
    out.push_back(c);
  return out;
}

void MemoryCache::put(std::string key, std::string value, std::chrono::nanoseconds ttl) {
  const auto now = clock_.wall_now();
  put_entry(std::move(key),
            CacheEntry{std::move(value), now,
                       now + std::chrono::duration_cast<core::Clock::System::duration>(ttl)});
}

void MemoryCache::put_entry(std::string key, CacheEntry entry) {
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
