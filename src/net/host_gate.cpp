#include "net/host_gate.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lbrec::net {

namespace asio = boost::asio;

HostGate::HostGate(int max_concurrent, std::shared_ptr<TokenBucket> bucket, SleepFn sleep)
    : max_concurrent_(std::max(1, max_concurrent)),
      bucket_(std::move(bucket)),
      sleep_(std::move(sleep)),
      self_(std::make_shared<HostGate*>(this)) {}

HostGate::~HostGate() {
  *self_ = nullptr;
  for (auto& w : waiters_)
    w->cancel();
}

HostGate::Permit& HostGate::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    if (gate_ && *gate_) (*gate_)->release();
    gate_ = std::move(other.gate_);
  }
  return *this;
}

HostGate::Permit::~Permit() {
  if (gate_ && *gate_) (*gate_)->release();
}

void HostGate::release() {
  if (!waiters_.empty()) {
    // Hand the slot straight to the longest waiter: in_use_ stays the same.
    auto next = std::move(waiters_.front());
    waiters_.pop_front();
    next->cancel();
    return;
  }
  --in_use_;
}

asio::awaitable<HostGate::Permit> HostGate::acquire() {
  if (in_use_ < max_concurrent_ && waiters_.empty()) {
    ++in_use_;
  } else {
    const auto executor = co_await asio::this_coro::executor;
    auto timer =
        std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
    waiters_.push_back(timer);
    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));  // woken by release()
  }
  Permit permit(self_);
  std::optional<std::chrono::nanoseconds> wait;
  if (pacer_) wait = co_await pacer_->reserve();
  if (!wait && bucket_) wait = bucket_->reserve();
  if (wait && wait->count() > 0) co_await sleep_(*wait);
  co_return permit;
}

void HostGate::hold_off(std::chrono::nanoseconds wait) {
  if (wait.count() <= 0) return;
  if (bucket_) bucket_->hold_off(wait);
  if (pacer_) pacer_->hold_off(wait);
}

}  // namespace lbrec::net
