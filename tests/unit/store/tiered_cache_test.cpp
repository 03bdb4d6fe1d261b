#include "store/tiered_cache.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <stdexcept>

#include "store/redis_cache.hpp"

namespace lbrec::store {
namespace {

namespace asio = boost::asio;
using std::chrono::seconds;

template <typename T>
T run(asio::io_context& io, asio::awaitable<T> task) {
  auto future = asio::co_spawn(io, std::move(task), asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

// A second level that counts its calls (a memory-only TieredCache stands in for SQLite/Redis).
class CountingLevel final : public Cache {
 public:
  explicit CountingLevel(const core::Clock& clock) : Cache(clock), inner_(100, clock) {}
  asio::awaitable<std::optional<CacheEntry>> get(std::string key) override {
    ++gets;
    co_return co_await inner_.get(std::move(key));
  }
  asio::awaitable<void> put(std::string key, std::string value,
                            std::chrono::nanoseconds ttl) override {
    ++puts;
    co_await inner_.put(std::move(key), std::move(value), ttl);
  }
  asio::awaitable<void> erase(std::string key) override { co_await inner_.erase(std::move(key)); }
  int gets = 0;
  int puts = 0;

 private:
  TieredCache inner_;
};

TEST(TieredCache, MemoryOnlyStoresExpiresAndErases) {
  asio::io_context io;
  core::FakeClock clock;
  TieredCache cache(10, clock);
  EXPECT_FALSE(cache.has_second());
  run(io, cache.put("tmdb:details:1", "v", seconds(60)));
  auto hit = run(io, cache.get("tmdb:details:1"));
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->value, "v");
  clock.advance(seconds(61));
  EXPECT_FALSE(run(io, cache.get("tmdb:details:1")).has_value());
  run(io, cache.put("profile:a", "p", seconds(60)));
  run(io, cache.erase("profile:a"));
  EXPECT_FALSE(run(io, cache.get("profile:a")).has_value());
}

TEST(TieredCache, ARestartedProcessReadsTheSecondLevelWithTheEntrysOwnAge) {
  asio::io_context io;
  core::FakeClock clock;
  CountingLevel shared(clock);
  {
    TieredCache before(10, clock, &shared, "test");
    run(io, before.put("profile:ann", "snapshot", seconds(600)));
  }
  EXPECT_EQ(shared.puts, 1);
  clock.advance(seconds(100));
  TieredCache after(10, clock, &shared, "test");  // empty memory, as after a restart
  auto hit = run(io, after.get("profile:ann"));
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->value, "snapshot");
  EXPECT_EQ(hit->age(clock), seconds(100));  // freshness rules still see the real age
  EXPECT_EQ(shared.gets, 1);
  // Copied into memory: the next read does not reach the second level, and keeps the expiry.
  ASSERT_TRUE(run(io, after.get("profile:ann")).has_value());
  EXPECT_EQ(shared.gets, 1);
  clock.advance(seconds(501));
  EXPECT_FALSE(run(io, after.get("profile:ann")).has_value());

  const auto counts = after.counts();
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].space, "profile");
  EXPECT_EQ(counts[0].memory_hits, 1u);
  EXPECT_EQ(counts[0].second_hits, 1u);
  EXPECT_EQ(counts[0].misses, 1u);  // the read after expiry
}

TEST(TieredCache, EraseReachesBothLevels) {
  asio::io_context io;
  core::FakeClock clock;
  CountingLevel shared(clock);
  TieredCache cache(10, clock, &shared, "test");
  run(io, cache.put("k:1", "v", seconds(60)));
  run(io, cache.erase("k:1"));
  EXPECT_FALSE(run(io, cache.get("k:1")).has_value());
  EXPECT_FALSE(run(io, shared.get("k:1")).has_value());
}

TEST(CacheGetOrCompute, OverlappingMissesComputeOnceAndShareTheValue) {
  asio::io_context io;
  core::FakeClock clock;
  TieredCache cache(10, clock);
  int computed = 0;
  std::vector<std::string> seen;
  Cache::Compute compute = [&]() -> asio::awaitable<std::optional<Computed>> {
    ++computed;
    asio::steady_timer t(io, std::chrono::milliseconds(20));
    co_await t.async_wait(asio::use_awaitable);
    co_return Computed{"answer", seconds(60)};
  };
  for (int i = 0; i < 4; ++i) {
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          auto e = co_await cache.get_or_compute("streaming:1:US", compute);
          seen.push_back(e ? e->value : "-");
        },
        asio::detached);
  }
  io.run();
  EXPECT_EQ(computed, 1);
  EXPECT_EQ(seen, std::vector<std::string>(4, "answer"));
  EXPECT_EQ(cache.computations(), 1u);
  // Stored: a later call is a plain hit.
  auto again = run(io, cache.get_or_compute("streaming:1:US", compute));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(computed, 1);
}

TEST(CacheGetOrCompute, NothingToKeepIsNotStoredAndFailuresReachTheCaller) {
  asio::io_context io;
  core::FakeClock clock;
  TieredCache cache(10, clock);
  int computed = 0;
  Cache::Compute nothing = [&]() -> asio::awaitable<std::optional<Computed>> {
    ++computed;
    co_return std::nullopt;
  };
  EXPECT_FALSE(run(io, cache.get_or_compute("k:1", nothing)).has_value());
  EXPECT_FALSE(run(io, cache.get_or_compute("k:1", nothing)).has_value());
  EXPECT_EQ(computed, 2);  // a failure is asked again next time
  Cache::Compute boom = []() -> asio::awaitable<std::optional<Computed>> {
    throw std::runtime_error("upstream exploded");
    co_return std::nullopt;
  };
  EXPECT_THROW(run(io, cache.get_or_compute("k:2", boom)), std::runtime_error);
  EXPECT_FALSE(run(io, cache.get("k:2")).has_value());
}

TEST(RedisCacheEntry, KeepsTheStoreTimeAndAnyBytes) {
  const core::Clock::System::time_point at{std::chrono::milliseconds(1'700'000'000'123)};
  const std::string value("a b\0\xff\n c", 9);
  const auto decoded = decode_redis_entry(encode_redis_entry(at, value));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->first, at);
  EXPECT_EQ(decoded->second, value);
  EXPECT_FALSE(decode_redis_entry("").has_value());
  EXPECT_FALSE(decode_redis_entry("12x3 v").has_value());
  EXPECT_FALSE(decode_redis_entry(" v").has_value());
  EXPECT_FALSE(decode_redis_entry("-5 v").has_value());
  EXPECT_TRUE(decode_redis_entry("5 ").has_value());  // an empty value is a value
}

}  // namespace
}  // namespace lbrec::store
