#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>

#include "net/sleep.hpp"
#include "net/token_bucket.hpp"

namespace lbrec::net {

// Paces one upstream across every instance of the service (a token bucket kept in Redis), so N
// instances together stay under the upstream's limit. reserve() answers the wait before the next
// request may go, or nullopt when the shared store cannot answer (the local bucket paces then).
class SharedPacer {
 public:
  virtual ~SharedPacer() = default;
  virtual boost::asio::awaitable<std::optional<std::chrono::nanoseconds>> reserve() = 0;
  // The upstream said 429: nobody, in any instance, sends before `wait` from now.
  virtual void hold_off(std::chrono::nanoseconds wait) = 0;
};

// Governs outbound pressure on one upstream: at most `max_concurrent` requests in flight, in FIFO
// order, each one paced by the token bucket (when there is one). Used from the I/O executor only:
// its state is not locked.
class HostGate {
 public:
  // While held, one request slot is taken; destroying it frees the slot for the next waiter.
  class Permit {
   public:
    Permit() = default;
    explicit Permit(std::shared_ptr<HostGate*> gate) : gate_(std::move(gate)) {}
    Permit(Permit&& other) noexcept = default;
    Permit& operator=(Permit&& other) noexcept;
    ~Permit();

   private:
    std::shared_ptr<HostGate*> gate_;
  };

  HostGate(int max_concurrent, std::shared_ptr<TokenBucket> bucket, SleepFn sleep);
  ~HostGate();

  boost::asio::awaitable<Permit> acquire();
  // Delays every later request's token by `wait` (a 429 from this host); no-op without a bucket.
  void hold_off(std::chrono::nanoseconds wait);
  // Paces through `pacer` (which must outlive the gate) when it answers, else through the local
  // bucket. Null: local only.
  void share(SharedPacer* pacer) { pacer_ = pacer; }
  int in_flight() const { return in_use_; }
  std::size_t waiting() const { return waiters_.size(); }

 private:
  void release();

  int max_concurrent_;
  std::shared_ptr<TokenBucket> bucket_;
  SharedPacer* pacer_ = nullptr;
  SleepFn sleep_;
  int in_use_ = 0;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;
  std::shared_ptr<HostGate*> self_;  // lets permits outlive the gate safely
};

}  // namespace lbrec::net
