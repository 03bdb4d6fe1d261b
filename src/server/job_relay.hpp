#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/job.hpp"
#include "server/job_answers.hpp"

namespace lbrec::server {

enum class Stream;
struct JobEvent;
struct JobDone;

// Reads one stream of a job that may run in another instance. Same contract as JobSubscription.
class RemoteEvents {
 public:
  virtual ~RemoteEvents() = default;
  virtual boost::asio::awaitable<std::optional<JobEvent>> next() = 0;
  virtual std::uint64_t last_seq() const = 0;
  // True when next() ended because the job turned out to run here (see JobRelay::subscribe):
  // the caller goes on reading this instance's hub after last_seq().
  virtual bool handed_over() const { return false; }
};

// Carries jobs between service instances (Redis), so a job posted to one is read from any: its
// events, its pending state and its result. The hub reports its own jobs here; the API asks here
// about ids the hub does not hold. Everything runs on the I/O executor.
class JobRelay {
 public:
  virtual ~JobRelay() = default;

  // True while the relay can carry anything (Redis connected); when false everything stays
  // in-process.
  virtual bool available() const = 0;

  // Outgoing: a local job's events (in order), its state, and its end.
  virtual void event(const std::string& id, Stream stream, const JobEvent& event) = 0;
  virtual void closed(const std::string& id, Stream stream) = 0;
  virtual void pending(const std::string& id, bool running, const pipeline::Progress& progress) = 0;
  virtual void finished(const std::string& id, const JobDone& done) = 0;

  // Claims a client-supplied id across instances; false when another instance holds it.
  virtual boost::asio::awaitable<bool> claim(std::string id) = 0;

  // Incoming: another instance's answer about `id` (pending or done); nullopt when none has it.
  virtual boost::asio::awaitable<std::optional<RenderedResult>> lookup(std::string id) = 0;
  // Reads a stream of `id` from Redis, after `after_seq`, waiting for a job with that id to
  // appear (STREAM_MAX_AGE_S at most). `here` answers whether this instance now runs the job;
  // once it does, next() ends with handed_over() (events numbered alike in both places).
  virtual std::unique_ptr<RemoteEvents> subscribe(std::string id, Stream stream,
                                                  std::uint64_t after_seq,
                                                  std::function<bool()> here) = 0;
};

}  // namespace lbrec::server
