#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/profile.hpp"
#include "domain/recommendation.hpp"
#include "net/circuit_breaker.hpp"

namespace lbrec::pipeline {

// What one recommendation job is asked to do.
struct JobRequest {
  std::string username;                    // validated by the caller
  std::optional<domain::Profile> profile;  // from an export ZIP: no Letterboxd fetch
  std::string country = "CL";              // ISO code, validated by the caller
  int count = 0;                           // wanted recommendations; 0: the default list length
  bool include_streaming = true;
  bool include_watchlist = false;    // keep watchlisted films, flagged
  std::optional<double> min_rating;  // overrides MIN_RECOMMEND_RATING
};

// How far a job has come, for progress bars.
struct Progress {
  int pages = 0;            // Letterboxd pages read (or 1 for an export)
  int films = 0;            // films in the profile
  int identified = 0;       // films worked through on TMDB (identified or not)
  int seeds = 0;            // seed films
  int seeds_explored = 0;   // seeds whose neighbours are in the ranking
  int recommendations = 0;  // recommendation events emitted
};

// The film being explored, as the seed's status stream reports it.
struct SeedStatus {
  std::string title;
  std::optional<double> user_rating;  // stars (0.5 .. 5), when rated
  std::string username;
};

// The outcome of a job: the payload's content, or the error that ended it.
struct JobResult {
  std::string username;
  std::string country_code;
  std::string country_name;
  int pages = 0;
  domain::Preferences preferences;
  std::vector<domain::Recommendation> recommendations;  // the final ranking, best first
  // The profile came from the last good snapshot because Letterboxd blocked us.
  bool stale = false;
  std::optional<net::BreakerSnapshot> incident;
  // Counts for logs and the CLI.
  int films = 0;
  int identified = 0;
  int not_on_tmdb = 0;
  int seeds = 0;
  int seeds_explored = 0;
  bool cancelled = false;
  std::optional<core::Error> error;  // set when the job failed; the rest is then empty
};

}  // namespace lbrec::pipeline
