#include "store/cache.hpp"

#include <algorithm>

namespace lbrec::store {

namespace asio = boost::asio;

std::string_view key_space(std::string_view key) {
  std::string_view space = key.substr(0, std::min(key.find(':'), key.size()));
  return space.size() > 32 ? std::string_view("other") : space;
}

asio::awaitable<std::optional<CacheEntry>> Cache::get_or_compute(std::string key, Compute compute) {
  if (auto hit = co_await get(key)) co_return hit;
  std::function<asio::awaitable<std::optional<CacheEntry>>()> work = [this, key, compute] {
    return compute_and_store(key, compute);
  };
  co_return co_await flights_.run(std::move(key), std::move(work));
}

asio::awaitable<std::optional<CacheEntry>> Cache::compute_and_store(std::string key,
                                                                    Compute compute) {
  std::optional<Computed> computed = co_await compute();
  if (!computed) co_return std::nullopt;
  const auto now = clock_.wall_now();
  CacheEntry entry{computed->value, now,
                   now + std::chrono::duration_cast<core::Clock::System::duration>(computed->ttl)};
  co_await put(std::move(key), std::move(computed->value), computed->ttl);
  co_return entry;
}

}  // namespace lbrec::store
