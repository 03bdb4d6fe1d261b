#include "app/redis_pacer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cmath>

namespace lbrec::app {

namespace asio = boost::asio;

namespace {

// KEYS[1]: the bucket. ARGV: interval and burst span in microseconds. Returns the wait in
// microseconds before the caller's request may go, and books that slot.
constexpr const char* kReserve = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local span = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local start = tat - span + interval
if start < now then start = now end
local next_tat = tat + interval
redis.call('SET', KEYS[1], next_tat, 'PX', math.ceil((next_tat - now) / 1000) + 1000)
return start - now
)lua";

// KEYS[1]: the bucket. ARGV: the hold in microseconds and the burst span. No token before the
// hold ends; the burst is spent.
constexpr const char* kHoldOff = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local until_tat = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if until_tat > tat then
  redis.call('SET', KEYS[1], until_tat, 'PX', math.ceil((until_tat - now) / 1000) + 1000)
end
return 0
)lua";

asio::awaitable<void> send_hold(store::RedisClient* redis, std::vector<std::string> argv) {
  co_await redis->command(std::move(argv));
}

}  // namespace

RedisPacer::RedisPacer(store::RedisClient& redis, asio::any_io_executor executor, std::string key,
                       double rate_per_second, double burst)
    : redis_(redis),
      executor_(std::move(executor)),
      key_(std::move(key)),
      interval_us_(static_cast<std::int64_t>(std::llround(1e6 / std::max(rate_per_second, 1e-6)))),
      burst_span_us_(interval_us_ * static_cast<std::int64_t>(std::max(1.0, std::floor(burst)))) {}

asio::awaitable<std::optional<std::chrono::nanoseconds>> RedisPacer::reserve() {
  if (!redis_.connected()) co_return std::nullopt;
  std::vector<std::string> argv;
  argv.emplace_back("EVAL");
  argv.emplace_back(kReserve);
  argv.emplace_back("1");
  argv.push_back(key_);
  argv.push_back(std::to_string(interval_us_));
  argv.push_back(std::to_string(burst_span_us_));
  auto reply = co_await redis_.command(std::move(argv));
  if (!reply || reply->type != store::RedisReply::Type::kInteger) co_return std::nullopt;
  co_return std::chrono::microseconds(std::max<std::int64_t>(0, reply->integer));
}

void RedisPacer::hold_off(std::chrono::nanoseconds wait) {
  if (!redis_.connected()) return;
  std::vector<std::string> argv;
  argv.emplace_back("EVAL");
  argv.emplace_back(kHoldOff);
  argv.emplace_back("1");
  argv.push_back(key_);
  argv.push_back(
      std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(wait).count()));
  argv.push_back(std::to_string(burst_span_us_ - interval_us_));
  asio::co_spawn(executor_, send_hold(&redis_, std::move(argv)), asio::detached);
}

}  // namespace lbrec::app
