#include "store/tiered_cache.hpp"

#include <algorithm>

namespace lbrec::store {

namespace asio = boost::asio;

TieredCache::TieredCache(std::size_t max_entries, const core::Clock& clock, Cache* second,
                         std::string second_name)
    : Cache(clock),
      memory_(max_entries, clock),
      second_(second),
      second_name_(std::move(second_name)) {}

asio::awaitable<std::optional<CacheEntry>> TieredCache::get(std::string key) {
  if (auto hit = memory_.get(key)) co_return hit;
  if (second_ == nullptr) co_return std::nullopt;
  std::optional<CacheEntry> found = co_await second_->get(key);
  if (!found || found->expires_at <= clock().wall_now()) co_return std::nullopt;
  count_second_hit(key);
  memory_.put_entry(std::move(key), *found);
  co_return found;
}

asio::awaitable<void> TieredCache::put(std::string key, std::string value,
                                       std::chrono::nanoseconds ttl) {
  if (second_ == nullptr) {
    memory_.put(std::move(key), std::move(value), ttl);
    co_return;
  }
  memory_.put(key, value, ttl);
  co_await second_->put(std::move(key), std::move(value), ttl);
}

asio::awaitable<void> TieredCache::erase(std::string key) {
  memory_.erase(key);
  if (second_ != nullptr) co_await second_->erase(std::move(key));
}

void TieredCache::count_second_hit(std::string_view key) {
  std::lock_guard lock(mutex_);
  const std::string_view space = key_space(key);
  auto it = second_hits_.find(space);
  if (it == second_hits_.end()) it = second_hits_.emplace(std::string(space), 0).first;
  ++it->second;
}

std::vector<CacheCounts> TieredCache::counts() const {
  std::vector<CacheCounts> out;
  std::lock_guard lock(mutex_);
  for (const auto& m : memory_.counts()) {
    CacheCounts c{m.space, m.hits, 0, m.misses};
    if (const auto it = second_hits_.find(m.space); it != second_hits_.end()) {
      c.second_hits = it->second;
      c.misses -= std::min(c.misses, it->second);  // memory misses the second level answered
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace lbrec::store
