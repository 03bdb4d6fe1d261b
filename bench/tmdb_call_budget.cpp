// The TMDB call budget of one cold profile, counted by the fake world (/__stats), beside the
// count the seed's pipeline makes for the same profile. Profile: the fake world's `critic`
// (1,000 films, about 150 rated 4 stars or more). lbrec's flow: identify every film (one search,
// or one details call when RSS gave the TMDB id), one details call (neighbours, director and
// providers folded in) for each seed and each 3.5-star film, then details and streaming for the
// top of the candidate list (count 20 -> the seed's stop target of 30). The seed's flow: search +
// details per film; per 4-star film a `similar` call, then a details call and a provider look-up
// per neighbour it keeps (up to SIMILAR_RESULTS_PER_FILM = 12). Target: lbrec <= 40% of the seed;
// a warm second run makes no call. Run: build/release/bench/tmdb_call_budget

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <map>
#include <set>

#include "fakeworld/fake_world_server.hpp"
#include "net/circuit_breaker.hpp"
#include "net/host_gate.hpp"
#include "pipeline/profile_enricher.hpp"
#include "run_to_completion.hpp"
#include "sources/letterboxd/profile_scraper.hpp"
#include "sources/streaming/justwatch_client.hpp"
#include "sources/streaming/streaming_service.hpp"
#include "sources/tmdb/movie_catalog.hpp"
#include "store/tiered_cache.hpp"

namespace lbrec {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kMember = "critic";
constexpr std::string_view kCountry = "US";
constexpr int kCount = 20;              // recommendations asked for
constexpr int kTarget = kCount + 10;    // the seed's stop rule: count + max(5, count / 2)
constexpr int kNeighboursPerList = 20;  // lbrec: one TMDB page of each list, free
constexpr int kSeedNeighbours = 12;     // the seed's SIMILAR_RESULTS_PER_FILM
constexpr double kMinRating = 7.0;      // MIN_RECOMMEND_RATING
constexpr double kTmdbRate = 40;        // requests per second TMDB allows

using bench::run;

struct Upstreams {
  explicit Upstreams(asio::io_context& io, const std::string& base)
      : client(io.get_executor()),
        tmdb_gate(20, nullptr, net::timer_sleep()),
        jw_gate(8, nullptr, net::timer_sleep()),
        lb_gate(6, nullptr, net::timer_sleep()),
        breaker(5, std::chrono::seconds(180), clock),
        tmdb(retry(tmdb_gate),
             sources::tmdb::TmdbSettings{
                 base, sources::tmdb::TmdbCredential::detect(fakeworld::kFakeTmdbApiKey),
                 std::chrono::milliseconds(10000)}),
        cache(1'000'000, clock),
        catalog(tmdb, cache, sources::tmdb::CatalogSettings{}, clock),
        justwatch(retry(jw_gate),
                  sources::streaming::JustWatchSettings{base + "/graphql",
                                                        std::chrono::milliseconds(10000)}),
        streaming(&justwatch, {}, cache, sources::streaming::StreamingSettings{}, clock),
        fetcher(retry(lb_gate), breaker, nullptr, letterboxd(base)),
        scraper(fetcher) {}

  net::RetryContext retry(net::HostGate& gate) {
    return net::RetryContext{
        client, gate, net::RetryPolicy{}, net::timer_sleep(), clock, [] { return 0.5; }};
  }
  static sources::letterboxd::FetcherSettings letterboxd(const std::string& base) {
    sources::letterboxd::FetcherSettings s;
    s.base_url = base;
    return s;
  }

  const core::Clock& clock = core::RealClock::instance();
  net::HttpClient client;
  net::HostGate tmdb_gate, jw_gate, lb_gate;
  net::CircuitBreaker breaker;
  sources::tmdb::TmdbClient tmdb;
  store::TieredCache cache;
  sources::tmdb::MovieCatalog catalog;
  sources::streaming::JustWatchClient justwatch;
  sources::streaming::StreamingService streaming;
  sources::letterboxd::LetterboxdFetcher fetcher;
  sources::letterboxd::ProfileScraper scraper;
};

struct RunFigures {
  std::uint64_t tmdb = 0, justwatch = 0;
  std::uint64_t tmdb_before_first_seed = 0;  // calls made when the first seed was ready
  int films = 0, seeds = 0, with_details = 0, annotated = 0, identified = 0, not_found = 0, tv = 0;
  double seconds = 0;
};

// One job's TMDB and streaming work for `profile`, as lbrec does it.
asio::awaitable<RunFigures> job(Upstreams& up, fakeworld::FakeWorldServer& server,
                                domain::Profile profile) {
  RunFigures fig;
  const auto start = Clock::now();
  const auto tmdb0 = server.stats().family_total("tmdb");
  const auto jw0 = server.stats().family_total("justwatch");
  const pipeline::EnrichPolicy policy;
  bool first_seed = false;
  std::function<void(const pipeline::EnrichedFilm&)> on_film =
      [&](const pipeline::EnrichedFilm& f) {
        if (!first_seed && f.details && f.need == pipeline::FilmNeed::kSeed) {
          first_seed = true;
          fig.tmdb_before_first_seed = server.stats().family_total("tmdb") - tmdb0;
        }
      };
  const pipeline::EnrichedProfile enriched =
      co_await pipeline::enrich_profile(up.catalog, profile, policy, on_film);

  // Candidates: every seed's recommendations and similar lists (page 1), unseen, rated at least
  // MIN_RECOMMEND_RATING; ordered by how many seeds point at them, then TMDB rating. (The real
  // ranking is the engine's; only the number annotated matters for the budget.)
  std::set<int> seen;
  for (const auto& f : enriched.films) {
    if (f.movie) seen.insert(f.movie->tmdb_id);
  }
  std::map<int, std::pair<int, double>> votes;
  for (const auto& f : enriched.films) {
    fig.films += 1;
    fig.identified += f.movie.has_value();
    fig.not_found += f.outcome == sources::tmdb::Identification::Outcome::kNotOnTmdb;
    fig.tv += f.outcome == sources::tmdb::Identification::Outcome::kTvEntry;
    fig.with_details += f.details.has_value();
    if (!f.details || f.need != pipeline::FilmNeed::kSeed) continue;
    fig.seeds += 1;
    for (const auto* list : {&f.details->recommendations, &f.details->similar}) {
      for (std::size_t i = 0; i < list->size() && i < kNeighboursPerList; ++i) {
        const auto& c = (*list)[i];
        if (seen.contains(c.tmdb_id) || c.vote_average < kMinRating) continue;
        auto& v = votes[c.tmdb_id];
        v.first += 1;
        v.second = c.vote_average;
      }
    }
  }
  std::vector<std::pair<int, std::pair<int, double>>> ranked(votes.begin(), votes.end());
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  for (std::size_t i = 0; i < ranked.size() && i < kTarget; ++i) {
    auto details = co_await up.catalog.details(ranked[i].first);
    if (!details) continue;
    sources::streaming::FilmKey key{details->summary.tmdb_id, details->summary.title,
                                    details->summary.year()};
    std::string country(kCountry);
    std::optional<domain::ProviderTable> known = details->providers;
    const domain::Availability a =
        co_await up.streaming.availability(std::move(key), std::move(country), std::move(known));
    fig.annotated += !a.lookup_failed;
  }
  fig.tmdb = server.stats().family_total("tmdb") - tmdb0;
  fig.justwatch = server.stats().family_total("justwatch") - jw0;
  fig.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  co_return fig;
}

// What the seed's pipeline asks for the same profile.
struct SeedFigures {
  std::uint64_t low = 0;   // provider look-ups only for neighbours that pass its filters
  std::uint64_t high = 0;  // a provider look-up for every neighbour it fetched
};

SeedFigures seed_count(const fakeworld::World& world, const fakeworld::User& member) {
  SeedFigures s;
  std::set<int> seen;
  for (const auto& v : member.films)
    seen.insert(v.film);
  const std::uint64_t per_film = 2 * member.films.size();  // search + details
  s.low = s.high = per_film;
  for (const auto& v : member.films) {
    if (v.rating < 8) continue;  // the seed's 4-star rule
    s.low += 1;                  // /movie/{id}/similar
    s.high += 1;
    const auto similar = world.similar(v.film);
    const std::size_t taken = std::min<std::size_t>(kSeedNeighbours, similar.size());
    s.high += 2 * taken;  // details + provider look-up each
    s.low += taken;       // details each
    for (std::size_t i = 0; i < taken; ++i) {
      const auto& c = world.films()[static_cast<std::size_t>(similar[i])];
      if (!seen.contains(c.index) && c.vote_average >= kMinRating) s.low += 1;  // kept
    }
  }
  return s;
}

int main_impl() {
  fakeworld::FakeWorldServer server(fakeworld::World::generate({}));
  if (!server.start("127.0.0.1", 0)) {
    fmt::print(stderr, "fake world did not start\n");
    return 1;
  }
  const fakeworld::User& member = *server.world().user(kMember);
  asio::io_context io;
  Upstreams up(io, server.base_url());
  auto scraped = run(io, up.scraper.scrape(std::string(kMember)));
  if (!scraped.profile) {
    fmt::print(stderr, "scrape failed: {}\n", scraped.profile.error().message);
    return 1;
  }
  const domain::Profile profile = *scraped.profile;
  int with_ids = 0, four_plus = 0;
  for (const auto& f : profile.films) {
    with_ids += f.film.tmdb_id.has_value();
    four_plus += f.rating.value_or(0) >= 8;
  }

  const RunFigures cold = run(io, job(up, server, profile));
  const RunFigures warm = run(io, job(up, server, profile));
  const SeedFigures seed = seed_count(server.world(), member);
  const std::uint64_t lbrec_total = cold.tmdb + cold.justwatch;

  fmt::print("profile: {} ({} films, {} rated 4+ stars, {} with a TMDB id from RSS)\n", kMember,
             profile.films.size(), four_plus, with_ids);
  fmt::print(
      "identified {} / {} (not on TMDB {}, TV entries {}); details for {} films, {} seeds;"
      " {} recommendations annotated ({})\n",
      cold.identified, cold.films, cold.not_found, cold.tv, cold.with_details, cold.seeds,
      cold.annotated, kCountry);
  fmt::print("{:<44}{:>10}{:>12}{:>10}\n", "", "TMDB", "JustWatch", "total");
  fmt::print("{:<44}{:>10}{:>12}{:>10}\n", "lbrec, cold cache", cold.tmdb, cold.justwatch,
             lbrec_total);
  fmt::print("{:<44}{:>10}{:>12}{:>10}\n", "lbrec, warm second run", warm.tmdb, warm.justwatch,
             warm.tmdb + warm.justwatch);
  fmt::print("{:<44}{:>10}{:>12}{:>10}\n", "seed (provider look-ups for kept neighbours)", "", "",
             seed.low);
  fmt::print("{:<44}{:>10}{:>12}{:>10}\n", "seed (provider look-ups for every neighbour)", "", "",
             seed.high);
  fmt::print(
      "lbrec / seed: {:.1f}% of the lower seed count, {:.1f}% of the higher (target <= "
      "40%)\n",
      100.0 * static_cast<double>(lbrec_total) / static_cast<double>(seed.low),
      100.0 * static_cast<double>(lbrec_total) / static_cast<double>(seed.high));
  fmt::print("TMDB calls before the first seed's neighbours were known: {} (of {})\n",
             cold.tmdb_before_first_seed, cold.tmdb);
  fmt::print(
      "at TMDB's {:.0f} requests/s: lbrec's calls need >= {:.1f} s, the seed's >= {:.1f} s\n",
      kTmdbRate, static_cast<double>(cold.tmdb) / kTmdbRate,
      static_cast<double>(seed.low) / kTmdbRate);
  fmt::print("wall time on loopback, unpaced: cold {:.2f} s, warm {:.3f} s\n", cold.seconds,
             warm.seconds);
  server.stop();
  return (warm.tmdb + warm.justwatch == 0 && lbrec_total * 10 <= seed.low * 4) ? 0 : 2;
}

}  // namespace
}  // namespace lbrec

int main() {
  return lbrec::main_impl();
}
