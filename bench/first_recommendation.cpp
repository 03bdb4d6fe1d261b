// Time to the first recommendation and total time for a cold 1,000-film profile (the fake
// world's `critic`), through the whole stack as `lbrec` wires it, with the fake world answering
// Letterboxd after 150 ms and TMDB and JustWatch after 60 ms, and TMDB paced at its real limit
// (TMDB_RATE_LIMIT=40). Then the same job again on the warm cache. Targets: first
// recommendation <= 3 s. Run: build/release/bench/first_recommendation [--count N]
// [--letterboxd-interval S] [--seeds-before-first N]

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdlib>
#include <string>

#include "app/services.hpp"
#include "fakeworld/fake_world_server.hpp"
#include "pipeline/recommend_job.hpp"
#include "run_to_completion.hpp"

namespace lbrec {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct Timing : pipeline::JobEvents {
  Clock::time_point start = Clock::now();
  std::optional<double> first_rec, first_seed, profile_read;
  int recs = 0;
  double since() const { return std::chrono::duration<double>(Clock::now() - start).count(); }
  void log(std::string_view line) override {
    if (!profile_read && line.starts_with("Found ")) profile_read = since();
  }
  void status(const pipeline::SeedStatus&) override {
    if (!first_seed) first_seed = since();
  }
  void recommendation(const domain::Recommendation&) override {
    if (!first_rec) first_rec = since();
    ++recs;
  }
};

using bench::run;

int main_impl(int argc, char** argv) {
  int count = 0;
  double interval = -1;
  int burst = 0;
  int seeds_before = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--count") count = std::atoi(argv[i + 1]);
    if (flag == "--letterboxd-interval") interval = std::atof(argv[i + 1]);
    if (flag == "--letterboxd-burst") burst = std::atoi(argv[i + 1]);
    if (flag == "--seeds-before-first") seeds_before = std::atoi(argv[i + 1]);
  }
  fakeworld::FakeWorldServer server(fakeworld::World::generate({}));
  if (auto started = server.start("127.0.0.1", 0); !started) {
    fmt::print(stderr, "cannot start the fake world: {}\n", started.error().message);
    return 1;
  }
  using fakeworld::Family;
  server.faults().set(Family::kLetterboxd,
                      fakeworld::FaultRule{fakeworld::FaultKind::kNone, 1.0, -1, 150});
  server.faults().set(Family::kTmdb,
                      fakeworld::FaultRule{fakeworld::FaultKind::kNone, 1.0, -1, 60});
  server.faults().set(Family::kJustWatch,
                      fakeworld::FaultRule{fakeworld::FaultKind::kNone, 1.0, -1, 60});

  core::Config c;
  c.tmdb_key = std::string(fakeworld::kFakeTmdbApiKey);
  c.tmdb_base_url = server.base_url();
  c.justwatch_url = server.base_url() + "/graphql";
  c.letterboxd_base_url = server.base_url();
  c.browser_path = "/nonexistent";
  if (interval >= 0) c.letterboxd_min_interval_s = interval;
  if (burst > 0) c.letterboxd_burst = burst;
  asio::io_context io;
  app::Services services(c, io);
  if (seeds_before >= 0) services.settings.seeds_before_first_emit = seeds_before;

  pipeline::JobRequest request;
  request.username = "critic";
  request.country = "US";
  request.count = count;
  fmt::print(
      "profile: critic ({} films); latency Letterboxd 150 ms, TMDB/JustWatch 60 ms; "
      "TMDB_RATE_LIMIT={}, LETTERBOXD_MIN_INTERVAL_S={}, LETTERBOXD_BURST={}, count={}\n",
      server.world().user("critic")->films.size(), c.tmdb_rate_limit, c.letterboxd_min_interval_s,
      c.letterboxd_burst, count);
  fmt::print("{:<6} {:>13} {:>11} {:>16} {:>9} {:>6} {:>11}\n", "run", "profile read", "first seed",
             "first recommend.", "total", "recs", "TMDB calls");
  bool met = true;
  for (const char* name : {"cold", "warm"}) {
    const auto before = server.stats().family_total("tmdb");
    const auto searches = server.stats().route_total("tmdb.search");
    const auto movies = server.stats().route_total("tmdb.movie");
    Timing timing;
    const pipeline::JobResult r = run(
        io,
        pipeline::run_recommend_job(request, services.job_services(), services.settings, timing));
    if (r.error) {
      fmt::print(stderr, "job failed: {}\n", r.error->message);
      return 1;
    }
    const double total = timing.since();
    fmt::print("{:<6} {:>12.2f}s {:>10.2f}s {:>15.2f}s {:>8.2f}s {:>6} {:>11}\n", name,
               timing.profile_read.value_or(-1), timing.first_seed.value_or(-1),
               timing.first_rec.value_or(-1), total, r.recommendations.size(),
               server.stats().family_total("tmdb") - before);
    if (!timing.first_rec || *timing.first_rec > 3.0) met = false;
    if (std::string_view(name) == "warm") {
      fmt::print("warm run: {} searches, {} movie calls\n",
                 server.stats().route_total("tmdb.search") - searches,
                 server.stats().route_total("tmdb.movie") - movies);
    }
  }
  fmt::print("first recommendation target <= 3 s: {}\n", met ? "met" : "MISSED");
  server.stop();
  return met ? 0 : 1;
}

}  // namespace
}  // namespace lbrec

int main(int argc, char** argv) {
  return lbrec::main_impl(argc, argv);
}
