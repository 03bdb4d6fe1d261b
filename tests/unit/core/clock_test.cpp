#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace lbrec::core {
namespace {

using namespace std::chrono_literals;

TEST(FakeClock, StartsFixedAndDoesNotMoveOnItsOwn) {
  const FakeClock clock;
  const auto t0 = clock.now();
  const auto w0 = clock.wall_now();
  std::this_thread::sleep_for(2ms);
  EXPECT_EQ(clock.now(), t0);
  EXPECT_EQ(clock.wall_now(), w0);
}

TEST(FakeClock, DefaultWallStartIsAPlausibleModernDate) {
  const FakeClock clock;
  const auto years =
      std::chrono::duration_cast<std::chrono::hours>(clock.wall_now().time_since_epoch()).count() /
      (24 * 365);
  EXPECT_GE(years, 50);  // 2020 or later: not the epoch
  EXPECT_LE(years, 80);
}

TEST(FakeClock, CustomWallStart) {
  const auto start = Clock::System::time_point{} + 1'000'000s;
  const FakeClock clock(start);
  EXPECT_EQ(clock.wall_now(), start);
}

TEST(FakeClock, AdvanceMovesBothClocksByTheSameAmount) {
  FakeClock clock;
  const auto t0 = clock.now();
  const auto w0 = clock.wall_now();
  clock.advance(1500ms);
  EXPECT_EQ(clock.now() - t0, 1500ms);
  EXPECT_EQ(clock.wall_now() - w0, 1500ms);
  clock.advance(3min);
  EXPECT_EQ(clock.now() - t0, 3min + 1500ms);
  EXPECT_EQ(clock.wall_now() - w0, 3min + 1500ms);
}

TEST(FakeClock, AdvanceIsExactForSmallSteps) {
  FakeClock clock;
  const auto t0 = clock.now();
  for (int i = 0; i < 1000; ++i)
    clock.advance(1us);
  EXPECT_EQ(clock.now() - t0, 1ms);
  clock.advance(0ns);
  EXPECT_EQ(clock.now() - t0, 1ms);
}

TEST(FakeClock, UsableThroughTheClockInterface) {
  FakeClock fake;
  const Clock& clock = fake;
  const auto before = clock.now();
  fake.advance(10s);
  EXPECT_EQ(clock.now() - before, 10s);
}

TEST(FakeClock, ConcurrentAdvancesAreAllCounted) {
  FakeClock clock;
  const auto t0 = clock.now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&clock] {
      for (int i = 0; i < 1000; ++i)
        clock.advance(1ms);
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(clock.now() - t0, 4s);
}

TEST(RealClock, IsMonotonic) {
  const Clock& clock = RealClock::instance();
  auto previous = clock.now();
  for (int i = 0; i < 1000; ++i) {
    const auto current = clock.now();
    EXPECT_GE(current, previous);
    previous = current;
  }
}

TEST(RealClock, AdvancesWithRealTime) {
  const Clock& clock = RealClock::instance();
  const auto t0 = clock.now();
  std::this_thread::sleep_for(5ms);
  EXPECT_GE(clock.now() - t0, 5ms);
}

TEST(RealClock, WallTimeIsTheSystemClock) {
  const Clock& clock = RealClock::instance();
  const auto before = Clock::System::now();
  const auto wall = clock.wall_now();
  const auto after = Clock::System::now();
  EXPECT_LE(before, wall);
  EXPECT_LE(wall, after);
}

TEST(RealClock, InstanceIsASingleton) {
  EXPECT_EQ(&RealClock::instance(), &RealClock::instance());
}

}  // namespace
}  // namespace lbrec::core
