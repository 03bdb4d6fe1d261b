#pragma once

// Scaffolding shared by the integration tests: a fake world served on loopback for the whole test
// process, a coroutine runner, and retry contexts whose sleeps advance a FakeClock (recorded, not
// slept).

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "core/clock.hpp"
#include "fakeworld/fake_world_server.hpp"
#include "net/fetch_with_retry.hpp"

namespace lbrec::testing {

// Starts a fake world server on 127.0.0.1 (any free port) for a test suite.
inline std::unique_ptr<fakeworld::FakeWorldServer> start_world(
    const fakeworld::WorldOptions& options) {
  auto server = std::make_unique<fakeworld::FakeWorldServer>(fakeworld::World::generate(options));
  const auto started = server->start("127.0.0.1", 0);
  EXPECT_TRUE(started.has_value()) << (started ? "" : started.error().message);
  return server;
}

// Runs one coroutine on `io` to completion and returns its value.
template <typename T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  auto future = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

// A SleepFn that advances `clock` instead of sleeping, recording each wait in `slept`.
inline net::SleepFn fake_sleep(core::FakeClock& clock,
                               std::vector<std::chrono::nanoseconds>* slept = nullptr) {
  return [&clock, slept](std::chrono::nanoseconds d) -> boost::asio::awaitable<void> {
    if (slept != nullptr) slept->push_back(d);
    clock.advance(d);
    co_return;
  };
}

// A retry context on a fake clock with a fixed jitter draw.
inline net::RetryContext fake_retry_context(net::HttpClient& client, net::HostGate& gate,
                                            net::RetryPolicy policy, core::FakeClock& clock,
                                            std::vector<std::chrono::nanoseconds>* slept = nullptr,
                                            double jitter = 0.5) {
  return net::RetryContext{
      client, gate, policy, fake_sleep(clock, slept), clock, [jitter] { return jitter; }};
}

}  // namespace lbrec::testing
