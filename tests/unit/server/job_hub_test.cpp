// The job registry under the HTTP layer: queueing, event streams, results and their TTL,
// cancellation and shutdown, with a fake runner and a fake clock.

#include "server/job_hub.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <exception>
#include <set>
#include <string>
#include <vector>

namespace lbrec::server {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using pipeline::JobEvents;
using pipeline::JobRequest;
using pipeline::JobResult;

// What the fake runner did, and the switches the tests hold.
struct Fake {
  std::vector<std::string> started;  // usernames in start order
  std::set<std::string> released;    // jobs (by username) allowed to finish
  bool hold = false;                 // jobs wait for release (or cancellation) when set
  int events = 3;                    // log/status/recommendation events each job emits
  int running = 0;
  int max_running_seen = 0;
  int finished = 0;
  bool throw_in_job = false;
};

domain::Recommendation film(const std::string& title, int id) {
  domain::Recommendation rec;
  rec.movie.tmdb_id = id;
  rec.movie.title = title;
  rec.movie.original_title = title;
  rec.reason = "Since you liked Arrival";
  return rec;
}

asio::awaitable<void> pause(std::chrono::milliseconds how_long) {
  asio::steady_timer timer(co_await asio::this_coro::executor, how_long);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<JobResult> fake_job(Fake* fake, JobRequest request, JobEvents& events,
                                    std::function<bool()> cancelled) {
  const std::string name = request.username;
  fake->started.push_back(name);
  fake->max_running_seen = std::max(fake->max_running_seen, ++fake->running);
  JobResult result;
  result.username = name;
  for (int i = 1; i <= fake->events; ++i) {
    events.log(name + " log " + std::to_string(i));
    events.status(pipeline::SeedStatus{"Seed " + std::to_string(i), 4.5, name});
    auto rec = film(name + " film " + std::to_string(i), i);
    events.recommendation(rec);
    result.recommendations.push_back(rec);
    co_await pause(1ms);
  }
  while (fake->hold && !fake->released.contains(name) && !cancelled())
    co_await pause(1ms);
  if (cancelled()) result.cancelled = true;
  --fake->running;
  ++fake->finished;
  if (fake->throw_in_job) throw std::runtime_error("boom");
  co_return result;
}

JobRunner runner_for(Fake* fake) {
  // Not a coroutine itself: the coroutine gets its state by value (GCC 12 pitfall).
  return [fake](JobRequest request, JobEvents& events, std::function<bool()> cancelled) {
    return fake_job(fake, std::move(request), events, std::move(cancelled));
  };
}

JobRequest request_for(std::string username) {
  JobRequest request;
  request.username = std::move(username);
  request.include_streaming = false;
  return request;
}

struct Harness {
  explicit Harness(JobHubSettings settings = {})
      : hub(io.get_executor(), runner_for(&fake), settings, clock) {}

  // Runs `body` to completion on the io_context, rethrowing what it throws.
  void run(asio::awaitable<void> body) {
    std::exception_ptr failure;
    asio::co_spawn(io, std::move(body), [&](std::exception_ptr e) { failure = e; });
    io.run();
    io.restart();
    if (failure) std::rethrow_exception(failure);
  }
  // Lets the io_context run until nothing is left to do.
  void drain() {
    io.run();
    io.restart();
  }

  asio::io_context io;
  core::FakeClock clock;
  Fake fake;
  JobHub hub;
};

asio::awaitable<void> read_all(JobSubscription sub, std::vector<JobEvent>* out) {
  for (;;) {
    auto event = co_await sub.next();
    if (!event) co_return;
    out->push_back(std::move(*event));
  }
}

std::vector<std::uint64_t> seqs(const std::vector<JobEvent>& events) {
  std::vector<std::uint64_t> out;
  for (const auto& e : events)
    out.push_back(e.seq);
  return out;
}

json::object parsed(const JobEvent& event) {
  return json::parse(*event.data).as_object();
}

std::string field(const JobEvent& event, std::string_view key) {
  const auto o = parsed(event);
  const auto* value = o.if_contains(key);
  if (value == nullptr || !value->is_string()) return "<missing>";
  return std::string(value->get_string());
}

bool is_complete(const JobEvent& event) {
  return field(event, "status") == "complete";
}

TEST(JobHub, RunsAtMostMaxRunningInSubmitOrder) {
  Harness h(JobHubSettings{.max_running = 2});
  h.fake.events = 2;
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    auto id = h.hub.submit(request_for("user" + std::to_string(i)));
    ASSERT_TRUE(id.has_value());
    ids.push_back(*id);
  }
  EXPECT_EQ(h.hub.counters().queued, 8u);
  EXPECT_EQ(h.hub.counters().running, 2u);
  EXPECT_EQ(h.hub.counters().submitted, 10u);
  h.drain();
  EXPECT_EQ(h.fake.max_running_seen, 2);
  std::vector<std::string> expected;
  for (int i = 0; i < 10; ++i)
    expected.push_back("user" + std::to_string(i));
  EXPECT_EQ(h.fake.started, expected);
  const auto counters = h.hub.counters();
  EXPECT_EQ(counters.queued, 0u);
  EXPECT_EQ(counters.running, 0u);
  EXPECT_EQ(counters.done, 10u);
  for (const auto& id : ids)
    EXPECT_TRUE(std::holds_alternative<JobDone>(h.hub.result(id)));
}

TEST(JobHub, GeneratedIdsAreUniqueUuids) {
  Harness h;
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto id = h.hub.submit(request_for("u"));
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(id->size(), 36u);
    EXPECT_EQ((*id)[14], '4');
    EXPECT_TRUE(valid_request_id(*id));
    seen.insert(*id);
  }
  EXPECT_EQ(seen.size(), 50u);
  h.drain();
}

TEST(JobHub, LateSubscriberGetsEveryRetainedEventInOrderThenTheTerminator) {
  Harness h;
  h.fake.events = 4;
  auto id = h.hub.submit(request_for("karsten"), "late-1");
  ASSERT_EQ(id.value(), "late-1");
  h.drain();  // the job has finished before anyone listens

  std::vector<JobEvent> logs, recs, status;
  h.run(read_all(h.hub.subscribe("late-1", Stream::kLogs).value(), &logs));
  h.run(read_all(h.hub.subscribe("late-1", Stream::kRecommendations).value(), &recs));
  h.run(read_all(h.hub.subscribe("late-1", Stream::kStatus).value(), &status));

  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(seqs(recs), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(field(recs[i], "title"), "karsten film " + std::to_string(i + 1));
    EXPECT_EQ(parsed(recs[i]).at("tmdb_id").to_number<int>(), i + 1);
  }
  EXPECT_TRUE(is_complete(recs.back()));
  EXPECT_EQ(*recs.back().data, R"({"status":"complete"})");

  ASSERT_EQ(status.size(), 5u);
  EXPECT_EQ(field(status[0], "title"), "Seed 1");
  EXPECT_EQ(parsed(status[0]).at("user_rating").as_double(), 4.5);
  EXPECT_EQ(field(status[0], "username"), "karsten");
  EXPECT_TRUE(is_complete(status.back()));

  ASSERT_EQ(logs.size(), 5u);
  EXPECT_EQ(field(logs[0], "message"), "karsten log 1");
  EXPECT_TRUE(is_complete(logs.back()));
  EXPECT_EQ(field(logs.back(), "message"), "Done: 4 recommendations.");
}

TEST(JobHub, LiveSubscribersSeeEventsAsTheyComeAndShareTheStream) {
  Harness h;
  h.fake.events = 3;
  std::vector<JobEvent> a, b;
  auto sub_a = h.hub.subscribe("live", Stream::kRecommendations).value();
  auto sub_b = h.hub.subscribe("live", Stream::kRecommendations).value();
  // Streams opened before the submit (the seed's client does this) are claimed by it.
  EXPECT_TRUE(std::holds_alternative<JobUnknown>(h.hub.result("live")));
  asio::co_spawn(h.io, read_all(sub_a, &a), asio::detached);
  asio::co_spawn(h.io, read_all(sub_b, &b), asio::detached);
  ASSERT_TRUE(h.hub.submit(request_for("x"), "live").has_value());
  h.drain();
  EXPECT_EQ(seqs(a), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(seqs(b), seqs(a));
  EXPECT_TRUE(is_complete(a.back()));
}

TEST(JobHub, ResubscribingAfterASequenceNumberGetsOnlyLaterEvents) {
  Harness h;
  h.fake.events = 5;
  ASSERT_TRUE(h.hub.submit(request_for("x"), "resume").has_value());
  h.drain();
  std::vector<JobEvent> rest;
  auto sub = h.hub.subscribe("resume", Stream::kLogs, 3).value();
  EXPECT_EQ(sub.last_seq(), 3u);
  h.run(read_all(sub, &rest));
  EXPECT_EQ(seqs(rest), (std::vector<std::uint64_t>{4, 5, 6}));
  EXPECT_EQ(field(rest[0], "message"), "x log 4");

  std::vector<JobEvent> none;
  h.run(read_all(h.hub.subscribe("resume", Stream::kLogs, 6).value(), &none));
  EXPECT_TRUE(none.empty());
}

TEST(JobHub, KeepsOnlyTheNewestEventsPerStreamAndSkipsSlowReadersAhead) {
  Harness h(JobHubSettings{.max_events_per_stream = 4});
  h.fake.events = 10;
  ASSERT_TRUE(h.hub.submit(request_for("x"), "many").has_value());
  h.drain();
  std::vector<JobEvent> recs;
  h.run(read_all(h.hub.subscribe("many", Stream::kRecommendations).value(), &recs));
  // 10 films + the terminator = 11 events; the newest 4 remain.
  EXPECT_EQ(seqs(recs), (std::vector<std::uint64_t>{8, 9, 10, 11}));
  EXPECT_TRUE(is_complete(recs.back()));
  std::vector<JobEvent> from_two;
  h.run(read_all(h.hub.subscribe("many", Stream::kRecommendations, 2).value(), &from_two));
  EXPECT_EQ(seqs(from_two), seqs(recs));
}

TEST(JobHub, ResultIsPendingThenDoneThenExpiresAfterTheTtl) {
  Harness h(JobHubSettings{.result_ttl = 900s});
  h.fake.hold = true;
  auto id = h.hub.submit(request_for("karsten")).value();
  auto state = h.hub.result(id);
  ASSERT_TRUE(std::holds_alternative<JobPending>(state));
  EXPECT_TRUE(std::get<JobPending>(state).running);  // a free slot: started at once

  // Run until the job is parked waiting for release, then let it go.
  h.fake.released.insert("karsten");
  h.drain();
  state = h.hub.result(id);
  ASSERT_TRUE(std::holds_alternative<JobDone>(state));
  const auto& done = std::get<JobDone>(state);
  EXPECT_EQ(done.result->username, "karsten");
  EXPECT_EQ(done.result->recommendations.size(), 3u);
  EXPECT_FALSE(done.include_streaming);
  EXPECT_EQ(done.finished_at, h.clock.now());

  h.clock.advance(899s);
  EXPECT_EQ(h.hub.sweep(), 0u);
  EXPECT_TRUE(std::holds_alternative<JobDone>(h.hub.result(id)));
  h.clock.advance(1s);
  EXPECT_EQ(h.hub.sweep(), 1u);
  EXPECT_TRUE(std::holds_alternative<JobUnknown>(h.hub.result(id)));
  EXPECT_EQ(h.hub.counters().done, 0u);
  // The id is free again.
  h.fake.hold = false;
  EXPECT_TRUE(h.hub.submit(request_for("again"), id).has_value());
  h.drain();
}

TEST(JobHub, ResultsExpireLazilyWithoutASweep) {
  Harness h(JobHubSettings{.result_ttl = 10s});
  auto id = h.hub.submit(request_for("x")).value();
  h.drain();
  EXPECT_TRUE(std::holds_alternative<JobDone>(h.hub.result(id)));
  h.clock.advance(10s);
  EXPECT_TRUE(std::holds_alternative<JobUnknown>(h.hub.result(id)));
}

TEST(JobHub, ExpiryClosesAReaderThatHadNotReadEverything) {
  Harness h(JobHubSettings{.result_ttl = 10s});
  h.fake.events = 3;
  ASSERT_TRUE(h.hub.submit(request_for("x"), "exp").has_value());
  h.drain();
  auto sub = h.hub.subscribe("exp", Stream::kLogs).value();
  h.clock.advance(10s);
  h.hub.sweep();
  std::vector<JobEvent> got;
  h.run(read_all(sub, &got));
  EXPECT_TRUE(got.empty());
}

TEST(JobHub, UnknownIdsAreUnknown) {
  Harness h;
  EXPECT_TRUE(std::holds_alternative<JobUnknown>(h.hub.result("nope")));
  EXPECT_TRUE(std::holds_alternative<JobUnknown>(h.hub.result("bad id!")));
  EXPECT_FALSE(h.hub.cancel("nope"));
}

TEST(JobHub, RejectsMalformedAndDuplicateClientIds) {
  Harness h;
  for (const std::string& bad :
       std::vector<std::string>{"has space", "semi;colon", "ünïcode", std::string(65, 'a'),
                                std::string("nul\0x", 5), "../etc"}) {
    auto r = h.hub.submit(request_for("x"), bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_EQ(h.hub.subscribe(bad, Stream::kLogs).error().code, core::ErrorCode::kInvalidInput);
  }
  EXPECT_FALSE(h.hub.subscribe("", Stream::kLogs).has_value());
  EXPECT_TRUE(h.hub.submit(request_for("x"), std::string(64, 'a')).has_value());
  EXPECT_TRUE(h.hub.submit(request_for("x"), "A-z_09").has_value());
  auto dup = h.hub.submit(request_for("y"), "A-z_09");
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, core::ErrorCode::kInvalidInput);
  h.drain();
  // Still a duplicate while its result is retained.
  EXPECT_FALSE(h.hub.submit(request_for("y"), "A-z_09").has_value());
  EXPECT_EQ(h.hub.counters().submitted, 2u);
}

TEST(JobHub, RefusesJobsBeyondMaxJobs) {
  Harness h(JobHubSettings{.result_ttl = 10s, .max_jobs = 3});
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(h.hub.submit(request_for("x")).has_value());
  auto refused = h.hub.submit(request_for("x"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnavailable);
  EXPECT_TRUE(refused.error().retryable);
  EXPECT_FALSE(h.hub.subscribe("unclaimed", Stream::kLogs).has_value());
  h.drain();
  h.clock.advance(10s);
  EXPECT_TRUE(h.hub.submit(request_for("x")).has_value());
  h.drain();
}

asio::awaitable<void> read_then_flag(JobSubscription sub, std::vector<JobEvent>* out, bool* done) {
  co_await read_all(std::move(sub), out);
  *done = true;
}

TEST(JobHub, UnclaimedStreamsAreDroppedAfterTheirTtl) {
  Harness h(JobHubSettings{.unclaimed_ttl = 60s});
  auto sub = h.hub.subscribe("early", Stream::kStatus).value();
  std::vector<JobEvent> got;
  bool ended = false;
  asio::co_spawn(h.io, read_then_flag(sub, &got, &ended), asio::detached);
  h.io.poll();
  h.io.restart();
  EXPECT_FALSE(ended);
  h.clock.advance(60s);
  EXPECT_EQ(h.hub.sweep(), 1u);
  h.drain();
  EXPECT_TRUE(ended);
  EXPECT_TRUE(got.empty());
}

TEST(JobHub, CancelsAQueuedJobAtOnce) {
  Harness h(JobHubSettings{.max_running = 1});
  h.fake.hold = true;
  auto first = h.hub.submit(request_for("first")).value();
  auto second = h.hub.submit(request_for("second")).value();
  EXPECT_TRUE(h.hub.cancel(second));
  EXPECT_FALSE(h.hub.cancel(second));  // already over
  auto state = h.hub.result(second);
  ASSERT_TRUE(std::holds_alternative<JobDone>(state));
  EXPECT_TRUE(std::get<JobDone>(state).result->cancelled);
  EXPECT_EQ(std::get<JobDone>(state).result->username, "second");
  EXPECT_EQ(h.hub.counters().queued, 0u);

  h.fake.released.insert("first");
  std::vector<JobEvent> recs;
  h.run(read_all(h.hub.subscribe(second, Stream::kRecommendations).value(), &recs));
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_TRUE(is_complete(recs[0]));
  EXPECT_EQ(h.fake.started, std::vector<std::string>{"first"});
}

TEST(JobHub, CancelsARunningJobThroughItsCancelledFlag) {
  Harness h;
  h.fake.hold = true;
  auto id = h.hub.submit(request_for("runner")).value();
  std::vector<JobEvent> logs;
  asio::co_spawn(h.io, read_all(h.hub.subscribe(id, Stream::kLogs).value(), &logs), asio::detached);
  for (int i = 0; i < 50 && h.fake.running == 0; ++i)
    h.io.run_one();
  ASSERT_EQ(h.fake.running, 1);
  EXPECT_TRUE(h.hub.cancel(id));
  h.drain();
  auto state = h.hub.result(id);
  ASSERT_TRUE(std::holds_alternative<JobDone>(state));
  EXPECT_TRUE(std::get<JobDone>(state).result->cancelled);
  ASSERT_FALSE(logs.empty());
  EXPECT_EQ(field(logs.back(), "message"), "Cancelled.");
  EXPECT_TRUE(is_complete(logs.back()));
}

TEST(JobHub, AThrowingRunnerEndsAsAFailedJob) {
  Harness h;
  h.fake.throw_in_job = true;
  auto id = h.hub.submit(request_for("x")).value();
  h.drain();
  auto state = h.hub.result(id);
  ASSERT_TRUE(std::holds_alternative<JobDone>(state));
  const auto& result = *std::get<JobDone>(state).result;
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->code, core::ErrorCode::kInternal);
  EXPECT_EQ(result.username, "x");
  EXPECT_EQ(h.hub.counters().running, 0u);
}

asio::awaitable<void> shut_down(JobHub* hub, bool* done) {
  co_await hub->shutdown();
  *done = true;
}

TEST(JobHub, ShutdownCancelsEverythingAndCompletesWhenRunningJobsEnd) {
  Harness h(JobHubSettings{.max_running = 2});
  h.fake.hold = true;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(h.hub.submit(request_for("u" + std::to_string(i))).value());
  for (int i = 0; i < 50 && h.fake.running < 2; ++i)
    h.io.run_one();
  ASSERT_EQ(h.fake.running, 2);
  bool done = false;
  h.run(shut_down(&h.hub, &done));
  EXPECT_TRUE(done);
  EXPECT_EQ(h.fake.running, 0);
  EXPECT_EQ(h.fake.started.size(), 2u);  // the queued ones never ran
  const auto counters = h.hub.counters();
  EXPECT_EQ(counters.running, 0u);
  EXPECT_EQ(counters.queued, 0u);
  EXPECT_EQ(counters.done, 5u);
  for (const auto& id : ids) {
    auto state = h.hub.result(id);
    ASSERT_TRUE(std::holds_alternative<JobDone>(state));
    EXPECT_TRUE(std::get<JobDone>(state).result->cancelled);
  }
  auto refused = h.hub.submit(request_for("late"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnavailable);
}

TEST(JobHub, ShutdownWithNothingRunningCompletesAtOnceAndEndsWaitingReaders) {
  Harness h;
  std::vector<JobEvent> got;
  bool ended = false;
  asio::co_spawn(h.io,
                 read_then_flag(h.hub.subscribe("never", Stream::kLogs).value(), &got, &ended),
                 asio::detached);
  bool done = false;
  h.run(shut_down(&h.hub, &done));
  EXPECT_TRUE(done);
  EXPECT_TRUE(ended);
  EXPECT_TRUE(got.empty());
}

asio::awaitable<void> next_or_timeout(JobSubscription sub, int* which) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(co_await asio::this_coro::executor, 5ms);
  auto next = sub.next();
  auto wait = timer.async_wait(asio::use_awaitable);
  auto winner = co_await (std::move(next) || std::move(wait));
  *which = static_cast<int>(winner.index());
}

TEST(JobHub, AWaitingReaderCanBeCancelled) {
  Harness h;
  auto sub = h.hub.subscribe("quiet", Stream::kLogs).value();
  int which = -1;
  h.run(next_or_timeout(sub, &which));
  EXPECT_EQ(which, 1);  // the timer won; the read gave up instead of hanging
}

asio::awaitable<void> collect_result(JobSubscription sub, std::vector<JobEvent>* out) {
  co_await read_all(std::move(sub), out);
}

TEST(JobHub, HundredConcurrentJobsAllCompleteAndDeliver) {
  Harness h(JobHubSettings{.max_running = 4});
  h.fake.events = 5;
  std::vector<std::string> ids;
  std::vector<std::vector<JobEvent>> recs(100);
  for (int i = 0; i < 100; ++i) {
    auto id = h.hub.submit(request_for("user" + std::to_string(i))).value();
    asio::co_spawn(h.io,
                   collect_result(h.hub.subscribe(id, Stream::kRecommendations).value(), &recs[i]),
                   asio::detached);
    ids.push_back(id);
  }
  h.drain();
  EXPECT_EQ(h.fake.finished, 100);
  EXPECT_EQ(h.fake.max_running_seen, 4);
  for (int i = 0; i < 100; ++i) {
    auto state = h.hub.result(ids[i]);
    ASSERT_TRUE(std::holds_alternative<JobDone>(state));
    const auto& result = *std::get<JobDone>(state).result;
    EXPECT_EQ(result.username, "user" + std::to_string(i));
    EXPECT_EQ(result.recommendations.size(), 5u);
    ASSERT_EQ(recs[i].size(), 6u);
    EXPECT_EQ(field(recs[i][0], "title"), "user" + std::to_string(i) + " film 1");
    EXPECT_TRUE(is_complete(recs[i].back()));
  }
  EXPECT_EQ(h.hub.counters().done, 100u);
}

}  // namespace
}  // namespace lbrec::server
