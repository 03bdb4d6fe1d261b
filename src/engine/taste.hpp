#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "domain/recommendation.hpp"
#include "engine/watched_movie.hpp"

namespace lbrec::engine {

// How much a member likes a trait (a genre, a decade, a director) relative to their own average:
// the mean of (rating - member mean) over their rated films with the trait, shrunk towards 0 by
// a prior worth `kAffinityPrior` films, in stars. Positive: they rate such films above their
// average.
inline constexpr double kAffinityPrior = 4.0;

struct Taste {
  double mean_stars = 3.5;  // over rated films; 3.5 when none are rated
  int rated = 0;
  std::map<int, double> genre;             // genre id -> affinity
  std::map<int, double> decade;            // 1990 -> affinity
  std::map<std::string, double> director;  // name -> affinity
};

Taste build_taste(std::span<const WatchedMovie> films);

// The seed's top-3 genres, directors and decades (genres and decades over every identified film,
// directors over films with credits), plus the rating-weighted versions.
domain::Preferences preferences_of(std::span<const WatchedMovie> films, const Taste& taste);

// "1990s" for 1994.
std::string decade_label(int year);

}  // namespace lbrec::engine
