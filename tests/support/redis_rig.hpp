#pragma once

// A gtest fixture base for code that talks to a real redis-server (tests/support/redis_server.hpp):
// clients on the test's io_context that reconnect quickly, and run(), which drives the io_context
// until one awaitable finishes and fails the step instead of hanging.

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/redis_client.hpp"
#include "support/redis_server.hpp"

namespace lbrec::testing {

class RedisRig : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RedisServer::available()) GTEST_SKIP() << "redis-server is not installed";
  }

  // Quick to reconnect, so tests about reconnection stay short.
  static store::RedisClientOptions fast() {
    store::RedisClientOptions o;
    o.connect_timeout = std::chrono::milliseconds(500);
    o.reconnect_initial = std::chrono::milliseconds(20);
    o.reconnect_max = std::chrono::milliseconds(200);
    return o;
  }

  std::unique_ptr<store::RedisClient> client(const std::string& url,
                                             store::RedisClientOptions o = fast()) {
    auto parsed = store::parse_redis_url(url);
    if (!parsed) throw std::runtime_error(parsed.error().message);
    return std::make_unique<store::RedisClient>(io.get_executor(), *parsed, o);
  }

  // Runs `work` on the test's io_context until it finishes; throws (failing the test) after
  // `limit`, so no test can hang.
  template <typename T>
  T run(boost::asio::awaitable<T> work, std::chrono::seconds limit = std::chrono::seconds(20)) {
    auto future = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("test step timed out");
      if (io.stopped()) io.restart();  // it stops whenever it runs out of work
      io.run_one_for(std::chrono::milliseconds(20));
    }
    return future.get();
  }

  void connect(store::RedisClient& c) {
    ASSERT_TRUE(run(c.wait_connected(std::chrono::milliseconds(5000))));
  }

  boost::asio::io_context io;
};

}  // namespace lbrec::testing
