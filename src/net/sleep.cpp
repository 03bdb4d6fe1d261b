#include "net/sleep.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lbrec::net {

SleepFn timer_sleep() {
  return [](std::chrono::nanoseconds duration) -> boost::asio::awaitable<void> {
    if (duration.count() <= 0) co_return;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, duration);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  };
}

}  // namespace lbrec::net
