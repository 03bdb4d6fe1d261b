#pragma once

#include <optional>

#include "domain/movie.hpp"
#include "domain/profile.hpp"

namespace lbrec::engine {

// A film from the member's history with what TMDB told about it: `movie` once identified,
// `details` (credits, neighbour lists) for the films whose details were fetched.
struct WatchedMovie {
  domain::WatchedFilm watched;
  std::optional<domain::MovieSummary> movie;
  std::optional<domain::MovieDetails> details;
};

}  // namespace lbrec::engine
