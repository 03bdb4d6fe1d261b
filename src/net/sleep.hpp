#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>

namespace lbrec::net {

// Waiting, as a value: production code sleeps on an Asio timer, tests pass a function that
// advances a FakeClock and returns at once, so backoff and pacing are checked without sleeping.
using SleepFn = std::function<boost::asio::awaitable<void>(std::chrono::nanoseconds)>;

// Sleeps on a steady timer of the calling coroutine's executor.
SleepFn timer_sleep();

}  // namespace lbrec::net
