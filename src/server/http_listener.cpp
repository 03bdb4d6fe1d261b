#include "server/http_listener.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace lbrec::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

struct HttpListener::State {
  State(asio::io_context& io, Handler h, ListenerOptions o)
      : acceptor(io), handler(std::move(h)), options(o) {}
  tcp::acceptor acceptor;
  Handler handler;
  ListenerOptions options;
};

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> serve_connection(std::shared_ptr<HttpListener::State> state,
                                       beast::tcp_stream stream) {
  beast::flat_buffer buffer;
  try {
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(state->options.body_limit);
      parser.header_limit(static_cast<std::uint32_t>(state->options.header_limit));
      stream.expires_after(state->options.read_timeout);
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
      if (ec == http::error::body_limit) {
        HttpResponse res{http::status::payload_too_large, 11};
        res.set(http::field::content_type, "application/json");
        res.body() = R"({"error":"request body too large"})";
        res.keep_alive(false);
        co_await write_response(stream, std::move(res));
        break;
      }
      if (ec) break;  // EOF, timeout, reset or a malformed request: nothing more to say
      stream.expires_never();
      const bool keep = co_await state->handler(stream, parser.release());
      if (!keep) break;
    }
  } catch (const std::exception& e) {
    spdlog::error("event=connection_failed error=\"{}\"", e.what());
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<HttpListener::State> state) {
  for (;;) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kTuple);
    if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) co_return;
    if (ec) continue;  // e.g. too many open files: keep serving what we have
    asio::co_spawn(state->acceptor.get_executor(),
                   serve_connection(state, beast::tcp_stream(std::move(socket))), asio::detached);
  }
}

}  // namespace

HttpListener::HttpListener(asio::io_context& io, Handler handler, ListenerOptions options)
    : state_(std::make_shared<State>(io, std::move(handler), options)) {}

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
  asio::co_spawn(acc.get_executor(), accept_loop(state_), asio::detached);
  return bound;
}

void HttpListener::close() {
  beast::error_code ignored;
  if (state_ && state_->acceptor.is_open()) state_->acceptor.close(ignored);
}

asio::awaitable<bool> write_response(beast::tcp_stream& stream, HttpResponse response) {
  response.prepare_payload();
  const bool keep = response.keep_alive();
  stream.expires_after(std::chrono::seconds(30));
  auto [ec, n] = co_await http::async_write(stream, response, kTuple);
  co_return !ec && keep;
}

}  // namespace lbrec::server
