#pragma once

// A whole lbrec web service (real Services, real WebService) on loopback, on its own I/O thread,
// aimed at a fake world; plus small raw-socket helpers for the tests that must misbehave as a
// client (broken headers, stalls, disconnects).

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/services.hpp"
#include "app/web_wiring.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "fakeworld/fake_world_server.hpp"
#include "server/web_service.hpp"

namespace lbrec::testing {

// A configuration aimed at `world`, with no pacing or retry sleeps so tests run fast.
inline core::Config world_config(const fakeworld::FakeWorldServer& world) {
  core::Config c;
  c.tmdb_key = std::string(fakeworld::kFakeTmdbApiKey);
  c.tmdb_base_url = world.base_url();
  c.justwatch_url = world.base_url() + "/graphql";
  c.letterboxd_base_url = world.base_url();
  c.letterboxd_min_interval_s = 0;
  c.letterboxd_retry_sleep_s = 0;
  c.letterboxd_throttle_sleep_s = 0;
  c.tmdb_rate_limit = 2000;
  c.browser_path = "/nonexistent";
  c.host = "127.0.0.1";
  c.port = 0;
  return c;
}

// Runs the service for the lifetime of the rig. `adjust` may change the wired options (e.g.
// timeouts) before the service is built.
class ServiceRig {
 public:
  explicit ServiceRig(const core::Config& config,
                      const core::Clock& clock = core::RealClock::instance(),
                      const std::function<void(server::WebServiceOptions&)>& adjust = {})
      : services_(config, io_) {
    app::WebWiring wiring = app::wire_web_service(
        config, services_, [this] { return service_ ? service_->connections() : std::size_t{0}; });
    if (adjust) adjust(wiring.options);
    service_ = std::make_unique<server::WebService>(
        io_, std::move(wiring.runner), std::move(wiring.hooks), std::move(wiring.options), clock);
    auto bound = service_->start({boost::asio::ip::make_address("127.0.0.1"), 0});
    EXPECT_TRUE(bound.has_value()) << (bound ? "" : bound.error().message);
    if (bound) port_ = bound->port();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~ServiceRig() {
    if (!stopped_) stop();
  }

  // Stops the service gracefully (as SIGTERM does) and joins the I/O thread.
  void stop() {
    stopped_ = true;
    auto done = boost::asio::co_spawn(io_, stop_service(service_.get()), boost::asio::use_future);
    done.wait_for(std::chrono::seconds(20));
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  unsigned short port() const { return port_; }
  app::Services& services() { return services_; }

 private:
  static boost::asio::awaitable<void> stop_service(server::WebService* service) {
    co_await service->stop();
  }

  boost::asio::io_context io_{1};
  app::Services services_;
  std::unique_ptr<server::WebService> service_;
  std::thread thread_;
  unsigned short port_ = 0;
  bool stopped_ = false;
};

inline boost::json::value parse_json(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << "not JSON: " << text.substr(0, 200);
  return ec ? boost::json::value() : v;
}

// One event of an SSE body.
struct SseEvent {
  std::uint64_t id = 0;
  std::string data;
};

// The events of a complete SSE body (comments and retry lines skipped).
inline std::vector<SseEvent> parse_sse(const std::string& body) {
  std::vector<SseEvent> events;
  SseEvent current;
  bool any = false;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find('\n', pos);
    if (end == std::string::npos) end = body.size();
    const std::string line = body.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      if (any) events.push_back(current);
      current = {};
      any = false;
    } else if (line.starts_with("id: ")) {
      current.id = std::stoull(line.substr(4));
      any = true;
    } else if (line.starts_with("data: ")) {
      current.data += line.substr(6);
      any = true;
    }
  }
  return events;
}

// A blocking loopback socket for writing raw bytes and reading what comes back.
class RawClient {
 public:
  explicit RawClient(unsigned short port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  void send(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  // Everything until the server closes the connection, or until `limit` passes.
  std::string read_all(std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
    return read_until({}, limit);
  }
  // Reads until `needle` appears (never, when empty), the server closes, or `limit` passes.
  std::string read_until(const std::string& needle,
                         std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    socket_.non_blocking(true);
    char buffer[4096];
    while ((needle.empty() || out.find(needle) == std::string::npos) &&
           std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      const std::size_t n = socket_.read_some(boost::asio::buffer(buffer), ec);
      if (ec == boost::asio::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      if (ec) break;
      out.append(buffer, n);
    }
    return out;
  }
  void close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
};

}  // namespace lbrec::testing
