#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "core/error.hpp"

namespace lbrec::server {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

using HttpRequestHeader = boost::beast::http::request_header<>;

struct ListenerOptions {
  std::size_t body_limit = 1u << 20;     // larger request bodies get 413
  std::size_t header_limit = 16u << 10;  // larger header blocks get 431
  // Chooses the body limit per request from its header (e.g. larger for uploads); body_limit
  // when unset.
  std::function<std::size_t(const HttpRequestHeader&)> body_limit_for;
  // The whole header block, including the wait for it on a kept-alive connection, must arrive
  // within header_timeout (slowloris); the body within body_timeout.
  std::chrono::seconds header_timeout{15};
  std::chrono::seconds body_timeout{60};
  // Beyond this, new connections get 503 and are closed; lowered at listen() to the descriptor
  // limit less a reserve, so the cap bites before accept() fails.
  std::size_t max_connections = 20000;
};

// Serves one request on `stream`; the handler writes the response itself (so it can stream, delay
// or deliberately break it) and returns whether the connection may serve another request.
using Handler = std::function<boost::asio::awaitable<bool>(boost::beast::tcp_stream&, HttpRequest)>;

// Accepts connections and runs one coroutine per connection on the io_context. Network events
// (client gone, timeouts, malformed requests) end a connection quietly; an exception escaping the
// handler is logged and ends only that connection.
class HttpListener {
 public:
  HttpListener(boost::asio::io_context& io, Handler handler, ListenerOptions options = {});
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Binds (port 0 picks a free port) and starts accepting. Returns the bound endpoint.
  core::Result<boost::asio::ip::tcp::endpoint> listen(const boost::asio::ip::tcp::endpoint& where);
  // Stops accepting new connections; open ones finish their current request.
  void close();
  // Connections open now.
  std::size_t connections() const;

  struct State;  // shared with the connection coroutines, which may outlive the listener

 private:
  std::shared_ptr<State> state_;
};

// Writes `response` and returns whether the connection may be kept open. `prepare` sets
// Content-Length from the body; false keeps the caller's (a HEAD answer's).
boost::asio::awaitable<bool> write_response(boost::beast::tcp_stream& stream, HttpResponse response,
                                            bool prepare = true);

}  // namespace lbrec::server
