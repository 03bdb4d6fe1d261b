#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "domain/movie.hpp"
#include "domain/profile.hpp"
#include "sources/tmdb/film_matcher.hpp"
#include "sources/tmdb/tmdb_client.hpp"
#include "store/cache.hpp"
#include "store/single_flight.hpp"

namespace lbrec::sources::tmdb {

struct CatalogSettings {
  std::chrono::seconds identity_ttl{std::chrono::hours(24 * 30)};  // slug -> TMDB film
  std::chrono::seconds identity_miss_ttl{std::chrono::hours(24)};  // "not on TMDB"
  std::chrono::seconds details_ttl{std::chrono::hours(24)};        // the seed's ONE_DAY
  std::chrono::seconds details_miss_ttl{std::chrono::hours(6)};    // 404 movie ids
};

// What became of one Letterboxd film.
struct Identification {
  enum class Outcome {
    kIdentified,  // `movie` is the TMDB film
    kNotOnTmdb,   // no TMDB film matches safely
    kTvEntry,     // Letterboxd lists it, TMDB calls it TV: not a film to recommend from
  };
  Outcome outcome = Outcome::kNotOnTmdb;
  std::optional<domain::MovieSummary> movie;
  MatchKind match =
      MatchKind::kExact;  // how the film was found (kExact when the source gave the id)
  bool from_cache = false;
};

// How a batch of films fared, for logs and the job result.
struct IdentifyReport {
  int identified = 0;
  int not_on_tmdb = 0;
  int tv_entries = 0;
  int failed = 0;  // TMDB errors (unreachable, key rejected ...)
  int calls_saved_by_cache = 0;
};
IdentifyReport summarize(const std::vector<core::Result<Identification>>& results);

// TMDB identity and details with caching: a Letterboxd film (slug, title, year, or a TMDB id from
// RSS or its film page) becomes a TMDB film in at most two searches (none when the id is known:
// then one details call, which also fills the details cache); slug -> film is cached 30 days,
// misses 1 day; details (with neighbours and providers) 1 day, 404s 6 hours. Concurrent requests
// for one key make one call. For the I/O executor.
class MovieCatalog {
 public:
  MovieCatalog(TmdbClient& client, store::Cache& cache, CatalogSettings settings,
               const core::Clock& clock);

  // Upstream failures are errors; "no such film" is an Identification outcome.
  boost::asio::awaitable<core::Result<Identification>> identify(domain::FilmRef film);
  // kNotFound when TMDB has no movie with this id.
  boost::asio::awaitable<core::Result<domain::MovieDetails>> details(int tmdb_id);
  // The cached details, without any call; nullopt on a miss.
  boost::asio::awaitable<std::optional<domain::MovieDetails>> cached_details(int tmdb_id);

  std::uint64_t cache_hits() const { return cache_hits_.load(); }

 private:
  boost::asio::awaitable<core::Result<Identification>> resolve(std::string key,
                                                               domain::FilmRef film);
  boost::asio::awaitable<core::Result<Identification>> search(domain::FilmRef film);
  boost::asio::awaitable<core::Result<domain::MovieDetails>> fetch_details(int tmdb_id);

  TmdbClient& client_;
  store::Cache& cache_;
  CatalogSettings settings_;
  const core::Clock& clock_;
  store::SingleFlight<core::Result<Identification>> identify_flights_;
  store::SingleFlight<core::Result<domain::MovieDetails>> details_flights_;
  std::atomic<std::uint64_t> cache_hits_{0};
};

// The cache key a film's identity is stored under: its slug, else its normalised title and year.
std::string identity_key(const domain::FilmRef& film);

}  // namespace lbrec::sources::tmdb
