#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lbrec::store {

// Collapses concurrent work for one key: the first caller runs it, callers arriving while it runs
// wait and receive the same result (or exception). For the I/O executor: not locked.
template <typename T>
class SingleFlight {
 public:
  boost::asio::awaitable<T> run(std::string key, std::function<boost::asio::awaitable<T>()> work) {
    namespace asio = boost::asio;
    if (const auto it = flights_.find(key); it != flights_.end()) {
      std::shared_ptr<Flight> flight = it->second;
      const auto executor = co_await asio::this_coro::executor;
      auto waiter =
          std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
      flight->waiters.push_back(waiter);
      co_await waiter->async_wait(asio::as_tuple(asio::use_awaitable));
      if (flight->failure) std::rethrow_exception(flight->failure);
      co_return *flight->result;
    }
    auto flight = std::make_shared<Flight>();
    flights_.emplace(key, flight);
    ++runs_;
    try {
      flight->result = co_await work();
    } catch (...) {
      flight->failure = std::current_exception();
    }
    flights_.erase(key);
    for (auto& w : flight->waiters)
      w->cancel();
    if (flight->failure) std::rethrow_exception(flight->failure);
    co_return *flight->result;
  }

  std::size_t in_flight() const { return flights_.size(); }
  std::size_t runs() const { return runs_; }  // how many times work actually ran

 private:
  struct Flight {
    std::optional<T> result;
    std::exception_ptr failure;
    std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters;
  };
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
  std::size_t runs_ = 0;
};

}  // namespace lbrec::store
