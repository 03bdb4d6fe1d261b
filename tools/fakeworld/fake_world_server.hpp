#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "faults.hpp"
#include "request_stats.hpp"
#include "world.hpp"

namespace lbrec::fakeworld {

// The fake Letterboxd + TMDB + JustWatch on one loopback HTTP server, running on its own thread:
//   /3/...           TMDB v3 API            POST /graphql   JustWatch
//   /__stats         counters (GET)         /__reset        zero the counters (POST)
//   /__faults        rules (GET, POST json, DELETE)
//   /__export/<user>.zip[?nested=1]         a member's export ZIP
//   /__users         members as JSON
//   anything else    letterboxd.com
class FakeWorldServer {
 public:
  explicit FakeWorldServer(std::shared_ptr<const World> world);
  ~FakeWorldServer();
  FakeWorldServer(const FakeWorldServer&) = delete;
  FakeWorldServer& operator=(const FakeWorldServer&) = delete;

  // Listens on host:port (port 0: any free port) and serves until stop(). Returns the port.
  core::Result<std::uint16_t> start(const std::string& host, std::uint16_t port);
  void stop();

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string base_url() const;
  const World& world() const { return *world_; }
  FaultInjector& faults() { return faults_; }
  RequestStats& stats() { return stats_; }
  // The cookie value that passes the JavaScript challenge.
  const std::string& clearance() const { return clearance_; }

  struct Impl;

 private:
  std::shared_ptr<const World> world_;
  FaultInjector faults_;
  RequestStats stats_;
  std::string clearance_;
  std::string host_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lbrec::fakeworld
