#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "domain/streaming.hpp"
#include "net/circuit_breaker.hpp"
#include "sources/streaming/justwatch_client.hpp"
#include "store/cache.hpp"
#include "store/single_flight.hpp"

namespace lbrec::sources::streaming {

// The film whose availability is asked for.
struct FilmKey {
  int tmdb_id = 0;  // 0 when unknown: JustWatch is matched by title and year only, TMDB not asked
  std::string title;
  std::optional<int> year;
};

// TMDB's watch/providers for a movie id (every country at once). kNotFound when TMDB does not
// know the id.
using TmdbProvidersFn =
    std::function<boost::asio::awaitable<core::Result<domain::ProviderTable>>(int tmdb_id)>;

struct StreamingSettings {
  bool justwatch_enabled = true;              // JUSTWATCH_ENABLED
  std::chrono::seconds found_ttl{6 * 3600};   // an answer from a source
  std::chrono::seconds failed_ttl{2 * 3600};  // no source could answer (lookup_failed)
  int justwatch_results = 5;                  // search hits asked for
  int breaker_threshold = 5;                  // consecutive JustWatch failures that open it
  std::chrono::seconds breaker_cooldown{300};
};

// Where a film streams in a country. JustWatch is asked first (while enabled and its circuit is
// closed); when it fails or does not list the film, TMDB's watch/providers answers: the table the
// caller already has, else one fetched through `tmdb`. Answers are cached per film and country
// (found_ttl, or failed_ttl when no source could answer) and concurrent identical lookups share
// one. An unsupported country is answered lookup_failed without asking anyone.
class StreamingService {
 public:
  // `justwatch` may be null (no JustWatch at all); `tmdb` may be empty (no TMDB fetches).
  StreamingService(JustWatchClient* justwatch, TmdbProvidersFn tmdb, store::Cache& cache,
                   StreamingSettings settings, const core::Clock& clock);

  boost::asio::awaitable<domain::Availability> availability(
      FilmKey film, std::string country,
      std::optional<domain::ProviderTable> known_tmdb = std::nullopt);

  std::uint64_t justwatch_calls() const { return justwatch_calls_.load(); }
  // Answers taken from TMDB data (the caller's table or a fetched one).
  std::uint64_t tmdb_fallbacks() const { return tmdb_fallbacks_.load(); }
  // Calls of the TmdbProvidersFn.
  std::uint64_t tmdb_calls() const { return tmdb_calls_.load(); }
  std::uint64_t cache_hits() const { return cache_hits_.load(); }
  const net::CircuitBreaker& justwatch_breaker() const { return breaker_; }

 private:
  boost::asio::awaitable<domain::Availability> lookup(
      std::string key, FilmKey film, std::string country,
      std::optional<domain::ProviderTable> known_tmdb);
  // The film's offers from JustWatch; nullopt when JustWatch was not asked, failed or did not
  // list the film.
  boost::asio::awaitable<std::optional<std::vector<domain::StreamingOffer>>> ask_justwatch(
      FilmKey film, std::string country);
  // The film's offers from TMDB; nullopt when TMDB could not be asked or failed.
  boost::asio::awaitable<std::optional<std::vector<domain::StreamingOffer>>> ask_tmdb(
      int tmdb_id, std::string country, std::optional<domain::ProviderTable> known_tmdb);
  boost::asio::awaitable<void> remember(std::string key, domain::Availability answer);

  JustWatchClient* justwatch_;
  TmdbProvidersFn tmdb_;
  store::Cache& cache_;
  StreamingSettings settings_;
  net::CircuitBreaker breaker_;
  store::SingleFlight<domain::Availability> flights_;
  std::atomic<std::uint64_t> justwatch_calls_{0};
  std::atomic<std::uint64_t> tmdb_fallbacks_{0};
  std::atomic<std::uint64_t> tmdb_calls_{0};
  std::atomic<std::uint64_t> cache_hits_{0};
};

// The JustWatch search hit that is `film`: the movie with the film's TMDB id, else a movie with
// the same normalised title released within a year of it (hits with another known TMDB id are
// other films). nullptr when none is.
const JustWatchTitle* match_title(const std::vector<JustWatchTitle>& hits, const FilmKey& film);

}  // namespace lbrec::sources::streaming
