#include "sources/tmdb/film_matcher.hpp"

#include <cstdlib>
#include <string>
#include <tuple>

#include "engine/title.hpp"

namespace lbrec::sources::tmdb {

namespace {

// Whole-word prefix: "birdman" of "birdman or the unexpected virtue of ignorance".
bool word_prefix(const std::string& shorter, const std::string& longer) {
  return !shorter.empty() && longer.size() > shorter.size() && longer.starts_with(shorter) &&
         longer[shorter.size()] == ' ';
}

}  // namespace

std::optional<Match> pick_match(std::string_view title, std::optional<int> year,
                                std::span<const domain::MovieSummary> results) {
  const std::string wanted = engine::normalize_title(title);
  if (wanted.empty()) return std::nullopt;
  std::optional<Match> best;
  // Lower is better: match kind, year distance, then higher popularity.
  std::tuple<int, int, double> best_rank{};
  for (const domain::MovieSummary& r : results) {
    const std::string t = engine::normalize_title(r.title);
    const std::string o = engine::normalize_title(r.original_title);
    const bool exact = t == wanted || o == wanted;
    const bool loose = !exact && (word_prefix(wanted, t) || word_prefix(t, wanted) ||
                                  word_prefix(wanted, o) || word_prefix(o, wanted));
    if (!exact && !loose) continue;
    const std::optional<int> ry = r.year();
    int distance = 0;
    if (year && ry) {
      distance = std::abs(*ry - *year);
    } else if (year || ry) {
      distance = 1;  // one side has no date: as uncertain as a year apart
    }
    MatchKind kind;
    if (exact && distance == 0) {
      kind = MatchKind::kExact;
    } else if (exact && distance <= 1) {
      kind = MatchKind::kNearYear;
    } else if (loose && distance == 0) {
      kind = MatchKind::kLoose;
    } else {
      continue;
    }
    const std::tuple<int, int, double> rank{static_cast<int>(kind), distance, -r.popularity};
    if (!best || rank < best_rank) {
      best = Match{r, kind};
      best_rank = rank;
    }
  }
  return best;
}

}  // namespace lbrec::sources::tmdb
