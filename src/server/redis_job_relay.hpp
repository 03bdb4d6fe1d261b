#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "server/job_hub.hpp"
#include "server/job_relay.hpp"
#include "store/redis_client.hpp"

namespace lbrec::server {

// The job relay over Redis, as the seed shares jobs through it. For job ID (keys under `prefix`):
//   <ID>:s0, :s1, :s2   the logs, recommendations and status streams: lists of "E <seq> <json>",
//                        ending with "C" once the stream is closed
//   <ID>:state          the 202 answer while queued or running
//   <ID>:result         the answer once finished
//                        (both "<status> <retry-after s> <json body>", as GET /api/result gives it)
//   <ID>:claim          a client-supplied id taken by some instance (SET NX)
// and a channel <prefix><ID> on which each change is announced, so readers wait without polling
// (they still look every second: pub/sub may lose a message across a reconnect). Every key
// expires after `ttl`. Writes leave in order through one pipeline at a time; while Redis is
// unreachable they are dropped and jobs stay visible only where they run.
class RedisJobRelay final : public JobRelay {
 public:
  RedisJobRelay(store::RedisClient& redis, boost::asio::any_io_executor executor,
                std::chrono::seconds ttl, std::chrono::seconds wait_for_unknown,
                std::string prefix = "lbrec:job:");
  ~RedisJobRelay() override;

  bool available() const override;
  void event(const std::string& id, Stream stream, const JobEvent& event) override;
  void closed(const std::string& id, Stream stream) override;
  void pending(const std::string& id, bool running, const pipeline::Progress& progress) override;
  void finished(const std::string& id, const JobDone& done) override;
  boost::asio::awaitable<bool> claim(std::string id) override;
  boost::asio::awaitable<std::optional<RenderedResult>> lookup(std::string id) override;
  std::unique_ptr<RemoteEvents> subscribe(std::string id, Stream stream, std::uint64_t after_seq,
                                          std::function<bool()> here) override;

  struct Shared;

 private:
  void enqueue(std::vector<std::string> command, const std::string& id);

  store::RedisClient& redis_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace lbrec::server
