#include "server/job_hub.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/system/system_error.hpp>
#include <deque>
#include <exception>
#include <map>
#include <random>
#include <vector>

#include "core/json_text.hpp"
#include "pipeline/payload.hpp"

namespace lbrec::server {

namespace asio = boost::asio;
namespace json = boost::json;

namespace detail {

enum class Phase { kUnclaimed, kQueued, kRunning, kDone };

// One stream's retained events. Readers that find nothing new wait on `changed`, which never
// expires: every append or close cancels it, waking all of them at once.
struct StreamBuffer {
  std::deque<JobEvent> events;
  std::uint64_t last_seq = 0;
  bool closed = false;
  std::shared_ptr<asio::steady_timer> changed;
};

struct Job {
  std::string id;
  Phase phase = Phase::kUnclaimed;
  pipeline::JobRequest request;  // moved into the runner when the job starts
  std::string username;
  bool include_streaming = true;
  bool cancel_requested = false;
  bool expired = false;  // dropped from the hub: readers stop
  std::size_t max_events = 1000;
  pipeline::Progress progress;
  std::array<StreamBuffer, 3> streams;
  std::shared_ptr<const pipeline::JobResult> result;
  JobRelay* relay = nullptr;  // other instances hear of this job here
  core::Clock::Steady::time_point created_at;
  core::Clock::Steady::time_point finished_at;
  core::Clock::System::time_point finished_wall;

  StreamBuffer& stream(Stream s) { return streams[static_cast<std::size_t>(s)]; }

  void append(Stream s, std::string text) {
    auto& buffer = stream(s);
    if (buffer.closed) return;
    buffer.events.push_back(
        JobEvent{++buffer.last_seq, std::make_shared<const std::string>(std::move(text))});
    if (relay) relay->event(id, s, buffer.events.back());
    while (buffer.events.size() > max_events)
      buffer.events.pop_front();
    buffer.changed->cancel();
  }

  void close(Stream s) {
    auto& buffer = stream(s);
    buffer.closed = true;
    if (relay) relay->closed(id, s);
    buffer.changed->cancel();
  }

  void wake_all() {
    for (auto& buffer : streams)
      buffer.changed->cancel();
  }
};

std::string message_json(std::string_view message) {
  json::object o;
  o["message"] = message;
  return core::to_json_text(o);
}

std::string complete_json() {
  json::object o;
  o["status"] = "complete";
  return core::to_json_text(o);
}

// Forwards the pipeline's events into the job's streams.
class HubEvents final : public pipeline::JobEvents {
 public:
  explicit HubEvents(std::shared_ptr<Job> job) : job_(std::move(job)) {}

  void log(std::string_view message) override {
    job_->append(Stream::kLogs, message_json(message));
  }
  void status(const pipeline::SeedStatus& seed) override {
    json::object o;
    o["title"] = seed.title;
    if (seed.user_rating) {
      o["user_rating"] = *seed.user_rating;
    } else {
      o["user_rating"] = nullptr;
    }
    o["username"] = seed.username;
    job_->append(Stream::kStatus, core::to_json_text(o));
  }
  void progress(const pipeline::Progress& progress) override {
    job_->progress = progress;
    if (job_->relay) job_->relay->pending(job_->id, true, progress);
  }
  void recommendation(const domain::Recommendation& recommendation) override {
    job_->append(Stream::kRecommendations, core::to_json_text(pipeline::recommendation_json(
                                               recommendation, job_->include_streaming)));
  }

 private:
  std::shared_ptr<Job> job_;
};

}  // namespace detail

using detail::Job;
using detail::Phase;

struct JobSubscription::State {
  std::shared_ptr<Job> job;
  Stream stream = Stream::kLogs;
  std::uint64_t after = 0;
};

struct JobHub::State : std::enable_shared_from_this<JobHub::State> {
  State(asio::any_io_executor ex, JobRunner r, JobHubSettings s, const core::Clock& c)
      : executor(std::move(ex)),
        runner(std::move(r)),
        settings(s),
        clock(c),
        idle(std::make_shared<asio::steady_timer>(executor,
                                                  asio::steady_timer::time_point::max())) {}

  asio::any_io_executor executor;
  JobRunner runner;
  JobHubSettings settings;
  const core::Clock& clock;
  JobRelay* relay = nullptr;
  std::map<std::string, std::shared_ptr<Job>, std::less<>> jobs;
  std::deque<std::shared_ptr<Job>> queue;
  // Finished jobs in finishing order: with one TTL and a monotonic clock, the oldest expire first.
  std::deque<std::shared_ptr<Job>> done_order;
  // Ids held open by subscribers before a submit, oldest first; claimed ones are skipped.
  std::deque<std::shared_ptr<Job>> unclaimed_order;
  std::size_t running = 0;
  std::size_t done = 0;
  std::uint64_t submitted = 0;
  bool shutting_down = false;
  bool hub_gone = false;  // the JobHub was destroyed: the clock may be gone too
  // Cancelled whenever `running` drops to zero, waking shutdown().
  std::shared_ptr<asio::steady_timer> idle;

  std::shared_ptr<Job> make_job(std::string id) {
    auto job = std::make_shared<Job>();
    job->id = std::move(id);
    job->max_events = std::max<std::size_t>(1, settings.max_events_per_stream);
    job->created_at = clock.now();
    for (auto& buffer : job->streams)
      buffer.changed =
          std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
    return job;
  }

  void drop(const std::shared_ptr<Job>& job) {
    const auto it = jobs.find(job->id);
    if (it != jobs.end() && it->second == job) jobs.erase(it);
    if (job->phase == Phase::kDone) --done;
    job->expired = true;
    job->wake_all();
  }

  bool result_expired(const Job& job, core::Clock::Steady::time_point now) const {
    return now - job.finished_at >= settings.result_ttl;
  }

  std::size_t sweep() {
    const auto now = clock.now();
    std::size_t dropped = 0;
    while (!done_order.empty() && result_expired(*done_order.front(), now)) {
      drop(done_order.front());
      done_order.pop_front();
      ++dropped;
    }
    while (!unclaimed_order.empty()) {
      const auto& job = unclaimed_order.front();
      if (job->phase == Phase::kUnclaimed) {
        if (now - job->created_at < settings.unclaimed_ttl) break;
        drop(job);
        ++dropped;
      }
      unclaimed_order.pop_front();
    }
    return dropped;
  }

  std::string new_id() {
    // Ids let anyone who holds one read the job's result, so they come from the OS's generator.
    std::random_device random;
    for (;;) {
      std::uint64_t hi = (std::uint64_t{random()} << 32) | random();
      std::uint64_t lo = (std::uint64_t{random()} << 32) | random();
      hi = (hi & ~std::uint64_t{0xf000}) | 0x4000;                         // version 4
      lo = (lo & ~(std::uint64_t{0x3} << 62)) | (std::uint64_t{2} << 62);  // RFC 4122 variant
      auto id = fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff,
                            hi & 0xffff, lo >> 48, lo & 0xffffffffffffULL);
      if (!jobs.contains(id)) return id;
    }
  }

  void start_ready();
  void finish(const std::shared_ptr<Job>& job, pipeline::JobResult result);
};

namespace {

asio::awaitable<void> run_job(std::shared_ptr<JobHub::State> hub, std::shared_ptr<Job> job) {
  detail::HubEvents events(job);
  std::function<bool()> cancelled = [job] { return job->cancel_requested; };
  pipeline::JobResult result;
  bool failed = false;
  std::string failure;
  try {
    auto task = hub->runner(std::move(job->request), events, std::move(cancelled));
    result = co_await std::move(task);
  } catch (const std::exception& e) {
    failed = true;
    failure = e.what();
  } catch (...) {
    failed = true;
    failure = "unknown exception";
  }
  if (failed) {
    spdlog::error("event=job_failed request_id={} error=\"{}\"", job->id, failure);
    result = pipeline::JobResult{};
    result.error = core::Error{core::ErrorCode::kInternal, "the job failed unexpectedly"};
  }
  hub->finish(job, std::move(result));
}

asio::awaitable<void> wait_until_idle(std::shared_ptr<JobHub::State> hub) {
  while (hub->running > 0) {
    auto idle = hub->idle;
    co_await idle->async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<std::optional<JobEvent>> next_event(std::shared_ptr<JobSubscription::State> s) {
  for (;;) {
    const auto& job = *s->job;
    if (job.expired) co_return std::nullopt;
    const auto& buffer = s->job->stream(s->stream);
    if (buffer.last_seq > s->after && !buffer.events.empty()) {
      // Sequence numbers in the buffer are contiguous; a reader behind the oldest retained event
      // resumes there (drop-oldest).
      const std::uint64_t first = buffer.events.front().seq;
      const auto index = static_cast<std::size_t>(s->after < first ? 0 : s->after - first + 1);
      JobEvent event = buffer.events[index];
      s->after = event.seq;
      co_return event;
    }
    if (buffer.closed) co_return std::nullopt;
    auto changed = buffer.changed;  // keeps the timer alive across the wait
    co_await changed->async_wait(asio::as_tuple(asio::use_awaitable));
    // A wake-up and a cancellation of this wait both complete with operation_aborted; only the
    // coroutine's cancellation state tells them apart.
    const auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
      throw boost::system::system_error(asio::error::operation_aborted);
  }
}

std::string summary_line(const pipeline::JobResult& result) {
  if (result.cancelled) return "Cancelled.";
  if (result.error) return "Failed.";
  return fmt::format("Done: {} recommendations.", result.recommendations.size());
}

}  // namespace

void JobHub::State::start_ready() {
  const auto limit = static_cast<std::size_t>(std::max(1, settings.max_running));
  while (running < limit && !queue.empty()) {
    auto job = std::move(queue.front());
    queue.pop_front();
    job->phase = Phase::kRunning;
    if (job->relay) job->relay->pending(job->id, true, job->progress);
    ++running;
    auto task = run_job(shared_from_this(), std::move(job));
    asio::co_spawn(executor, std::move(task), asio::detached);
  }
}

void JobHub::State::finish(const std::shared_ptr<Job>& job, pipeline::JobResult result) {
  const bool was_running = job->phase == Phase::kRunning;
  job->phase = Phase::kDone;
  if (result.username.empty()) result.username = job->username;
  if (job->cancel_requested) result.cancelled = true;
  spdlog::info("event=job_done request_id={} recommendations={} cancelled={} error={}", job->id,
               result.recommendations.size(), result.cancelled,
               result.error ? core::to_string(result.error->code) : "none");
  json::object last;
  last["message"] = summary_line(result);
  last["status"] = "complete";
  job->append(Stream::kLogs, core::to_json_text(last));
  job->append(Stream::kRecommendations, detail::complete_json());
  job->append(Stream::kStatus, detail::complete_json());
  for (const auto s : {Stream::kLogs, Stream::kRecommendations, Stream::kStatus})
    job->close(s);
  job->result = std::make_shared<const pipeline::JobResult>(std::move(result));
  if (!hub_gone) {
    job->finished_at = clock.now();
    job->finished_wall = clock.wall_now();
  }
  if (job->relay) {
    job->relay->finished(job->id, JobDone{job->result, job->include_streaming, job->finished_at,
                                          job->finished_wall});
  }
  done_order.push_back(job);
  ++done;
  if (was_running) {
    --running;
    if (running == 0) idle->cancel();
    if (!shutting_down) start_ready();
  }
}

std::uint64_t JobSubscription::last_seq() const {
  return remote_ ? remote_->last_seq() : state_->after;
}

asio::awaitable<std::optional<JobEvent>> JobSubscription::next() {
  if (remote_) return remote_->next();
  return next_event(state_);
}

void JobHub::set_relay(JobRelay* relay) {
  state_->relay = relay;
}

bool JobHub::holds(std::string_view request_id) const {
  const auto it = state_->jobs.find(request_id);
  return it != state_->jobs.end() && it->second->phase != Phase::kUnclaimed && !it->second->expired;
}

JobHub::JobHub(asio::any_io_executor executor, JobRunner runner, JobHubSettings settings,
               const core::Clock& clock)
    : state_(std::make_shared<State>(std::move(executor), std::move(runner), settings, clock)) {}

JobHub::~JobHub() {
  // Readers still holding a subscription end instead of waiting for events that cannot come.
  for (auto& [id, job] : state_->jobs) {
    job->cancel_requested = true;
    if (job->phase != Phase::kRunning) {
      job->expired = true;
      job->wake_all();
    }
  }
  state_->shutting_down = true;
  state_->hub_gone = true;
  state_->queue.clear();
}

core::Result<std::string> JobHub::submit(pipeline::JobRequest request, std::string request_id) {
  auto& s = *state_;
  s.sweep();
  if (s.shutting_down) return core::fail(core::ErrorCode::kUnavailable, "shutting down", true);
  if (request_id.empty()) {
    request_id = s.new_id();
  } else if (!valid_request_id(request_id)) {
    return core::fail(core::ErrorCode::kInvalidInput,
                      "request_id must be 1 to 64 letters, digits, '_' or '-'");
  }
  std::shared_ptr<Job> job;
  if (const auto it = s.jobs.find(request_id); it != s.jobs.end()) {
    if (it->second->phase != Phase::kUnclaimed)
      return core::fail(core::ErrorCode::kInvalidInput, "request_id is already in use");
    job = it->second;
  } else {
    if (s.jobs.size() >= s.settings.max_jobs)
      return core::fail(core::ErrorCode::kUnavailable, "too many jobs", true);
    job = s.make_job(request_id);
    s.jobs.emplace(request_id, job);
  }
  job->phase = Phase::kQueued;
  job->username = request.username;
  job->include_streaming = request.include_streaming;
  job->request = std::move(request);
  job->relay = s.relay;
  if (job->relay) job->relay->pending(job->id, false, job->progress);
  s.queue.push_back(job);
  ++s.submitted;
  s.start_ready();
  return request_id;
}

core::Result<JobSubscription> JobHub::subscribe(std::string_view request_id, Stream stream,
                                                std::uint64_t after_seq) {
  auto& s = *state_;
  s.sweep();
  if (!valid_request_id(request_id))
    return core::fail(core::ErrorCode::kInvalidInput,
                      "request_id must be 1 to 64 letters, digits, '_' or '-'");
  std::shared_ptr<Job> job;
  if (const auto it = s.jobs.find(request_id); it != s.jobs.end()) {
    job = it->second;
  } else {
    if (s.jobs.size() >= s.settings.max_jobs)
      return core::fail(core::ErrorCode::kUnavailable, "too many jobs", true);
    job = s.make_job(std::string(request_id));
    s.jobs.emplace(job->id, job);
    s.unclaimed_order.push_back(job);
  }
  return JobSubscription(std::make_shared<JobSubscription::State>(
      JobSubscription::State{std::move(job), stream, after_seq}));
}

JobState JobHub::result(std::string_view request_id) {
  auto& s = *state_;
  s.sweep();
  const auto it = s.jobs.find(request_id);
  if (it == s.jobs.end()) return JobUnknown{};
  const auto& job = *it->second;
  switch (job.phase) {
    case Phase::kUnclaimed:
      return JobUnknown{};
    case Phase::kQueued:
    case Phase::kRunning:
      return JobPending{job.phase == Phase::kRunning, job.progress};
    case Phase::kDone:
      break;
  }
  return JobDone{job.result, job.include_streaming, job.finished_at, job.finished_wall};
}

bool JobHub::cancel(std::string_view request_id) {
  auto& s = *state_;
  const auto it = s.jobs.find(request_id);
  if (it == s.jobs.end()) return false;
  const auto job = it->second;
  if (job->phase == Phase::kRunning) {
    job->cancel_requested = true;
    return true;
  }
  if (job->phase != Phase::kQueued) return false;
  job->cancel_requested = true;
  std::erase(s.queue, job);
  pipeline::JobResult result;
  result.cancelled = true;
  s.finish(job, std::move(result));
  return true;
}

asio::awaitable<void> JobHub::shutdown() {
  auto& s = *state_;
  s.shutting_down = true;
  auto queued = std::move(s.queue);
  s.queue.clear();
  for (const auto& job : queued) {
    job->cancel_requested = true;
    pipeline::JobResult result;
    result.cancelled = true;
    s.finish(job, std::move(result));
  }
  std::vector<std::shared_ptr<Job>> unclaimed;
  for (auto& [id, job] : s.jobs) {
    if (job->phase == Phase::kRunning) job->cancel_requested = true;
    if (job->phase == Phase::kUnclaimed) unclaimed.push_back(job);
  }
  // Nothing will be submitted any more: readers waiting for an id end now.
  for (const auto& job : unclaimed)
    s.drop(job);
  return wait_until_idle(state_);
}

std::size_t JobHub::sweep() {
  return state_->sweep();
}

JobCounters JobHub::counters() const {
  const auto& s = *state_;
  return JobCounters{s.queue.size(), s.running, s.done, s.submitted};
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace lbrec::server
