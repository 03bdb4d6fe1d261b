#pragma once

// A small Beast HTTP/1.1 client for the benchmarks that drive `lbrec demo` over loopback, and the
// start-up both of them share: a free port, the child process, waiting for /_health.

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "child_process.hpp"

namespace lbrec::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct Reply {
  int status = 0;     // 0: no answer, see `error`
  std::string error;  // why there was no answer
  std::string body;
  bool keep_alive = false;
};

// One request on an open connection (kept alive), answered within `timeout`. On no answer the
// stream is unusable.
inline asio::awaitable<Reply> exchange(beast::tcp_stream& stream, http::verb verb,
                                       std::string target, std::string body,
                                       std::chrono::milliseconds timeout) {
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.keep_alive(true);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
  }
  req.prepare_payload();
  stream.expires_after(timeout);
  auto [wec, wn] = co_await http::async_write(stream, req, kTuple);
  if (wec) co_return Reply{.error = "write: " + wec.message()};
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  auto [rec, rn] = co_await http::async_read(stream, buffer, res, kTuple);
  stream.expires_never();
  if (rec) co_return Reply{.error = "read: " + rec.message()};
  co_return Reply{.status = static_cast<int>(res.result_int()),
                  .body = std::move(res.body()),
                  .keep_alive = res.keep_alive()};
}

// Connects to `to` within `timeout`; on failure `error` says why.
inline asio::awaitable<std::optional<beast::tcp_stream>> connect(const tcp::endpoint& to,
                                                                 std::chrono::milliseconds timeout,
                                                                 std::string& error) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(timeout);
  auto [ec] = co_await stream.async_connect(to, kTuple);
  stream.expires_never();
  if (ec) {
    error = "connect: " + ec.message();
    co_return std::nullopt;
  }
  co_return std::move(stream);
}

// One request on a fresh connection.
inline asio::awaitable<Reply> fetch(const tcp::endpoint& to, http::verb verb, std::string target,
                                    std::string body = {},
                                    std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  // Awaitables are named before co_await: GCC 12 mishandles temporaries inside co_await.
  std::string error;
  auto connecting = connect(to, timeout, error);
  auto stream = co_await std::move(connecting);
  if (!stream) co_return Reply{.error = std::move(error)};
  auto asking = exchange(*stream, verb, std::move(target), std::move(body), timeout);
  co_return co_await std::move(asking);
}

// `lbrec demo` on a free loopback port, its output in `log_path`.
struct Demo {
  ChildProcess child;
  tcp::endpoint endpoint;
};

// Starts the demo with `env` (PORT is added) and waits up to `timeout` for /_health to answer
// 200. False, with a line on stderr, when it cannot start or does not become healthy; the child
// is stopped by its destructor.
inline asio::awaitable<bool> start_demo(Demo& demo, const std::string& lbrec,
                                        std::vector<std::pair<std::string, std::string>> env,
                                        const std::string& log_path, std::chrono::seconds timeout) {
  const int port = free_loopback_port();
  if (port <= 0) {
    fmt::print(stderr, "no free loopback port\n");
    co_return false;
  }
  env.emplace_back("PORT", std::to_string(port));
  demo.endpoint =
      tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), static_cast<unsigned short>(port));
  if (!demo.child.start({lbrec, "demo"}, env, log_path)) {
    fmt::print(stderr, "cannot start {}\n", lbrec);
    co_return false;
  }
  asio::steady_timer pause(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!demo.child.running()) {
      fmt::print(stderr, "{} demo exited during start-up; see {}\n", lbrec, log_path);
      co_return false;
    }
    auto asking = fetch(demo.endpoint, http::verb::get, "/_health", {}, std::chrono::seconds(2));
    const auto health = co_await std::move(asking);
    if (health.status == 200) co_return true;
    pause.expires_after(std::chrono::milliseconds(100));
    co_await pause.async_wait(kTuple);
  }
  fmt::print(stderr, "{} demo did not answer /_health within {} s; see {}\n", lbrec,
             timeout.count(), log_path);
  co_return false;
}

// The environment every HTTP benchmark gives the demo: no per-client limits, no Letterboxd
// pacing against the in-process fake world, four jobs at once (the default, made explicit).
inline std::vector<std::pair<std::string, std::string>> bench_environment() {
  return {{"RATELIMIT_ENABLED", "false"},
          {"LETTERBOXD_MIN_INTERVAL_S", "0"},
          {"PIPELINE_POOL_SIZE", "4"}};
}

// Prints how the server stopped.
inline void print_exit(const ChildExit& exit) {
  if (exit.signal != 0) {
    fmt::print("server exit: signal {} after {:.2f} s{}\n", exit.signal, exit.seconds,
               exit.killed ? " (did not exit within 15 s of SIGTERM: SIGKILL)" : "");
  } else {
    fmt::print("server exit: code {} after {:.2f} s from SIGTERM\n", exit.code, exit.seconds);
  }
}

}  // namespace lbrec::bench
