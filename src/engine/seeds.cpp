#include "engine/seeds.hpp"

#include <algorithm>

namespace lbrec::engine {

std::vector<std::size_t> select_seeds(std::span<const domain::WatchedFilm> films,
                                      const SeedPolicy& policy) {
  std::vector<std::size_t> seeds;
  for (std::size_t i = 0; i < films.size(); ++i) {
    const auto& f = films[i];
    if (f.film.is_tv) continue;
    if ((f.rating && *f.rating >= policy.min_half_stars) || (policy.likes && f.liked)) {
      seeds.push_back(i);
    }
  }
  // Strongest first: rating (a liked unrated film ranks with 4 stars), then liked, then recent.
  const auto strength = [&](std::size_t i) {
    const auto& f = films[i];
    return f.rating ? *f.rating : policy.min_half_stars;
  };
  std::stable_sort(seeds.begin(), seeds.end(), [&](std::size_t a, std::size_t b) {
    if (strength(a) != strength(b)) return strength(a) > strength(b);
    return films[a].liked && !films[b].liked;
  });
  if (!seeds.empty()) return seeds;
  // Nothing rated that high and nothing liked: their best-rated films, else their latest.
  for (std::size_t i = 0; i < films.size(); ++i) {
    if (!films[i].film.is_tv && films[i].rating) seeds.push_back(i);
  }
  std::stable_sort(seeds.begin(), seeds.end(), [&](std::size_t a, std::size_t b) {
    return *films[a].rating > *films[b].rating;
  });
  for (std::size_t i = 0; i < films.size() && seeds.empty(); ++i) {
    if (!films[i].film.is_tv) seeds.push_back(i);
  }
  if (seeds.empty()) return seeds;
  std::size_t keep = static_cast<std::size_t>(std::max(1, policy.fallback_recent));
  if (!films[seeds.front()].rating) {  // unrated: the most recent ones
    seeds.clear();
    for (std::size_t i = 0; i < films.size() && seeds.size() < keep; ++i) {
      if (!films[i].film.is_tv) seeds.push_back(i);
    }
  }
  if (seeds.size() > keep) seeds.resize(keep);
  return seeds;
}

}  // namespace lbrec::engine
