#include "server/sse_stream.hpp"

#include <fmt/format.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/write.hpp>
#include <string>

namespace lbrec::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Writes `pieces` within the write timeout; false when the client is gone or not reading.
template <typename Buffers>
asio::awaitable<bool> write_all(beast::tcp_stream& stream, const Buffers& pieces,
                                std::chrono::seconds timeout) {
  stream.expires_after(timeout);
  auto [ec, n] = co_await asio::async_write(stream, pieces, kTuple);
  stream.expires_never();
  co_return !ec;
}

asio::awaitable<std::optional<JobEvent>> next_event(JobSubscription* subscription) {
  co_return co_await subscription->next();
}

asio::awaitable<void> wait_heartbeat(asio::steady_timer* timer) {
  co_await timer->async_wait(kTuple);
}

// Completes when the client sends anything or closes: an SSE client has nothing to say, so any
// completion means it is gone (or misbehaving).
asio::awaitable<void> client_closed(beast::tcp_stream* stream, std::array<char, 64>* scratch) {
  co_await stream->socket().async_read_some(asio::buffer(*scratch), kTuple);
}

}  // namespace

asio::awaitable<SseOutcome> serve_sse(beast::tcp_stream& stream, SseHead head,
                                      JobSubscription subscription, SseOptions options) {
  SseOutcome outcome;
  head.set(http::field::content_type, "text/event-stream; charset=utf-8");
  head.set(http::field::cache_control, "no-cache");
  head.set("X-Accel-Buffering", "no");  // proxies such as nginx must not buffer the stream
  head.keep_alive(false);
  http::response_serializer<http::empty_body> serializer(head);
  stream.expires_after(options.write_timeout);
  auto [hec, hn] = co_await http::async_write_header(stream, serializer, kTuple);
  stream.expires_never();
  if (hec) {
    outcome.end = SseEnd::kClientGone;
    co_return outcome;
  }
  const std::string retry = fmt::format("retry: {}\n\n", options.retry.count());
  if (!co_await write_all(stream, asio::buffer(retry), options.write_timeout)) {
    outcome.end = SseEnd::kClientGone;
    co_return outcome;
  }

  static constexpr std::string_view kHeartbeat = ": keep-alive\n\n";
  static constexpr std::string_view kEventEnd = "\n\n";
  asio::steady_timer heartbeat(co_await asio::this_coro::executor);
  std::array<char, 64> scratch{};
  for (;;) {
    heartbeat.expires_after(options.heartbeat);
    auto waiting =
        next_event(&subscription) || wait_heartbeat(&heartbeat) || client_closed(&stream, &scratch);
    auto woke = co_await std::move(waiting);
    if (woke.index() == 2) {
      outcome.end = SseEnd::kClientGone;
      co_return outcome;
    }
    if (woke.index() == 1) {
      if (!co_await write_all(stream, asio::buffer(kHeartbeat), options.write_timeout)) {
        outcome.end = SseEnd::kClientGone;
        co_return outcome;
      }
      continue;
    }
    const std::optional<JobEvent>& event = std::get<0>(woke);
    if (!event) co_return outcome;  // the stream ended and everything was sent
    const std::string prefix = fmt::format("id: {}\ndata: ", event->seq);
    const std::array<asio::const_buffer, 3> pieces{asio::buffer(prefix), asio::buffer(*event->data),
                                                   asio::buffer(kEventEnd)};
    if (!co_await write_all(stream, pieces, options.write_timeout)) {
      outcome.end = SseEnd::kClientGone;
      co_return outcome;
    }
    ++outcome.events;
  }
}

}  // namespace lbrec::server
