#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "net/circuit_breaker.hpp"
#include "sources/letterboxd/profile_codec.hpp"
#include "sources/letterboxd/profile_scraper.hpp"
#include "store/cache.hpp"
#include "store/single_flight.hpp"

namespace lbrec::sources::letterboxd {

struct ProfileSettings {
  std::chrono::seconds fresh_ttl{1800};       // PROFILE_FRESH_TTL_S: served without re-fetching
  std::chrono::seconds stale_ttl{7 * 86400};  // PROFILE_STALE_TTL_S: kept for when we are blocked
};

// A member's profile as the pipeline receives it.
struct ProfileResult {
  ProfileSnapshot snapshot;
  // Served from the last good snapshot because live fetching failed: the API adds
  // data_freshness "stale_cache", a hint and the incident.
  bool stale = false;
  bool from_cache = false;
  bool complete = true;  // false: a partial scrape, shown this once and not cached
  std::optional<net::BreakerSnapshot> incident;  // set when stale
  std::chrono::nanoseconds snapshot_age{0};
};

// Profiles by username, cached: a snapshot younger than fresh_ttl is served as is; otherwise the
// profile is scraped (one scrape however many requests arrive at once) and cached when complete.
// When scraping fails because Letterboxd blocks, throttles or is unreachable, a snapshot younger
// than stale_ttl is served, marked stale; with none, the error goes up (kBlocked/kRateLimited/
// kUnavailable: the API answers 503 with Retry-After; kNotFound: 404).
class ProfileService {
 public:
  ProfileService(ProfileScraper& scraper, store::Cache& cache, net::CircuitBreaker& breaker,
                 ProfileSettings settings, const core::Clock& clock);

  // `on_films` hears each /films/ page as it is read when this call scrapes (not when the profile
  // comes from the cache or from a scrape another caller started).
  boost::asio::awaitable<core::Result<ProfileResult>> get(std::string username,
                                                          FilmsSeen on_films = {});
  std::size_t scrapes() const { return flights_.runs(); }

 private:
  boost::asio::awaitable<core::Result<ProfileResult>> refresh(std::string key, std::string username,
                                                              FilmsSeen on_films);

  ProfileScraper& scraper_;
  store::Cache& cache_;
  net::CircuitBreaker& breaker_;
  ProfileSettings settings_;
  const core::Clock& clock_;
  store::SingleFlight<core::Result<ProfileResult>> flights_;
};

}  // namespace lbrec::sources::letterboxd
