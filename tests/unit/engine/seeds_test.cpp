#include "engine/seeds.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace lbrec::engine {
namespace {

using Indexes = std::vector<std::size_t>;

// One entry of a history, most recent first like the member's films page.
domain::WatchedFilm film(std::optional<int> half_stars, bool liked = false, bool tv = false) {
  static int next = 1;
  domain::WatchedFilm w;
  w.film.title = "Film " + std::to_string(next);
  w.film.slug = "film-" + std::to_string(next);
  w.film.tmdb_id = next++;
  w.film.is_tv = tv;
  w.rating = half_stars;
  w.liked = liked;
  return w;
}

domain::WatchedFilm tv(std::optional<int> half_stars, bool liked = false) {
  return film(half_stars, liked, true);
}

// ---------------------------------------------------------------------------------------------
// The seed's rule: 4 stars or more, and liked films

TEST(SelectSeeds, FourStarsOrMoreAndLikedFilms) {
  const std::vector<domain::WatchedFilm> films = {
      film(7),         // 0: 3.5 stars: not a seed
      film(8),         // 1: 4 stars
      film({}),        // 2: unrated
      film(4, true),   // 3: liked, though rated 2 stars
      film({}, true),  // 4: liked, unrated
      film(10),        // 5
      film(1),         // 6
  };
  const Indexes seeds = select_seeds(films);
  ASSERT_EQ(seeds.size(), 4u);
  for (std::size_t i : {1u, 3u, 4u, 5u})
    EXPECT_NE(std::find(seeds.begin(), seeds.end(), i), seeds.end()) << "index " << i;
}

TEST(SelectSeeds, StrongestFirstByRatingThenLikedThenMostRecent) {
  const std::vector<domain::WatchedFilm> films = {
      film(8),         // 0: 4 stars
      film(9),         // 1: 4.5 stars
      film(8, true),   // 2: 4 stars, liked: before the unliked 4-star films
      film(10),        // 3: 5 stars
      film(8),         // 4: 4 stars, older than 0
      film(10, true),  // 5: 5 stars, liked: before film 3
      film(9),         // 6: 4.5 stars, older than 1
  };
  EXPECT_EQ(select_seeds(films), (Indexes{5, 3, 1, 6, 2, 0, 4}));
}

TEST(SelectSeeds, LikedUnratedFilmRanksWithFourStars) {
  const std::vector<domain::WatchedFilm> films = {
      film(8),         // 0: 4 stars, not liked
      film({}, true),  // 1: liked, unrated: as strong as 4 stars, and liked
      film(9),         // 2
      film(6, true),   // 3: liked, rated 3 stars
  };
  EXPECT_EQ(select_seeds(films), (Indexes{2, 1, 0, 3}));
}

TEST(SelectSeeds, TvEntriesAreNeverSeeds) {
  const std::vector<domain::WatchedFilm> films = {
      tv(10, true),  // 0
      film(8),       // 1
      tv(9),         // 2
      tv({}, true),  // 3
  };
  EXPECT_EQ(select_seeds(films), (Indexes{1}));
}

TEST(SelectSeeds, QualifyingSeedsAreNotBoundedByTheFallbackSize) {
  std::vector<domain::WatchedFilm> films;
  for (int i = 0; i < 15; ++i)
    films.push_back(film(10));
  const Indexes seeds = select_seeds(films, {.fallback_recent = 3});
  EXPECT_EQ(seeds.size(), 15u);
}

TEST(SelectSeeds, MinHalfStarsIsThePolicys) {
  const std::vector<domain::WatchedFilm> films = {film(8), film(9), film(10)};
  EXPECT_EQ(select_seeds(films, {.min_half_stars = 9}), (Indexes{2, 1}));
}

// ---------------------------------------------------------------------------------------------
// Fallbacks

TEST(SelectSeeds, NothingFourStarsOrLikedFallsBackToBestRated) {
  const std::vector<domain::WatchedFilm> films = {
      film(6),   // 0
      film(3),   // 1
      film({}),  // 2: unrated films do not stand in while rated ones exist
      film(7),   // 3
      tv(7),     // 4: never
      film(6),   // 5: ties keep the most recent first
      film(5),   // 6
  };
  EXPECT_EQ(select_seeds(films), (Indexes{3, 0, 5, 6, 1}));
}

TEST(SelectSeeds, FallbackRecentBoundsTheBestRatedFallback) {
  const std::vector<domain::WatchedFilm> films = {film(2), film(6), film(4), film(7), film(5)};
  EXPECT_EQ(select_seeds(films, {.fallback_recent = 2}), (Indexes{3, 1}));
  EXPECT_EQ(select_seeds(films, {.fallback_recent = 10}), (Indexes{3, 1, 4, 2, 0}));
}

TEST(SelectSeeds, NothingRatedFallsBackToTheMostRecent) {
  const std::vector<domain::WatchedFilm> films = {
      tv({}),    // 0: never
      film({}),  // 1
      film({}),  // 2
      tv({}),    // 3
      film({}),  // 4
      film({}),  // 5
      film({}),  // 6
  };
  EXPECT_EQ(select_seeds(films, {.fallback_recent = 3}), (Indexes{1, 2, 4}));
  EXPECT_EQ(select_seeds(films, {.fallback_recent = 10}), (Indexes{1, 2, 4, 5, 6}));
}

TEST(SelectSeeds, DefaultFallbackKeepsTenRecentFilms) {
  std::vector<domain::WatchedFilm> films;
  for (int i = 0; i < 25; ++i)
    films.push_back(film({}));
  const Indexes seeds = select_seeds(films);
  Indexes expected;
  for (std::size_t i = 0; i < 10; ++i)
    expected.push_back(i);
  EXPECT_EQ(seeds, expected);
}

TEST(SelectSeeds, NothingUsableGivesNoSeeds) {
  EXPECT_TRUE(select_seeds({}).empty());
  const std::vector<domain::WatchedFilm> only_tv = {tv(10, true), tv({})};
  EXPECT_TRUE(select_seeds(only_tv).empty());
}

// ---------------------------------------------------------------------------------------------
// likes = false

TEST(SelectSeeds, LikesOffIgnoresLikedFilms) {
  const std::vector<domain::WatchedFilm> films = {
      film(4, true),   // 0: liked, 2 stars
      film(8),         // 1
      film({}, true),  // 2: liked, unrated
      film(9),         // 3
  };
  EXPECT_EQ(select_seeds(films, {.likes = false}), (Indexes{3, 1}));
  EXPECT_EQ(select_seeds(films, {.likes = true}), (Indexes{3, 2, 1, 0}));
}

TEST(SelectSeeds, LikesOffWithOnlyLikedFilmsFallsBack) {
  const std::vector<domain::WatchedFilm> rated = {film(4, true), film(6, true), film(2)};
  EXPECT_EQ(select_seeds(rated, {.likes = false}), (Indexes{1, 0, 2}));

  const std::vector<domain::WatchedFilm> unrated = {film({}, true), film({}), film({}, true)};
  EXPECT_EQ(select_seeds(unrated, {.likes = false, .fallback_recent = 2}), (Indexes{0, 1}));
}

}  // namespace
}  // namespace lbrec::engine
