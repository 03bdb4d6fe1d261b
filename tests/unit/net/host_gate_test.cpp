#include "net/host_gate.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <vector>

namespace lbrec::net {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// A shared pacer that answers from a script (nullopt: "Redis cannot answer").
class ScriptedPacer final : public SharedPacer {
 public:
  std::vector<std::optional<nanoseconds>> answers;
  std::vector<nanoseconds> holds;
  asio::awaitable<std::optional<nanoseconds>> reserve() override {
    std::optional<nanoseconds> a = answers.empty() ? std::nullopt : answers.front();
    if (!answers.empty()) answers.erase(answers.begin());
    co_return a;
  }
  void hold_off(nanoseconds wait) override { holds.push_back(wait); }
};

struct Rig {
  asio::io_context io;
  core::FakeClock clock;
  std::vector<nanoseconds> slept;
  SleepFn sleep = [this](nanoseconds d) -> asio::awaitable<void> {
    slept.push_back(d);
    clock.advance(d);
    co_return;
  };
  void acquire(HostGate& gate) {
    auto f = asio::co_spawn(io, gate.acquire(), asio::use_future);
    io.restart();
    io.run();
    f.get();
  }
};

TEST(HostGate, ASharedPacerDecidesWhenItAnswersAndTheLocalBucketWhenItCannot) {
  Rig rig;
  auto bucket = std::make_shared<TokenBucket>(10.0, 1.0, rig.clock);  // 100 ms apart locally
  HostGate gate(4, bucket, rig.sleep);
  ScriptedPacer pacer;
  gate.share(&pacer);
  pacer.answers = {nanoseconds(0), milliseconds(250), std::nullopt, std::nullopt};
  for (int i = 0; i < 4; ++i)
    rig.acquire(gate);
  // Shared: no wait, then 250 ms (another instance spent the tokens); Redis away: the local
  // bucket paces, its first token free and the next one 100 ms later.
  ASSERT_EQ(rig.slept.size(), 2u);
  EXPECT_EQ(rig.slept[0], milliseconds(250));
  EXPECT_EQ(rig.slept[1], milliseconds(100));
  gate.hold_off(milliseconds(700));  // a 429: every instance hears of it
  ASSERT_EQ(pacer.holds.size(), 1u);
  EXPECT_EQ(pacer.holds[0], milliseconds(700));
}

}  // namespace
}  // namespace lbrec::net
