#include "server/http_listener.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace lbrec::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

struct HttpListener::State {
  State(asio::io_context& io, Handler h, ListenerOptions o)
      : acceptor(io), handler(std::move(h)), options(std::move(o)) {}
  tcp::acceptor acceptor;
  Handler handler;
  ListenerOptions options;
  std::size_t connections = 0;
  bool accept_failing = false;
};

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

HttpResponse plain_error(http::status status, std::string_view json) {
  HttpResponse res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::access_control_allow_origin, "*");  // so a page can read why
  res.body() = std::string(json);
  res.keep_alive(false);
  return res;
}

// Counts a connection for as long as its coroutine lives.
struct ConnectionSlot {
  explicit ConnectionSlot(HttpListener::State& s) : state(s) { ++state.connections; }
  ~ConnectionSlot() { --state.connections; }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  HttpListener::State& state;
};

// A request Beast could not parse: malformed start line, bad header bytes (a bare CR or LF inside
// a field), bad chunking. Timeouts, resets and EOF are not: they get no answer.
bool is_malformed(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// Answers a request that could not be read: 431 or 413 past a limit, 400 when malformed; other
// failures (EOF, reset, timeout) get no answer. Returns whether it answered.
asio::awaitable<bool> refuse(beast::tcp_stream& stream, const beast::error_code& ec) {
  HttpResponse res;
  if (ec == http::error::header_limit) {
    res = plain_error(http::status::request_header_fields_too_large,
                      R"({"error":"request headers too large"})");
  } else if (ec == http::error::body_limit) {
    res = plain_error(http::status::payload_too_large, R"({"error":"request body too large"})");
  } else if (is_malformed(ec)) {
    res = plain_error(http::status::bad_request, R"({"error":"malformed request"})");
  } else {
    co_return false;
  }
  co_await write_response(stream, std::move(res));
  co_return true;
}

// Refused requests whose body may still be arriving: closing at once would make the kernel reset
// the connection over the unread bytes, and the client would never see our answer. So the write
// side is shut first and what the client still sends is read and dropped, for a bounded time and
// amount.
asio::awaitable<void> linger_close(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16384> sink{};
  std::size_t drained = 0;
  stream.expires_after(std::chrono::seconds(2));
  while (drained < (8u << 20)) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    drained += n;
  }
}

asio::awaitable<void> serve_connection(std::shared_ptr<HttpListener::State> state,
                                       beast::tcp_stream stream) {
  const ConnectionSlot slot(*state);
  beast::flat_buffer buffer;
  bool refused = false;  // answered without reading the whole request
  const ListenerOptions& options = state->options;
  try {
    if (state->connections > options.max_connections) {
      co_await write_response(
          stream, plain_error(http::status::service_unavailable,
                              R"({"error":"The server is at its connection limit; try again."})"));
      co_return;
    }
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      // No limit while the header is read: the limit depends on the header (see below).
      parser.body_limit(boost::none);
      stream.expires_after(options.header_timeout);
      auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, kTuple);
      if (hec) {
        refused = co_await refuse(stream, hec);
        break;
      }
      const std::size_t limit =
          options.body_limit_for ? options.body_limit_for(parser.get()) : options.body_limit;
      parser.body_limit(limit);
      // Beast checks a declared Content-Length against the limit only while it parses the header,
      // before the limit for this request is known, so the check is made here.
      if (const auto declared = parser.content_length(); declared && *declared > limit) {
        refused = co_await refuse(stream, http::error::body_limit);
        break;
      }
      stream.expires_after(options.body_timeout);
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        // curl waits a second for this before sending a large upload.
        http::response<http::empty_body> go_on{http::status::continue_, 11};
        auto [cec, cn] = co_await http::async_write(stream, go_on, kTuple);
        if (cec) break;
      }
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
      if (ec) {
        refused = co_await refuse(stream, ec);
        break;
      }
      stream.expires_never();
      const bool keep = co_await state->handler(stream, parser.release());
      if (!keep) break;
    }
  } catch (const std::exception& e) {
    spdlog::error("event=connection_failed error=\"{}\"", e.what());
  }
  if (refused) {
    co_await linger_close(stream);
    co_return;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<HttpListener::State> state) {
  for (;;) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kTuple);
    if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) co_return;
    if (ec) {
      // Typically out of descriptors: retrying at once would spin a core while nothing can be
      // accepted anyway. Pause, keep serving the open connections, and try again.
      if (!state->accept_failing) {
        spdlog::warn("event=accept_failed error=\"{}\" open_connections={}", ec.message(),
                     state->connections);
      }
      state->accept_failing = true;
      asio::steady_timer pause(state->acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(kTuple);
      continue;
    }
    state->accept_failing = false;
    asio::co_spawn(state->acceptor.get_executor(),
                   serve_connection(state, beast::tcp_stream(std::move(socket))), asio::detached);
  }
}

}  // namespace

HttpListener::HttpListener(asio::io_context& io, Handler handler, ListenerOptions options)
    : state_(std::make_shared<State>(io, std::move(handler), std::move(options))) {}

HttpListener::~HttpListener() {
  close();
}

core::Result<tcp::endpoint> HttpListener::listen(const tcp::endpoint& where) {
  beast::error_code ec;
  auto& acc = state_->acceptor;
  acc.open(where.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(where, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::fail(core::ErrorCode::kUnavailable,
                      fmt::format("cannot listen on {}:{}: {}", where.address().to_string(),
                                  where.port(), ec.message()));
  }
  const tcp::endpoint bound = acc.local_endpoint(ec);
  // The connection cap must bite before descriptors run out, so a connection over it can still
  // be accepted and told 503; the reserve keeps room for upstream connections and files.
  constexpr rlim_t kReserve = 512;
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
      files.rlim_cur > 2 * kReserve) {
    state_->options.max_connections = std::min<std::size_t>(
        state_->options.max_connections, static_cast<std::size_t>(files.rlim_cur - kReserve));
  }
  asio::co_spawn(acc.get_executor(), accept_loop(state_), asio::detached);
  return bound;
}

std::size_t HttpListener::connections() const {
  return state_->connections;
}

void HttpListener::close() {
  beast::error_code ignored;
  if (state_ && state_->acceptor.is_open()) state_->acceptor.close(ignored);
}

asio::awaitable<bool> write_response(beast::tcp_stream& stream, HttpResponse response,
                                     bool prepare) {
  if (prepare) response.prepare_payload();
  const bool keep = response.keep_alive();
  stream.expires_after(std::chrono::seconds(30));
  auto [ec, n] = co_await http::async_write(stream, response, kTuple);
  co_return !ec && keep;
}

}  // namespace lbrec::server
