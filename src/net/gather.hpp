#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <vector>

namespace lbrec::net {

// Runs every task concurrently on the caller's executor and returns their results in the order
// given, once all have finished. Pacing and limits belong to the tasks (a HostGate), not here.
// If a task throws, the first exception is rethrown after the others finish. For the I/O
// executor: the bookkeeping is not locked.
template <typename T>
boost::asio::awaitable<std::vector<T>> gather(std::vector<boost::asio::awaitable<T>> tasks) {
  namespace asio = boost::asio;
  const auto executor = co_await asio::this_coro::executor;
  std::vector<std::optional<T>> results(tasks.size());
  std::exception_ptr failure;
  std::size_t remaining = tasks.size();
  asio::steady_timer all_done(executor, asio::steady_timer::time_point::max());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    asio::co_spawn(executor, std::move(tasks[i]), [&, i](std::exception_ptr e, T value) {
      if (e && !failure) failure = e;
      if (!e) results[i] = std::move(value);
      if (--remaining == 0) all_done.cancel();
    });
  }
  if (remaining > 0) co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
  if (failure) std::rethrow_exception(failure);
  std::vector<T> out;
  out.reserve(results.size());
  for (auto& r : results)
    out.push_back(std::move(*r));
  co_return out;
}

}  // namespace lbrec::net
