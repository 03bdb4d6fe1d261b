#pragma once

#include <atomic>
#include <chrono>

namespace lbrec::core {

// Every time dependency goes through a Clock so breakers, buckets and TTLs can be tested with a
// FakeClock and no sleeps.
class Clock {
 public:
  using Steady = std::chrono::steady_clock;
  using System = std::chrono::system_clock;

  virtual ~Clock() = default;
  // Monotonic time, for intervals and deadlines.
  virtual Steady::time_point now() const = 0;
  // Wall-clock time, for timestamps shown to people and stored in caches.
  virtual System::time_point wall_now() const = 0;
};

class RealClock final : public Clock {
 public:
  Steady::time_point now() const override { return Steady::now(); }
  System::time_point wall_now() const override { return System::now(); }

  // The process-wide real clock.
  static const RealClock& instance();
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(System::time_point wall_start = System::time_point{} +
                                                     std::chrono::hours(24 * 365 * 56))
      : wall_start_(wall_start) {}

  Steady::time_point now() const override { return Steady::time_point{} + elapsed(); }
  System::time_point wall_now() const override {
    return wall_start_ + std::chrono::duration_cast<System::duration>(elapsed());
  }
  void advance(std::chrono::nanoseconds by) { elapsed_ns_ += by.count(); }

 private:
  std::chrono::nanoseconds elapsed() const { return std::chrono::nanoseconds(elapsed_ns_.load()); }

  System::time_point wall_start_;
  std::atomic<std::int64_t> elapsed_ns_{0};
};

}  // namespace lbrec::core
