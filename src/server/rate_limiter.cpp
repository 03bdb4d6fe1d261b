#include "server/rate_limiter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/strings.hpp"

namespace lbrec::server {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

bool read_int(std::string_view s, long long& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

core::Error invalid(std::string_view text) {
  return core::Error{core::ErrorCode::kInvalidInput,
                     fmt::format("invalid rate limit '{}': expected N/second|minute|hour|day, "
                                 "e.g. 5/minute",
                                 text),
                     false};
}

}  // namespace

core::Result<RateLimit> parse_rate_limit(std::string_view text) {
  std::string_view s = trim(text);
  std::size_t cut = s.find('/');
  std::size_t skip = 1;
  if (cut == std::string_view::npos) {
    cut = s.find(" per ");
    skip = 5;
  }
  if (cut == std::string_view::npos) return tl::unexpected(invalid(text));
  long long count = 0;
  if (!read_int(trim(s.substr(0, cut)), count) || count <= 0 || count > 1'000'000'000) {
    return tl::unexpected(invalid(text));
  }
  std::string_view rest = trim(s.substr(cut + skip));
  long long multiple = 1;
  if (const std::size_t space = rest.find(' '); space != std::string_view::npos) {
    if (!read_int(rest.substr(0, space), multiple) || multiple <= 0 || multiple > 1'000'000) {
      return tl::unexpected(invalid(text));
    }
    rest = trim(rest.substr(space + 1));
  }
  const std::string unit = core::to_lower_ascii(rest);
  long long seconds = 0;
  for (const auto& [name, length] : std::initializer_list<std::pair<std::string_view, long long>>{
           {"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}}) {
    if (unit == name ||
        (unit.size() == name.size() + 1 && unit.starts_with(name) && unit.back() == 's')) {
      seconds = length;
    }
  }
  if (seconds == 0) return tl::unexpected(invalid(text));
  return RateLimit{static_cast<int>(count), std::chrono::seconds(seconds * multiple)};
}

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
