#include "server/redis_rate_limiter.hpp"

#include <algorithm>

namespace lbrec::server {

namespace asio = boost::asio;

RedisRateLimiter::RedisRateLimiter(store::RedisClient& redis, std::string prefix)
    : redis_(redis), prefix_(std::move(prefix)) {}

asio::awaitable<std::optional<RateDecision>> RedisRateLimiter::hit(std::string route,
                                                                   std::string client,
                                                                   RateLimit limit) {
  if (!redis_.connected()) co_return std::nullopt;
  const std::int64_t period_ms =
      std::max<std::int64_t>(1, std::chrono::milliseconds(limit.period).count());
  const std::string key =
      prefix_ + route + '|' + std::to_string(period_ms) + '|' + client.substr(0, 200);
  // NX: only the request that opened the window sets its end.
  std::vector<std::vector<std::string>> commands(3);
  commands[0] = {std::string("INCR"), key};
  commands[1] = {std::string("PEXPIRE"), key, std::to_string(period_ms), std::string("NX")};
  commands[2] = {std::string("PTTL"), key};
  auto replies = co_await redis_.pipeline(std::move(commands));
  if (!replies || replies->size() != 3) co_return std::nullopt;
  const auto& used = (*replies)[0];
  const auto& pttl = (*replies)[2];
  if (used.type != store::RedisReply::Type::kInteger ||
      pttl.type != store::RedisReply::Type::kInteger) {
    co_return std::nullopt;
  }
  RateDecision d;
  d.allowed = used.integer <= limit.count;
  d.remaining = static_cast<int>(std::max<std::int64_t>(0, limit.count - used.integer));
  const std::int64_t left_ms = pttl.integer > 0 ? pttl.integer : period_ms;
  d.retry_after = std::chrono::seconds((left_ms + 999) / 1000);
  co_return d;
}

}  // namespace lbrec::server
