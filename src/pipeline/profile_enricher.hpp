#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "domain/movie.hpp"
#include "domain/profile.hpp"
#include "sources/tmdb/movie_catalog.hpp"

namespace lbrec::pipeline {

// Which watched films matter before ranking. Seeds (the seed's rule: rated 4 stars or more, plus
// liked films) need their details call for their neighbour lists; films rated 3.5 stars or more
// need it for their director (the preferences' directors). Every other film only needs to be
// identified: its search result already gives genres and decade.
struct EnrichPolicy {
  int seed_min_half_stars = 8;      // 4 stars
  int director_min_half_stars = 7;  // 3.5 stars
  bool likes_are_seeds = true;
  int workers = 16;  // films worked on at once; the TMDB gate paces the calls themselves
};

bool is_seed(const domain::WatchedFilm& film, const EnrichPolicy& policy);
bool needs_details(const domain::WatchedFilm& film, const EnrichPolicy& policy);

// The order films are worked on: seeds first (highest rated, then liked), then the other films
// that need details, then the rest, most recently watched first. Indexes into profile.films.
std::vector<std::size_t> enrichment_order(const domain::Profile& profile,
                                          const EnrichPolicy& policy);

struct EnrichedFilm {
  domain::WatchedFilm watched;
  std::optional<domain::MovieSummary> movie;    // when identified
  std::optional<domain::MovieDetails> details;  // when needed and available
  sources::tmdb::Identification::Outcome outcome =
      sources::tmdb::Identification::Outcome::kNotOnTmdb;
  bool from_cache = false;           // identified without a call
  std::optional<core::Error> error;  // TMDB failed for this film
};

struct EnrichedProfile {
  std::vector<EnrichedFilm> films;  // in enrichment order
  sources::tmdb::IdentifyReport report;
  std::optional<core::Error> fatal;  // TMDB rejected the key: nothing more was asked
};

// Identifies every film of `profile` and fetches details where needed. A few films are worked on
// at a time in enrichment order, so the TMDB queue never holds more than `workers` requests ahead
// of a seed: the first seeds are ready within a few calls however large the profile is.
// `on_film`, when given, hears each film as it is finished.
boost::asio::awaitable<EnrichedProfile> enrich_profile(
    sources::tmdb::MovieCatalog& catalog, domain::Profile profile, EnrichPolicy policy,
    std::function<void(const EnrichedFilm&)> on_film = {});

}  // namespace lbrec::pipeline
