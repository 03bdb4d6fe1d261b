// Latency of `POST /api/recommend` with "sync": true for a profile already in the cache (issue 6;
// target p99 <= 50 ms). Starts `lbrec demo` as a child process, sends one request for the user
// (cold: it reads the profile and warms the catalogue; --warmup W sends W in all, one at a time),
// then N more for the same user, country and count from C clients at once, each on its own
// kept-alive connection. Prints the cold latency and min/p50/p90/p99/max of the measured ones.
// Never fails on timing: exit 1 only when the server cannot be started or a warm-up request fails.
// Run: build/release/bench/sync_latency [--lbrec PATH] [--requests N] [--concurrency C]
//      [--warmup W] [--user NAME] [--count K] [--country CC] [--timeout S]

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "flags.hpp"
#include "http_client.hpp"
#include "run_to_completion.hpp"

namespace lbrec::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string lbrec = LBREC_BINARY;
  int requests = 200;
  int concurrency = 1;
  int warmup = 1;  // requests before measuring; the first is the cold one
  std::string user = "demo";
  int count = 20;
  std::string country = "US";
  double timeout_s = 300;
};

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct Shared {
  tcp::endpoint server;
  std::string body;
  Clock::time_point deadline;
  int next = 0;  // requests handed out
  int total = 0;
  std::vector<double> latencies_ms;
  int errors = 0;
  std::string first_error;
  void error(std::string what) {
    if (errors++ == 0) first_error = std::move(what);
  }
  int connections = 0;
  std::size_t reply_bytes = 0;
  int clients_running = 0;
};

std::chrono::milliseconds remaining(const Shared& s) {
  return std::max(std::chrono::milliseconds(1),
                  std::chrono::duration_cast<std::chrono::milliseconds>(s.deadline - Clock::now()));
}

// One client: takes the next request while any remain, on one connection kept alive (a new one
// only when the server closes it or a request fails).
asio::awaitable<void> client(Shared& s) {
  std::optional<beast::tcp_stream> stream;
  while (s.next < s.total && Clock::now() < s.deadline) {
    if (!stream) {
      std::string error;
      auto connecting = connect(s.server, std::chrono::seconds(5), error);
      auto connected = co_await std::move(connecting);
      if (!connected) {
        s.error(error);
        break;
      }
      stream.emplace(std::move(*connected));  // tcp_stream can be moved from, not assigned
      ++s.connections;
    }
    ++s.next;
    const auto start = Clock::now();
    auto asking = exchange(*stream, http::verb::post, "/api/recommend", s.body, remaining(s));
    const auto reply = co_await std::move(asking);
    const double ms = ms_since(start);
    if (reply.status != 200) {
      s.error(reply.status != 0 ? fmt::format("{} {}", reply.status, reply.body.substr(0, 200))
                                : reply.error);
      stream.reset();
      continue;
    }
    s.latencies_ms.push_back(ms);
    s.reply_bytes = reply.body.size();
    if (!reply.keep_alive) stream.reset();
  }
  --s.clients_running;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

asio::awaitable<int> bench(asio::io_context& io, const Options& o) {
  Demo demo;
  const std::string log = fmt::format("/tmp/lbrec-sync-latency-{}.log", getpid());
  auto starting = start_demo(demo, o.lbrec, bench_environment(), log, std::chrono::seconds(30));
  if (!co_await std::move(starting)) co_return 1;
  fmt::print("server: {} demo, pid {}, port {}, log {}\n", o.lbrec, demo.child.pid(),
             demo.endpoint.port(), log);

  Shared s;
  s.server = demo.endpoint;
  s.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(o.timeout_s));
  s.body = fmt::format(R"({{"username":"{}","country":"{}","count":{},"sync":true}})", o.user,
                       o.country, o.count);
  s.total = o.requests;
  fmt::print("request: POST /api/recommend {}\n", s.body);

  // Warm-up: the first request is the cold one; with --warmup W, W - 1 more follow, because each
  // job with a count stops exploring once its top settles and the next one goes further.
  std::vector<double> warmup_ms;
  std::size_t cold_bytes = 0;
  for (int i = 0; i < o.warmup; ++i) {
    const auto sent = Clock::now();
    auto asking = fetch(s.server, http::verb::post, "/api/recommend", s.body, remaining(s));
    const auto reply = co_await std::move(asking);
    warmup_ms.push_back(ms_since(sent));
    if (reply.status != 200) {
      fmt::print(stderr, "warm-up request {} failed: {}\n", i + 1,
                 reply.status != 0 ? fmt::format("{} {}", reply.status, reply.body.substr(0, 200))
                                   : reply.error);
      print_exit(demo.child.stop());
      co_return 1;
    }
    if (i == 0) cold_bytes = reply.body.size();
  }
  fmt::print("cold (first request, profile read and catalogue warmed): {:.1f} ms, {} bytes\n",
             warmup_ms.front(), cold_bytes);
  if (o.warmup > 1) {
    double sum = 0;
    for (std::size_t i = 1; i < warmup_ms.size(); ++i)
      sum += warmup_ms[i];
    fmt::print("warm-up: {} more requests, {:.1f} s, the last {:.1f} ms\n", o.warmup - 1,
               sum / 1000, warmup_ms.back());
  }

  const ProcProbe server(demo.child.pid());
  const auto cpu_before = server.cpu_seconds();
  asio::steady_timer done(io);
  const auto start = Clock::now();
  s.clients_running = o.concurrency;
  for (int c = 0; c < o.concurrency; ++c)
    asio::co_spawn(io, client(s), asio::detached);
  while (s.clients_running > 0) {
    done.expires_after(std::chrono::milliseconds(5));
    co_await done.async_wait(kTuple);
  }
  const double wall_s = ms_since(start) / 1000;
  const auto cpu_after = server.cpu_seconds();

  std::vector<double> sorted = s.latencies_ms;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (const double v : sorted)
    sum += v;
  fmt::print(
      "warm: {} requests from {} client(s), {} ok, {} errors, {} connection(s), {:.2f} s, "
      "{:.1f} requests/s, {} bytes each\n",
      o.requests, o.concurrency, sorted.size(), s.errors, s.connections, wall_s,
      static_cast<double>(sorted.size()) / std::max(wall_s, 1e-9), s.reply_bytes);
  if (s.errors > 0) fmt::print("first error: {}\n", s.first_error);
  fmt::print(
      "latency ms: min {:.2f}  p50 {:.2f}  p90 {:.2f}  p99 {:.2f}  max {:.2f}  mean {:.2f}\n",
      sorted.empty() ? 0 : sorted.front(), percentile(sorted, 50), percentile(sorted, 90),
      percentile(sorted, 99), sorted.empty() ? 0 : sorted.back(),
      sorted.empty() ? 0 : sum / static_cast<double>(sorted.size()));
  fmt::print("target p99 <= 50 ms: {}\n", percentile(sorted, 99) <= 50 ? "met" : "missed");
  if (cpu_before && cpu_after && !sorted.empty()) {
    fmt::print("server CPU {:.1f} ms per warm request ({:.0f}% of one core)\n",
               (*cpu_after - *cpu_before) * 1000 / static_cast<double>(sorted.size()),
               (*cpu_after - *cpu_before) * 100 / std::max(wall_s, 1e-9));
  }
  if (const auto m = server.memory()) {
    fmt::print("server RSS {:.1f} MB (peak {:.1f} MB)\n", m->rss_mb, m->hwm_mb);
  }
  print_exit(demo.child.stop());
  co_return 0;
}

int main_impl(int argc, char** argv) {
  Options o;
  const Flags flags(argc, argv);
  flags.read("--lbrec", o.lbrec);
  flags.read("--requests", o.requests, 1);
  flags.read("--concurrency", o.concurrency, 1);
  flags.read("--warmup", o.warmup, 1);
  flags.read("--user", o.user);
  flags.read("--count", o.count, 1);
  flags.read("--country", o.country);
  flags.read("--timeout", o.timeout_s, 1.0);
  asio::io_context io(1);
  return run(io, bench(io, o));
}

}  // namespace
}  // namespace lbrec::bench

int main(int argc, char** argv) {
  return lbrec::bench::main_impl(argc, argv);
}
