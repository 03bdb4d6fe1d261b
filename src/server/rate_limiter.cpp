#include "server/rate_limiter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace lbrec::server {

RateLimiter::RateLimiter(const core::Clock& clock, std::size_t max_keys)
    : clock_(clock), max_keys_(std::max<std::size_t>(2, max_keys)) {}

std::size_t RateLimiter::keys() const {
  std::lock_guard lock(mutex_);
  return windows_.size();
}

void RateLimiter::make_room(core::Clock::Steady::time_point now) {
  std::erase_if(windows_,
                [&](const auto& kv) { return now - kv.second.opened >= kv.second.period; });
  if (windows_.size() < max_keys_) return;
  std::vector<core::Clock::Steady::time_point> opened;
  opened.reserve(windows_.size());
  for (const auto& [key, w] : windows_)
    opened.push_back(w.opened);
  auto middle = opened.begin() + static_cast<std::ptrdiff_t>(opened.size() / 2);
  std::nth_element(opened.begin(), middle, opened.end());
  const auto cutoff = *middle;
  std::erase_if(windows_, [&](const auto& kv) { return kv.second.opened <= cutoff; });
}

RateDecision RateLimiter::hit(std::string_view route, std::string_view client,
                              const RateLimit& limit) {
  const auto now = clock_.now();
  std::string key;
  key.reserve(route.size() + client.size() + 1);
  key.append(route).push_back('|');
  key.append(client);
  std::lock_guard lock(mutex_);
  auto it = windows_.find(key);
  if (it != windows_.end() && now - it->second.opened >= it->second.period) {
    windows_.erase(it);
    it = windows_.end();
  }
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) make_room(now);
    it = windows_.emplace(std::move(key), Window{now, limit.period, 0}).first;
  }
  Window& w = it->second;
  if (w.used >= limit.count) {
    const auto left = w.period - (now - w.opened);
    const auto secs = std::chrono::ceil<std::chrono::seconds>(left);
    return RateDecision{false, 0, std::max(std::chrono::seconds(1), secs)};
  }
  ++w.used;
  return RateDecision{true, limit.count - w.used, std::chrono::seconds(0)};
}

}  // namespace lbrec::server
