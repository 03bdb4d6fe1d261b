#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "domain/movie.hpp"
#include "domain/profile.hpp"
#include "engine/seeds.hpp"
#include "sources/tmdb/movie_catalog.hpp"

namespace lbrec::pipeline {

// Which watched films matter before ranking. Seeds (engine::select_seeds: rated 4 stars or more,
// or liked, with its fallbacks) need their details call for their neighbour lists; films rated
// 3.5 stars or more need it for their director (the preferences' directors); a few of the films
// rated lowest (2 stars or less) need it so the ranking can tell what the member disliked. Every
// other film only needs to be identified: its search result already gives genres and decade.
struct EnrichPolicy {
  engine::SeedPolicy seeds;
  int director_min_half_stars = 7;  // 3.5 stars
  int disliked_max_half_stars = 4;  // 2 stars
  int disliked_films = 20;          // at most this many, lowest rated first
  int workers = 8;  // films worked on at once: enough to keep TMDB's 40/s busy at 150 ms latency
};

enum class FilmNeed : std::uint8_t {
  kIdentify,  // a search (or nothing, when cached) is enough
  kDetails,   // its details call is wanted (director, neighbours)
  kSeed,      // details wanted, and its neighbours are candidates
};

// The work for one profile: what each film needs (by profile index) and the order films are
// worked on: seeds strongest first, then the other films wanting details (best rated first, then
// the disliked ones), then the rest, most recently watched first.
struct EnrichPlan {
  std::vector<FilmNeed> need;
  std::vector<std::size_t> order;
  std::size_t seeds = 0;
};
EnrichPlan plan_enrichment(const domain::Profile& profile, const EnrichPolicy& policy);

struct EnrichedFilm {
  std::size_t profile_index = 0;  // where it is in the profile's film list
  domain::WatchedFilm watched;
  std::optional<domain::MovieSummary> movie;    // when identified
  std::optional<domain::MovieDetails> details;  // when needed and available
  FilmNeed need = FilmNeed::kIdentify;
  sources::tmdb::Identification::Outcome outcome =
      sources::tmdb::Identification::Outcome::kNotOnTmdb;
  bool from_cache = false;           // identified without a call
  std::optional<core::Error> error;  // TMDB failed for this film
};

struct EnrichedProfile {
  std::vector<EnrichedFilm> films;  // in enrichment order (only those worked on, when stopped)
  sources::tmdb::IdentifyReport report;
  std::optional<core::Error> fatal;  // TMDB rejected the key: nothing more was asked
};

// Identifies every film of `profile` and fetches details where needed. A few films are worked on
// at a time in enrichment order, so the TMDB queue never holds more than `workers` requests ahead
// of a seed: the first seeds are ready within a few calls however large the profile is.
// `on_film`, when given, hears each film as it is finished; once `should_stop` (when given)
// answers true, no further film is started and the films never started are left out.
boost::asio::awaitable<EnrichedProfile> enrich_profile(
    sources::tmdb::MovieCatalog& catalog, domain::Profile profile, EnrichPolicy policy,
    std::function<void(const EnrichedFilm&)> on_film = {}, std::function<bool()> should_stop = {});

}  // namespace lbrec::pipeline
