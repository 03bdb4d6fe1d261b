#include "store/memory_cache.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <stdexcept>

#include "store/single_flight.hpp"

namespace lbrec::store {
namespace {

using std::chrono::seconds;

TEST(MemoryCache, StoresAndExpires) {
  core::FakeClock clock;
  MemoryCache cache(10, clock);
  cache.put("profile:demo", "v1", seconds(60));
  auto e = cache.get("profile:demo");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->value, "v1");
  clock.advance(seconds(30));
  ASSERT_TRUE(cache.get("profile:demo").has_value());
  EXPECT_EQ(cache.get("profile:demo")->age(clock), seconds(30));
  clock.advance(seconds(30));
  EXPECT_FALSE(cache.get("profile:demo").has_value());
  EXPECT_EQ(cache.size(), 0u);  // the expired entry was dropped
  EXPECT_FALSE(cache.get("other").has_value());
}

TEST(MemoryCache, OverwriteRestartsTheClock) {
  core::FakeClock clock;
  MemoryCache cache(10, clock);
  cache.put("k", "old", seconds(10));
  clock.advance(seconds(9));
  cache.put("k", "new", seconds(10));
  clock.advance(seconds(9));
  ASSERT_TRUE(cache.get("k").has_value());
  EXPECT_EQ(cache.get("k")->value, "new");
  EXPECT_EQ(cache.size(), 1u);
}

TEST(MemoryCache, EvictsTheLeastRecentlyUsed) {
  core::FakeClock clock;
  MemoryCache cache(3, clock);
  cache.put("a", "1", seconds(60));
  cache.put("b", "2", seconds(60));
  cache.put("c", "3", seconds(60));
  ASSERT_TRUE(cache.get("a").has_value());  // a is now the most recent
  cache.put("d", "4", seconds(60));         // evicts b
  EXPECT_TRUE(cache.get("a").has_value());
  EXPECT_FALSE(cache.get("b").has_value());
  EXPECT_TRUE(cache.get("c").has_value());
  EXPECT_TRUE(cache.get("d").has_value());
  EXPECT_EQ(cache.size(), 3u);
  cache.erase("c");
  EXPECT_FALSE(cache.get("c").has_value());
  EXPECT_EQ(cache.size(), 2u);
}

TEST(SingleFlight, ConcurrentCallersShareOneRun) {
  boost::asio::io_context io;
  SingleFlight<int> flights;
  int executions = 0;
  std::vector<int> results;
  auto work = [&]() -> boost::asio::awaitable<int> {
    ++executions;
    boost::asio::steady_timer t(io, std::chrono::milliseconds(20));
    co_await t.async_wait(boost::asio::use_awaitable);
    co_return 42;
  };
  for (int i = 0; i < 5; ++i) {
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          results.push_back(co_await flights.run("key", work));
        },
        boost::asio::detached);
  }
  io.run();
  EXPECT_EQ(executions, 1);
  EXPECT_EQ(results, std::vector<int>(5, 42));
  EXPECT_EQ(flights.in_flight(), 0u);
  // A later call runs again: results are not cached by the flight itself.
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        results.push_back(co_await flights.run("key", work));
      },
      boost::asio::detached);
  io.restart();
  io.run();
  EXPECT_EQ(executions, 2);
  EXPECT_EQ(flights.runs(), 2u);
}

TEST(SingleFlight, FailuresReachEveryWaiter) {
  boost::asio::io_context io;
  SingleFlight<int> flights;
  int failures = 0;
  auto work = [&]() -> boost::asio::awaitable<int> {
    boost::asio::steady_timer t(io, std::chrono::milliseconds(10));
    co_await t.async_wait(boost::asio::use_awaitable);
    throw std::runtime_error("boom");
  };
  for (int i = 0; i < 3; ++i) {
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          try {
            co_await flights.run("key", work);
          } catch (const std::runtime_error&) {
            ++failures;
          }
        },
        boost::asio::detached);
  }
  io.run();
  EXPECT_EQ(failures, 3);
  EXPECT_EQ(flights.runs(), 1u);
}

}  // namespace
}  // namespace lbrec::store
