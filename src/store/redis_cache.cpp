#include "store/redis_cache.hpp"

#include <algorithm>
#include <charconv>

namespace lbrec::store {

namespace asio = boost::asio;
using std::chrono::milliseconds;

std::string encode_redis_entry(core::Clock::System::time_point stored_at, std::string_view value) {
  const auto ms = std::chrono::duration_cast<milliseconds>(stored_at.time_since_epoch()).count();
  std::string out = std::to_string(ms);
  out += ' ';
  out += value;
  return out;
}

std::optional<std::pair<core::Clock::System::time_point, std::string>> decode_redis_entry(
    std::string_view stored) {
  const auto space = stored.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  std::int64_t ms = 0;
  const auto [end, ec] = std::from_chars(stored.data(), stored.data() + space, ms);
  if (ec != std::errc() || end != stored.data() + space || ms < 0) return std::nullopt;
  return std::pair{core::Clock::System::time_point(
                       std::chrono::duration_cast<core::Clock::System::duration>(milliseconds(ms))),
                   std::string(stored.substr(space + 1))};
}

RedisCache::RedisCache(RedisClient& redis, const core::Clock& clock, std::string prefix)
    : Cache(clock), redis_(redis), prefix_(std::move(prefix)) {}

asio::awaitable<std::optional<CacheEntry>> RedisCache::get(std::string key) {
  if (!redis_.connected()) co_return std::nullopt;
  // One round trip for the value and its remaining time to live.
  std::vector<std::vector<std::string>> commands(2);
  commands[0] = {std::string("GET"), prefix_ + key};
  commands[1] = {std::string("PTTL"), prefix_ + key};
  auto replies = co_await redis_.pipeline(std::move(commands));
  if (!replies || replies->size() != 2 || (*replies)[0].is_error()) {
    ++failures_;
    co_return std::nullopt;
  }
  const RedisReply& value = (*replies)[0];
  const RedisReply& pttl = (*replies)[1];
  if (value.type != RedisReply::Type::kString || pttl.type != RedisReply::Type::kInteger ||
      pttl.integer <= 0) {
    co_return std::nullopt;
  }
  auto decoded = decode_redis_entry(value.str);
  if (!decoded) co_return std::nullopt;
  const auto now = clock().wall_now();
  CacheEntry entry;
  entry.value = std::move(decoded->second);
  entry.stored_at = decoded->first;
  entry.expires_at =
      now + std::chrono::duration_cast<core::Clock::System::duration>(milliseconds(pttl.integer));
  co_return entry;
}

asio::awaitable<void> RedisCache::put(std::string key, std::string value,
                                      std::chrono::nanoseconds ttl) {
  if (!redis_.connected()) co_return;
  const auto ms = std::max<std::int64_t>(1, std::chrono::ceil<milliseconds>(ttl).count());
  std::vector<std::string> argv;
  argv.emplace_back("SET");
  argv.push_back(prefix_ + key);
  argv.push_back(encode_redis_entry(clock().wall_now(), value));
  argv.emplace_back("PX");
  argv.push_back(std::to_string(ms));
  auto reply = co_await redis_.command(std::move(argv));
  if (!reply || reply->is_error()) ++failures_;
}

asio::awaitable<void> RedisCache::erase(std::string key) {
  if (!redis_.connected()) co_return;
  std::vector<std::string> argv;
  argv.emplace_back("DEL");
  argv.push_back(prefix_ + key);
  auto reply = co_await redis_.command(std::move(argv));
  if (!reply || reply->is_error()) ++failures_;
}

}  // namespace lbrec::store
