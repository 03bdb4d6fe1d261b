#include "server/web_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lbrec::server {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

ListenerOptions with_api_limits(ListenerOptions options, ApiServer* api) {
  options.body_limit_for = [api](const HttpRequestHeader& h) { return api->body_limit_for(h); };
  return options;
}

asio::awaitable<void> hub_shutdown(JobHub* hub) {
  co_await hub->shutdown();
}

asio::awaitable<void> grace_period(asio::steady_timer* timer) {
  co_await timer->async_wait(kTuple);
}

}  // namespace

WebService::WebService(asio::io_context& io, JobRunner runner, ApiHooks hooks,
                       WebServiceOptions options, const core::Clock& clock)
    : hub_(io.get_executor(), std::move(runner), options.jobs, clock),
      api_(hub_, options.api, std::move(hooks), clock),
      listener_(
          io,
          [this](boost::beast::tcp_stream& stream, HttpRequest request) {
            return api_.handle(stream, std::move(request));
          },
          with_api_limits(options.listener, &api_)),
      sweep_timer_(io),
      sweep_interval_(options.sweep_interval),
      maintenance_(std::move(options.maintenance)),
      shutdown_grace_(options.shutdown_grace) {
  hub_.set_relay(options.relay);
  api_.set_relay(options.relay);
}

WebService::~WebService() {
  listener_.close();
}

core::Result<asio::ip::tcp::endpoint> WebService::start(const asio::ip::tcp::endpoint& where) {
  auto bound = listener_.listen(where);
  if (bound) asio::co_spawn(sweep_timer_.get_executor(), sweep_loop(), asio::detached);
  return bound;
}

asio::awaitable<void> WebService::sweep_loop() {
  while (!stopping_) {
    sweep_timer_.expires_after(sweep_interval_);
    co_await sweep_timer_.async_wait(kTuple);
    if (stopping_) break;
    if (const std::size_t dropped = hub_.sweep(); dropped > 0) {
      spdlog::debug("event=jobs_swept dropped={}", dropped);
    }
    if (maintenance_ && !stopping_) co_await maintenance_();
  }
}

asio::awaitable<void> WebService::stop() {
  if (stopping_) co_return;
  stopping_ = true;
  sweep_timer_.cancel();
  listener_.close();
  const auto before = hub_.counters();
  spdlog::info("event=shutdown_begin queued={} running={} streams={}", before.queued,
               before.running, api_.open_streams());
  asio::steady_timer grace(sweep_timer_.get_executor());
  grace.expires_after(shutdown_grace_);
  auto waiting = hub_shutdown(&hub_) || grace_period(&grace);
  const auto ended = co_await std::move(waiting);
  // Streams of cancelled jobs now hold their last events and terminators: let them flush.
  for (int i = 0; i < 40 && api_.open_streams() > 0; ++i) {
    grace.expires_after(std::chrono::milliseconds(50));
    co_await grace.async_wait(kTuple);
  }
  spdlog::info("event=shutdown_ready jobs_ended_in_time={} streams_left={}", ended.index() == 0,
               api_.open_streams());
}

}  // namespace lbrec::server
