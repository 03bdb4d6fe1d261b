#pragma once

#include <span>
#include <vector>

#include "engine/watched_movie.hpp"

namespace lbrec::engine {

// Which films candidates are drawn from. The seed's rule is "rated 4 stars or more"; liked films
// count too. A member with none of those falls back to their best-rated films, and a member who
// rates nothing to their most recent watches.
struct SeedPolicy {
  int min_half_stars = 8;
  bool likes = true;
  int fallback_recent = 10;  // how many films stand in when nothing qualifies
};

// Indexes into `films`, strongest first (rating, then liked, then most recent: `films` is in
// most-recent-first order).
std::vector<std::size_t> select_seeds(std::span<const domain::WatchedFilm> films,
                                      const SeedPolicy& policy = {});

}  // namespace lbrec::engine
