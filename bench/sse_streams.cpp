// Thousands of SSE streams against one `lbrec demo` (issue 6). Starts the demo as a child process,
// opens N streams spread over J request ids and the three stream kinds before any job exists
// (the seed's client does the same), posts the J jobs, then reads every stream to its completion
// event. Prints connection counts, events received and lost (gaps in the `id:` sequence), the time
// to open all streams and to complete them, and the server's memory (sampled from /proc every
// 100 ms). Never fails on timing: exit 1 only when the server cannot be started.
// Run: build/release/bench/sse_streams [--lbrec PATH] [--streams N] [--jobs J] [--timeout S]
//      [--window W]

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "flags.hpp"
#include "http_client.hpp"
#include "run_to_completion.hpp"

namespace lbrec::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Options {
  std::string lbrec = LBREC_BINARY;
  int streams = 10000;
  int jobs = 20;
  double timeout_s = 120;
  int window = 256;  // connections being opened at once, so the listen backlog is not overrun
};

constexpr std::array<std::string_view, 6> kUsers = {"demo",       "cinephile", "critic",
                                                    "legacy_fan", "exactly72", "grumpy"};
constexpr std::array<std::string_view, 3> kKinds = {"logs", "recommendations", "status"};

std::string job_id(int job) {
  return fmt::format("ssebench-{}", job);
}

// Everything the connection coroutines share; one thread, so no locks.
struct Run {
  explicit Run(asio::io_context& io, int n)
      : sockets(static_cast<std::size_t>(n)), opening(static_cast<std::size_t>(n)), wake(io) {}
  tcp::endpoint server;
  std::vector<tcp::socket*> sockets;  // open client sockets by stream index, to close at timeout
  std::vector<char> opening;          // by stream index: connecting or waiting for the headers
  asio::steady_timer wake;            // cancelled whenever a counter below changes
  int in_flight = 0;                  // being opened
  int connected = 0;                  // got 200 and the SSE headers
  int failed = 0;                     // could not connect or got no 200
  int completed = 0;                  // received the event with "status":"complete"
  int ended = 0;                      // connected streams whose connection has closed
  int closed_by_server = 0;           // of those, closed by the server (EOF)
  std::uint64_t events = 0;
  std::uint64_t lost = 0;
  std::uint64_t heartbeats = 0;
  std::map<std::string, int> failures;  // reason -> count
  Clock::time_point last_connected, last_complete, last_progress = Clock::now();

  void changed() {
    last_progress = Clock::now();
    wake.cancel();
  }
  // Waits for a change, at most a second, so callers re-check their deadlines.
  asio::awaitable<void> until_changed() {
    wake.expires_after(std::chrono::seconds(1));
    co_await wake.async_wait(kTuple);
  }
  void fail(int index, std::string reason) {
    ++failed;
    --in_flight;
    opening[static_cast<std::size_t>(index)] = 0;
    ++failures[std::move(reason)];
    changed();
  }
  // Closes client sockets (all, or only those still opening); their coroutines then end.
  void close(bool only_opening) {
    for (std::size_t i = 0; i < sockets.size(); ++i) {
      if (sockets[i] != nullptr && (!only_opening || opening[i] != 0)) {
        boost::system::error_code ignored;
        sockets[i]->close(ignored);
      }
    }
  }
};

// Reads one SSE block: an event ("id: N\ndata: ...") or a ": keep-alive" comment.
struct StreamState {
  std::uint64_t last_id = 0;
  bool complete = false;
};

void read_block(std::string_view block, StreamState& st, Run& run) {
  bool is_event = false;
  std::size_t pos = 0;
  while (pos < block.size()) {
    const std::size_t end = std::min(block.find('\n', pos), block.size());
    const std::string_view line = block.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with(":")) {
      ++run.heartbeats;
    } else if (line.starts_with("id: ")) {
      const std::uint64_t id = std::strtoull(std::string(line.substr(4)).c_str(), nullptr, 10);
      if (id > st.last_id + 1) run.lost += id - st.last_id - 1;
      st.last_id = id;
      is_event = true;
    } else if (line.starts_with("data: ")) {
      if (line.find(R"("status":"complete")") != std::string_view::npos && !st.complete) {
        st.complete = true;
        ++run.completed;
        run.last_complete = Clock::now();
        run.changed();
      }
    }
  }
  if (is_event) ++run.events;
}

asio::awaitable<void> sse_client(Run& run, int index, std::string target) {
  const auto at = static_cast<std::size_t>(index);
  tcp::socket socket(co_await asio::this_coro::executor);
  run.sockets[at] = &socket;
  run.opening[at] = 1;
  struct Unregister {
    Run& run;
    std::size_t at;
    ~Unregister() { run.sockets[at] = nullptr; }
  } unregister{run, at};

  auto [cec] = co_await socket.async_connect(run.server, kTuple);
  if (cec) {
    run.fail(index, "connect: " + cec.message());
    co_return;
  }
  const std::string request = fmt::format(
      "GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n", target);
  auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(request), kTuple);
  if (wec) {
    run.fail(index, "write: " + wec.message());
    co_return;
  }
  std::string buffer;
  auto [hec, hn] =
      co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), "\r\n\r\n", kTuple);
  if (hec) {
    run.fail(index, "no answer: " + hec.message());
    co_return;
  }
  if (!buffer.starts_with("HTTP/1.1 200")) {
    run.fail(index, "status: " + buffer.substr(0, std::min<std::size_t>(buffer.find('\r'), 40)));
    co_return;
  }
  buffer.erase(0, hn);
  run.opening[at] = 0;
  ++run.connected;
  --run.in_flight;
  run.last_connected = Clock::now();
  run.changed();

  StreamState st;
  for (;;) {
    auto [ec, n] =
        co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), "\n\n", kTuple);
    if (ec) {
      if (ec == asio::error::eof) ++run.closed_by_server;  // else we closed it (timeout)
      break;
    }
    read_block(std::string_view(buffer).substr(0, n), st, run);
    buffer.erase(0, n);
  }
  ++run.ended;
  run.changed();
}

// Samples the server's VmRSS every 100 ms until `stop`.
struct RssSampler {
  const ProcProbe& probe;
  bool stop = false;
  double peak_mb = 0;
  int samples = 0;
};

asio::awaitable<void> sample_rss(RssSampler& s) {
  asio::steady_timer tick(co_await asio::this_coro::executor);
  while (!s.stop) {
    if (const auto m = s.probe.memory()) {
      s.peak_mb = std::max(s.peak_mb, m->rss_mb);
      ++s.samples;
    }
    tick.expires_after(std::chrono::milliseconds(100));
    co_await tick.async_wait(kTuple);
  }
}

// Reads "key":<integer> from a flat JSON text (the health answer); -1 when absent.
long json_int(std::string_view json, std::string_view key) {
  const std::string quoted = fmt::format("\"{}\":", key);
  const auto at = json.find(quoted);
  if (at == std::string_view::npos) return -1;
  return std::strtol(std::string(json.substr(at + quoted.size(), 20)).c_str(), nullptr, 10);
}

asio::awaitable<long> open_streams(const tcp::endpoint& server) {
  auto asking = fetch(server, http::verb::get, "/_health", {}, std::chrono::seconds(5));
  const auto reply = co_await std::move(asking);
  co_return reply.status == 200 ? json_int(reply.body, "streams") : -1;
}

asio::awaitable<void> post_job(Run& run, int job, std::chrono::milliseconds timeout, int& posted,
                               int& answered) {
  const std::string body = fmt::format(
      R"({{"username":"{}","country":"US","count":20,"request_id":"{}","include_streaming":true}})",
      kUsers[static_cast<std::size_t>(job) % kUsers.size()], job_id(job));
  auto posting = fetch(run.server, http::verb::post, "/api/recommend", body, timeout);
  const auto reply = co_await std::move(posting);
  if (reply.status == 202) {
    ++posted;
  } else {
    fmt::print("post {} failed: {}\n", job_id(job),
               reply.status != 0 ? fmt::format("{} {}", reply.status, reply.body) : reply.error);
  }
  ++answered;
  run.changed();
}

double mb_or_zero(const std::optional<Memory>& m) {
  return m ? m->rss_mb : 0;
}

asio::awaitable<int> bench(asio::io_context& io, const Options& o) {
  Demo demo;
  auto env = bench_environment();
  env.emplace_back("SSE_HEARTBEAT_S", "5");
  const std::string log = fmt::format("/tmp/lbrec-sse-streams-{}.log", getpid());
  auto starting = start_demo(demo, o.lbrec, env, log, std::chrono::seconds(30));
  if (!co_await std::move(starting)) co_return 1;
  const ProcProbe server(demo.child.pid());
  const ProcProbe self(0);
  fmt::print("server: {} demo, pid {}, port {}, log {}\n", o.lbrec, demo.child.pid(),
             demo.endpoint.port(), log);
  fmt::print("streams: {} over {} jobs x 3 kinds; opening {} at a time; timeout {} s\n", o.streams,
             o.jobs, o.window, o.timeout_s);

  Run run(io, o.streams);
  run.server = demo.endpoint;
  RssSampler sampler{server};
  asio::co_spawn(io, sample_rss(sampler), asio::detached);
  const auto idle = server.memory();

  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(o.timeout_s));
  // At the deadline every client socket is closed, which ends every reader and opener.
  asio::steady_timer watchdog(io);
  watchdog.expires_at(deadline);
  watchdog.async_wait([&run](const boost::system::error_code& ec) {
    if (!ec) run.close(false);
  });

  // Opening. Streams that get no answer for 10 s while nothing else progresses are abandoned, so
  // a server that stops accepting (e.g. out of descriptors) does not eat the whole timeout.
  constexpr auto kStall = std::chrono::seconds(10);
  int abandoned = 0;
  const auto abandon_if_stalled = [&] {
    if (Clock::now() - run.last_progress < kStall) return false;
    for (const char c : run.opening)
      abandoned += c;
    run.close(true);
    return true;
  };
  run.last_progress = Clock::now();
  for (int i = 0; i < o.streams && Clock::now() < deadline; ++i) {
    while (run.in_flight >= o.window && Clock::now() < deadline && !abandon_if_stalled()) {
      auto waiting = run.until_changed();
      co_await std::move(waiting);
    }
    const int job = (i / 3) % o.jobs;
    std::string target = fmt::format("/api/{}-stream?request_id={}",
                                     kKinds[static_cast<std::size_t>(i % 3)], job_id(job));
    ++run.in_flight;
    asio::co_spawn(io, sse_client(run, i, std::move(target)), asio::detached);
  }
  while (run.in_flight > 0 && Clock::now() < deadline) {
    abandon_if_stalled();
    auto waiting = run.until_changed();
    co_await std::move(waiting);
  }
  const double open_s =
      run.connected > 0 ? std::chrono::duration<double>(run.last_connected - start).count() : 0;
  const auto open_memory = server.memory();
  const auto open_cpu = server.cpu_seconds();
  auto asking_open = open_streams(run.server);
  const long streams_open = co_await std::move(asking_open);
  fmt::print("opened {} of {} streams in {:.2f} s ({:.0f}/s); server counts {} open\n",
             run.connected, o.streams, open_s, run.connected / std::max(open_s, 1e-9),
             streams_open);

  // Posting: all jobs at once, each bounded by 10 s and the deadline.
  const auto first_post = Clock::now();
  int posted = 0, answered = 0;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - first_post);
  const auto post_timeout = std::clamp<std::chrono::milliseconds>(
      left, std::chrono::milliseconds(1), std::chrono::seconds(10));
  for (int j = 0; j < o.jobs; ++j) {
    asio::co_spawn(io, post_job(run, j, post_timeout, posted, answered), asio::detached);
  }
  while (answered < o.jobs) {
    auto waiting = run.until_changed();
    co_await std::move(waiting);
  }
  const double post_s = seconds_since(first_post);
  fmt::print("posted {} of {} jobs in {:.3f} s\n", posted, o.jobs, post_s);

  // Reading: until every connected stream completed or ended, or the deadline.
  while (run.completed < run.connected && run.ended < run.connected && Clock::now() < deadline) {
    auto waiting = run.until_changed();
    co_await std::move(waiting);
  }
  const bool timed_out = run.completed < run.connected;
  const double complete_s =
      run.completed > 0 ? std::chrono::duration<double>(run.last_complete - first_post).count() : 0;
  // The server closes each stream after its completion event; give that a moment.
  const auto grace = std::min(Clock::now() + std::chrono::seconds(5), deadline);
  while (run.ended < run.connected && Clock::now() < grace) {
    auto waiting = run.until_changed();
    co_await std::move(waiting);
  }
  watchdog.cancel();
  run.close(false);
  const auto done_cpu = server.cpu_seconds();
  const auto end_memory = server.memory();
  const auto client_memory = self.memory();
  auto asking_end = open_streams(run.server);
  const long streams_end = co_await std::move(asking_end);
  sampler.stop = true;

  fmt::print("\nstreams requested {}, connected {}, failed {}, completed {}{}\n", o.streams,
             run.connected, run.failed, run.completed, timed_out ? " (NOT ALL: timeout)" : "");
  for (const auto& [reason, count] : run.failures) {
    fmt::print("  failed: {} x{}\n", reason, count);
  }
  if (abandoned > 0)
    fmt::print("  (abandoned after {} s without progress: {})\n", kStall.count(), abandoned);
  fmt::print("streams closed by the server: {}\n", run.closed_by_server);
  fmt::print("events received {}, lost (gaps in ids) {}, keep-alive comments {}\n", run.events,
             run.lost, run.heartbeats);
  fmt::print("time to open all streams {:.2f} s\n", open_s);
  fmt::print("first post to last stream complete {:.2f} s\n", complete_s);
  fmt::print("server streams open (/_health): {} with all open, {} at the end\n", streams_open,
             streams_end);
  const double idle_mb = mb_or_zero(idle), open_mb = mb_or_zero(open_memory);
  fmt::print("server RSS: idle {:.1f} MB, all streams open {:.1f} MB ({:.1f} KB/stream)\n", idle_mb,
             open_mb, (open_mb - idle_mb) * 1024 / std::max(run.connected, 1));
  fmt::print("server RSS: peak sampled {:.1f} MB ({} samples at 100 ms), VmHWM {:.1f} MB\n",
             sampler.peak_mb, sampler.samples, end_memory ? end_memory->hwm_mb : 0);
  if (open_cpu && done_cpu) {
    fmt::print("server CPU: {:.2f} s from its start until all streams were open, {:.2f} s after\n",
               *open_cpu, *done_cpu - *open_cpu);
  }
  fmt::print("client RSS {:.1f} MB (peak {:.1f} MB)\n", mb_or_zero(client_memory),
             client_memory ? client_memory->hwm_mb : 0);
  // Let the sampler see `stop` before the server goes.
  asio::steady_timer pause(io);
  pause.expires_after(std::chrono::milliseconds(150));
  co_await pause.async_wait(kTuple);
  print_exit(demo.child.stop());
  co_return 0;
}

}  // namespace
}  // namespace lbrec::bench

int main(int argc, char** argv) {
  using namespace lbrec::bench;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines show as they come
  fmt::print("client descriptor limit {}\n", raise_descriptor_limit());
  Options o;
  const Flags flags(argc, argv);
  flags.read("--streams", o.streams, 1);
  flags.read("--jobs", o.jobs, 1);
  flags.read("--timeout", o.timeout_s, 1.0);
  flags.read("--window", o.window, 1);
  flags.read("--lbrec", o.lbrec);
  asio::io_context io(1);
  return run(io, bench(io, o));
}
