#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "domain/movie.hpp"

namespace lbrec::sources::tmdb {

// How sure an identification is.
enum class MatchKind {
  kExact,     // same normalised title (or original title), same year
  kNearYear,  // same normalised title, a year apart (festival premiere vs release), or no year
  kLoose,     // TMDB's title starts with Letterboxd's or the reverse ("Birdman" / "Birdman or
              // (The Unexpected ...)"), same year
};

struct Match {
  domain::MovieSummary movie;
  MatchKind kind = MatchKind::kExact;
};

// Picks the film a Letterboxd entry (title, year) names among TMDB search results, or nothing
// when none is a safe match. Titles are compared normalised (engine::normalize_title: accents,
// punctuation, case). With a year, a same-title film from another decade is never taken, so a
// remake resolves to its own year. Ties go to the most popular film.
std::optional<Match> pick_match(std::string_view title, std::optional<int> year,
                                std::span<const domain::MovieSummary> results);

}  // namespace lbrec::sources::tmdb
