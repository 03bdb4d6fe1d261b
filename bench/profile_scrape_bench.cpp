// A 3,000-film profile scraped from the fake world with 150 ms per page, compared with the lower
// bound that pacing allows: the first page alone (it gives the page count), then the remaining
// requests no closer than LETTERBOXD_MIN_INTERVAL_S apart and at most SCRAPE_POOL_SIZE at once,
// the last one taking its latency. Target: measured <= 1.2 x bound.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cmath>

#include "fakeworld/fake_world_server.hpp"
#include "net/circuit_breaker.hpp"
#include "net/host_gate.hpp"
#include "sources/letterboxd/profile_scraper.hpp"

namespace lbrec {
namespace {

constexpr double kLatency = 0.150;      // seconds per page at the fake world
constexpr double kMinInterval = 0.150;  // the seed's spacing (LETTERBOXD_MIN_INTERVAL_S)
constexpr int kPool = 6;                // SCRAPE_POOL_SIZE

void BM_Scrape3000FilmProfile(benchmark::State& state) {
  fakeworld::FakeWorldServer server(
      fakeworld::World::generate({.seed = 42, .films = 5000, .users = 0}));
  if (!server.start("127.0.0.1", 0)) {
    state.SkipWithError("fake world did not start");
    return;
  }
  server.faults().set(fakeworld::Family::kLetterboxd,
                      fakeworld::FaultRule{fakeworld::FaultKind::kNone, 1.0, -1,
                                           static_cast<int>(kLatency * 1000)});
  const fakeworld::User& member = *server.world().user("marathoner");
  const int film_pages = static_cast<int>((member.films.size() + 71) / 72);
  const int watchlist_pages =
      std::max<int>(1, static_cast<int>((member.watchlist.size() + 27) / 28));
  const int requests = film_pages + watchlist_pages + 1;  // + the RSS feed

  std::size_t films = 0;
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    boost::asio::io_context io;
    net::HttpClient client(io.get_executor());
    const core::Clock& clock = core::RealClock::instance();
    auto bucket = std::make_shared<net::TokenBucket>(1.0 / kMinInterval, 1.0, clock);
    net::HostGate gate(kPool, bucket, net::timer_sleep());
    net::CircuitBreaker breaker(5, std::chrono::seconds(180), clock);
    net::RetryContext retry{
        client, gate, net::RetryPolicy{}, net::timer_sleep(), clock, [] { return 0.5; }};
    sources::letterboxd::FetcherSettings settings;
    settings.base_url = server.base_url();
    sources::letterboxd::LetterboxdFetcher fetcher(retry, breaker, nullptr, settings);
    sources::letterboxd::ProfileScraper scraper(fetcher);
    auto future = boost::asio::co_spawn(io, scraper.scrape("marathoner"), boost::asio::use_future);
    io.run();
    const auto out = future.get();
    if (!out.profile || !out.complete) {
      state.SkipWithError("scrape failed");
      return;
    }
    films = out.profile->films.size();
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  // Lower bound: page 1 (latency), then requests-1 starts paced by the bucket, with at most
  // kPool in flight, and the last one's latency.
  const double paced = (requests - 1) * kMinInterval;
  const double pooled = std::ceil((requests - 1) / static_cast<double>(kPool)) * kLatency;
  const double bound = kLatency + std::max(paced - kMinInterval, pooled - kLatency) + kLatency;
  const double measured =
      seconds / static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
  state.counters["films"] = static_cast<double>(films);
  state.counters["requests"] = requests;
  state.counters["bound_s"] = bound;
  state.counters["measured_s"] = measured;
  state.counters["x_bound"] = measured / bound;  // target <= 1.2
}
BENCHMARK(BM_Scrape3000FilmProfile)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

}  // namespace
}  // namespace lbrec
