#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "pipeline/job.hpp"
#include "pipeline/recommend_job.hpp"
#include "server/job_relay.hpp"

namespace lbrec::server {

// Runs one job. Production wraps pipeline::run_recommend_job; tests inject a fake. `events` stays
// valid until the returned awaitable completes; `cancelled` answers true once the job should stop.
using JobRunner = std::function<boost::asio::awaitable<pipeline::JobResult>(
    pipeline::JobRequest, pipeline::JobEvents&, std::function<bool()> cancelled)>;

struct JobHubSettings {
  int max_running = 4;                       // PIPELINE_POOL_SIZE: jobs running at once
  std::chrono::seconds result_ttl{900};      // JOB_RESULT_TTL: a finished job stays this long
  std::size_t max_events_per_stream = 1000;  // SSE_QUEUE_MAXSIZE: oldest dropped beyond this
  std::size_t max_jobs = 10000;              // retained jobs (queued, running, done, unclaimed)
  std::chrono::seconds unclaimed_ttl{3600};  // STREAM_MAX_AGE_S: streams opened for an id that
                                             // was never submitted are dropped after this
};

// The seed's three SSE channels of a job.
enum class Stream { kLogs, kRecommendations, kStatus };

// One event of a stream: its JSON data text and its sequence number in that stream (1, 2, ...),
// which the HTTP layer sends as the SSE `id:` and reads back from Last-Event-ID.
struct JobEvent {
  std::uint64_t seq = 0;
  std::shared_ptr<const std::string> data;
};

// Reads one stream of one job in order. Cheap to move; many may read the same stream. Events are
// read from the job's retained buffer, so a slow reader never holds the job up: a reader that fell
// further behind than the buffer holds (max_events_per_stream) skips to the oldest event still
// retained (drop-oldest, as the seed's queues do), which its sequence numbers show as a gap.
class JobSubscription {
 public:
  struct State;
  explicit JobSubscription(std::shared_ptr<State> state) : state_(std::move(state)) {}
  // A stream read through the relay (a job that may run in another instance).
  explicit JobSubscription(std::unique_ptr<RemoteEvents> remote) : remote_(std::move(remote)) {}

  // The next event after the last one read (or after `after_seq` given to subscribe), waiting on
  // the hub's executor until there is one. Empty once the stream ended and everything retained
  // was read, or when the job expired or was dropped. Cancellable (per-operation cancellation of
  // the underlying timer wait), e.g. with awaitable operators against a keep-alive timer.
  boost::asio::awaitable<std::optional<JobEvent>> next();

  // Sequence number of the last event read (after_seq until the first read).
  std::uint64_t last_seq() const;

 private:
  std::shared_ptr<State> state_;
  std::shared_ptr<RemoteEvents> remote_;
};

// What result() knows about a job.
struct JobUnknown {};  // never submitted, or expired (the seed's 404)
struct JobPending {    // queued or running (the seed's 202)
  bool running = false;
  pipeline::Progress progress;  // the last progress the job reported
};
struct JobDone {
  std::shared_ptr<const pipeline::JobResult> result;
  bool include_streaming = true;  // from the request, for pipeline::result_payload
  core::Clock::Steady::time_point finished_at;
  core::Clock::System::time_point finished_wall;
};
using JobState = std::variant<JobUnknown, JobPending, JobDone>;

struct JobCounters {
  std::size_t queued = 0;
  std::size_t running = 0;
  std::size_t done = 0;         // finished jobs still retained
  std::uint64_t submitted = 0;  // accepted by submit() since start
};

// The registry of recommendation jobs the HTTP layer sits on: ids, a FIFO queue bounded by
// max_running, three retained event streams per job, results kept result_ttl after they finish.
// No HTTP in here. Single-threaded: every member (and every subscription) must be used from the
// hub's executor (the server's io_context thread); nothing is locked.
//
// Event data (JSON text, core::to_json_text):
//   logs            {"message": "<line>"}; the last one is {"message": "...", "status": "complete"}
//                   (the seed's README does not show its log shape; a message object keeps logs
//                   extensible and lets every stream end the same way)
//   recommendations pipeline::recommendation_json(rec, include_streaming), then
//   {"status":"complete"} status          {"title": ..., "user_rating": stars|null, "username":
//   ...}, then
//                   {"status":"complete"}
class JobHub {
 public:
  JobHub(boost::asio::any_io_executor executor, JobRunner runner, JobHubSettings settings,
         const core::Clock& clock);
  // Running jobs keep what they need alive; await shutdown() first to let them end cleanly.
  ~JobHub();
  JobHub(const JobHub&) = delete;
  JobHub& operator=(const JobHub&) = delete;

  // Accepts a job and returns its id: `request_id` when given (it must match
  // ^[A-Za-z0-9_-]{1,64}$ and not name a live job, else kInvalidInput), otherwise a new random
  // 128-bit id in UUID form. Beyond max_running the job waits, FIFO. kUnavailable (retryable) when
  // max_jobs are retained or after shutdown().
  core::Result<std::string> submit(pipeline::JobRequest request, std::string request_id = {});

  // Reads one stream of a job from after `after_seq` (0: from the start). An id that names no job
  // yet is held open for a later submit() with that id (the seed's client opens its streams before
  // posting); it is dropped after unclaimed_ttl. kInvalidInput for a malformed id, kUnavailable
  // when max_jobs are retained.
  core::Result<JobSubscription> subscribe(std::string_view request_id, Stream stream,
                                          std::uint64_t after_seq = 0);

  // Unknown (never submitted or expired), pending, or done with the result.
  JobState result(std::string_view request_id);

  // Asks a job to stop. A queued job finishes at once as cancelled (an empty result with
  // `cancelled` set); a running one when its runner notices. False when the id names no queued or
  // running job.
  bool cancel(std::string_view request_id);

  // Refuses new jobs, cancels queued and running ones, ends readers of ids never submitted, and
  // completes once every running job has ended. Cancellation is requested at the call; the
  // returned awaitable only waits.
  boost::asio::awaitable<void> shutdown();

  // Drops jobs finished more than result_ttl ago and unclaimed streams older than unclaimed_ttl
  // (also done lazily by the other calls). Returns how many were dropped.
  std::size_t sweep();

  JobCounters counters() const;

  // Reports every job's events, state and result to `relay` (null: none), which must outlive
  // the hub; set before the first submit().
  void set_relay(JobRelay* relay);
  // True when a job with this id was submitted here and is still retained.
  bool holds(std::string_view request_id) const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

// True when `id` is a valid client-supplied request id: ^[A-Za-z0-9_-]{1,64}$.
bool valid_request_id(std::string_view id);

}  // namespace lbrec::server
