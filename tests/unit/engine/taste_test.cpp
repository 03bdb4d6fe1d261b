#include "engine/taste.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/engine/history_builders.hpp"

namespace lbrec::engine {
namespace {

using namespace lbrec::engine::testing;
using Names = std::vector<std::string>;

double genre_affinity(const Taste& t, int genre) {
  const auto it = t.genre.find(genre);
  return it == t.genre.end() ? 0.0 : it->second;
}

// ---------------------------------------------------------------------------------------------
// build_taste: the member's mean

TEST(BuildTaste, MeanIsOverRatedFilmsOnly) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "Five", {kDrama}), 10),         // 5 stars
      watched(movie(2, "Three", {kDrama}), 6),         // 3 stars
      watched(movie(3, "Liked", {kDrama}), {}, true),  // unrated: not in the mean
      watched(movie(4, "Seen", {kDrama}), {}),         // unrated
      unidentified("Unknown", 1990, 2),                // 1 star, rated though unidentified
  };
  const Taste t = build_taste(films);
  EXPECT_EQ(t.rated, 3);
  EXPECT_DOUBLE_EQ(t.mean_stars, (5.0 + 3.0 + 1.0) / 3.0);
}

TEST(BuildTaste, NothingRatedKeepsTheDefaultMean) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "A", {kDrama}), {}),
      watched(movie(2, "B", {kComedy}), {}, true),
  };
  const Taste t = build_taste(films);
  EXPECT_EQ(t.rated, 0);
  EXPECT_DOUBLE_EQ(t.mean_stars, 3.5);

  const Taste empty = build_taste({});
  EXPECT_EQ(empty.rated, 0);
  EXPECT_DOUBLE_EQ(empty.mean_stars, 3.5);
  EXPECT_TRUE(empty.genre.empty());
  EXPECT_TRUE(empty.decade.empty());
  EXPECT_TRUE(empty.director.empty());
}

// ---------------------------------------------------------------------------------------------
// build_taste: affinities

TEST(BuildTaste, GenresOfLovedFilmsArePositiveAndOfDislikedFilmsNegative) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "Drama 1", {kDrama}), 10),  watched(movie(2, "Drama 2", {kDrama}), 9),
      watched(movie(3, "Horror 1", {kHorror}), 2), watched(movie(4, "Horror 2", {kHorror}), 3),
      watched(movie(5, "Comedy", {kComedy}), 6),
  };
  const Taste t = build_taste(films);
  ASSERT_TRUE(t.genre.contains(kDrama));
  ASSERT_TRUE(t.genre.contains(kHorror));
  EXPECT_GT(t.genre.at(kDrama), 0.0);
  EXPECT_LT(t.genre.at(kHorror), 0.0);
  EXPECT_GT(t.genre.at(kDrama), genre_affinity(t, kComedy));
  EXPECT_GT(genre_affinity(t, kComedy), t.genre.at(kHorror));
}

TEST(BuildTaste, OneFilmGivesASmallerAffinityThanManyWithTheSameDeviation) {
  // Both members have a mean of 3 stars and rate their science fiction 5 stars (2 above).
  const std::vector<WatchedMovie> one = {
      watched(movie(1, "SF", {kSciFi}), 10),
      watched(movie(2, "Other", {kWestern}), 2),
  };
  std::vector<WatchedMovie> many;
  for (int i = 0; i < 4; ++i) {
    many.push_back(watched(movie(10 + i, "SF " + std::to_string(i), {kSciFi}), 10));
    many.push_back(watched(movie(20 + i, "Other " + std::to_string(i), {kWestern}), 2));
  }
  const Taste t1 = build_taste(one);
  const Taste t4 = build_taste(many);
  ASSERT_DOUBLE_EQ(t1.mean_stars, 3.0);
  ASSERT_DOUBLE_EQ(t4.mean_stars, 3.0);

  const double a1 = genre_affinity(t1, kSciFi);
  const double a4 = genre_affinity(t4, kSciFi);
  EXPECT_GT(a1, 0.0);
  EXPECT_LT(a1, a4);
  EXPECT_LT(a4, 2.0);  // shrunk towards 0: never the full deviation

  // The documented prior: the mean deviation as if kAffinityPrior films at 0 were added.
  EXPECT_NEAR(a1, 2.0 * 1 / (1 + kAffinityPrior), 1e-9);
  EXPECT_NEAR(a4, 2.0 * 4 / (4 + kAffinityPrior), 1e-9);
  EXPECT_NEAR(genre_affinity(t4, kWestern), -2.0 * 4 / (4 + kAffinityPrior), 1e-9);
}

TEST(BuildTaste, LikedUnratedFilmsCountPositively) {
  // Rated films all at the mean (deviation 0); the only signal is the liked, unrated drama.
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "Comedy 1", {kComedy}), 6),
      watched(movie(2, "Comedy 2", {kComedy}), 6),
      watched(movie(3, "Liked drama", {kDrama}), {}, true),
  };
  const Taste t = build_taste(films);
  EXPECT_DOUBLE_EQ(t.mean_stars, 3.0);
  EXPECT_GT(genre_affinity(t, kDrama), 0.0);
  EXPECT_DOUBLE_EQ(genre_affinity(t, kComedy), 0.0);
}

TEST(BuildTaste, UnratedUnlikedFilmsSayNothing) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "Loved", {kDrama}), 10),
      watched(movie(2, "Just watched", {kHorror}, "1975-01-01"), {}),
  };
  const Taste t = build_taste(films);
  EXPECT_FALSE(t.genre.contains(kHorror));
  EXPECT_FALSE(t.decade.contains(1970));
}

TEST(BuildTaste, DecadeAndDirectorAffinities) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "Nineties 1", {kDrama}, "1994-05-01"), 10, false,
              {.directors = {"Abbas Kiarostami"}}),
      watched(movie(2, "Nineties 2", {kDrama}, "1997-05-01"), 10, false,
              {.directors = {"Abbas Kiarostami"}}),
      watched(movie(3, "Twenty-tens 1", {kDrama}, "2014-05-01"), 3, false,
              {.directors = {"Michael Bay"}}),
      watched(movie(4, "Twenty-tens 2", {kDrama}, "2016-05-01"), 3, false,
              {.directors = {"Michael Bay"}}),
      // Rated 5 stars but without details: its director is unknown, nothing to credit.
      watched(movie(5, "No details", {kDrama}, "1995-05-01"), 10),
  };
  const Taste t = build_taste(films);
  ASSERT_TRUE(t.decade.contains(1990));
  ASSERT_TRUE(t.decade.contains(2010));
  EXPECT_GT(t.decade.at(1990), 0.0);
  EXPECT_LT(t.decade.at(2010), 0.0);
  ASSERT_TRUE(t.director.contains("Abbas Kiarostami"));
  ASSERT_TRUE(t.director.contains("Michael Bay"));
  EXPECT_GT(t.director.at("Abbas Kiarostami"), 0.0);
  EXPECT_LT(t.director.at("Michael Bay"), 0.0);
  EXPECT_EQ(t.director.size(), 2u);
}

TEST(BuildTaste, UnidentifiedFilmsAddNoGenresOrDirectors) {
  const std::vector<WatchedMovie> films = {
      unidentified("Mystery film", 1994, 10),
      watched(movie(1, "Known", {kDrama}), 2),
  };
  const Taste t = build_taste(films);
  EXPECT_EQ(t.rated, 2);
  EXPECT_EQ(t.genre.size(), 1u);
  EXPECT_TRUE(t.director.empty());
}

// ---------------------------------------------------------------------------------------------
// preferences_of: the seed's top three by count

TEST(Preferences, TopThreeGenresByCountOverEveryIdentifiedFilm) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "A", {kComedy, kDrama}), 6),
      watched(movie(2, "B", {kSciFi, kDrama}), {}),  // unrated films count too
      watched(movie(3, "C", {kSciFi, kComedy}), 2),
      watched(movie(4, "D", {kDrama, kHorror}), 10),
      watched(movie(5, "E", {99999, kHorror}), {}),  // an unknown id is not a genre
      unidentified("Not on TMDB", 2001, 10),
  };
  // Drama 3; Comedy, Science Fiction and Horror 2 each, first seen in that order.
  const domain::Preferences p = preferences_of(films, build_taste(films));
  EXPECT_EQ(p.genres, (Names{"Drama", "Comedy", "Science Fiction"}));
}

TEST(Preferences, GenreNamesComeFromTmdbIds) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "A", {18}), 8),
      watched(movie(2, "B", {878}), 8),
  };
  const domain::Preferences p = preferences_of(films, build_taste(films));
  EXPECT_EQ(p.genres, (Names{"Drama", "Science Fiction"}));
}

TEST(Preferences, TiesKeepFirstSeenOrder) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "A", {kSciFi}, "2012-01-01"), 8),
      watched(movie(2, "B", {kComedy}, "1975-01-01"), 8),
      watched(movie(3, "C", {kDrama}, "1999-01-01"), 8),
      watched(movie(4, "D", {kAction}, "1950-01-01"), 8),
  };
  // Not alphabetical, not by id, not chronological: the order the history lists them.
  const domain::Preferences p = preferences_of(films, build_taste(films));
  EXPECT_EQ(p.genres, (Names{"Science Fiction", "Comedy", "Drama"}));
  EXPECT_EQ(p.decades, (Names{"2010s", "1970s", "1990s"}));
}

TEST(Preferences, TopThreeDecadesByCountOverIdentifiedFilms) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "A", {kDrama}, "1994-01-01"), {}),
      watched(movie(2, "B", {kDrama}, "2003-01-01"), 6),
      watched(movie(3, "C", {kDrama}, "1999-12-31"), 6),
      watched(movie(4, "D", {kDrama}, "1962-01-01"), 6),
      watched(movie(5, "E", {kDrama}, "2008-01-01"), 6),
      watched(movie(6, "F", {kDrama}, "1990-01-01"), 6),
      watched(movie(7, "G", {kDrama}, "1968-01-01"), 6),
      watched(movie(8, "H", {kDrama}, "1979-01-01"), 6),
      // Not identified: TMDB told nothing about them, so they do not count, whatever year
      // Letterboxd gives. Without this rule the 1970s (1 identified + 3 unidentified) would lead.
      unidentified("Lost 1", 1971, 10),
      unidentified("Lost 2", 1972, 10),
      unidentified("Lost 3", 1973, 10),
  };
  // 1990s 3, 2000s 2, 1960s 2, 1970s 1.
  const domain::Preferences p = preferences_of(films, build_taste(films));
  EXPECT_EQ(p.decades, (Names{"1990s", "2000s", "1960s"}));
}

TEST(Preferences, DirectorsCountOnlyFilmsWithDetails) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "A", {kDrama}), {}, false, {.directors = {"Agnès Varda"}}),
      watched(movie(2, "B", {kDrama}), 4, false, {.directors = {"Joel Coen", "Ethan Coen"}}),
      watched(movie(3, "C", {kDrama}), 6, false, {.directors = {"Jacques Demy"}}),
      watched(movie(4, "D", {kDrama}), 8, false, {.directors = {"Ethan Coen", "Joel Coen"}}),
      watched(movie(5, "E", {kDrama}), 8, false, {.directors = {"Agnès Varda"}}),
      watched(movie(6, "F", {kDrama}), 10, false, {.directors = {"Jacques Demy"}}),
      watched(movie(7, "G", {kDrama}), 10, false, {}),  // TMDB lists no director
      watched(movie(8, "H", {kDrama}), 10),             // no details: directors unknown
  };
  // Varda 2, Joel Coen 2, Ethan Coen 2, Demy 2: first seen wins the ties.
  const domain::Preferences p = preferences_of(films, build_taste(films));
  EXPECT_EQ(p.directors, (Names{"Agnès Varda", "Joel Coen", "Ethan Coen"}));
}

TEST(Preferences, DirectorWithMostFilmsLeads) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "A", {kDrama}), 8, false, {.directors = {"Jacques Demy"}}),
      watched(movie(2, "B", {kDrama}), 8, false, {.directors = {"Agnès Varda"}}),
      watched(movie(3, "C", {kDrama}), 8, false, {.directors = {"Agnès Varda"}}),
  };
  const domain::Preferences p = preferences_of(films, build_taste(films));
  EXPECT_EQ(p.directors, (Names{"Agnès Varda", "Jacques Demy"}));
}

TEST(Preferences, EmptyHistoryHasNoPreferences) {
  const domain::Preferences p = preferences_of({}, build_taste({}));
  EXPECT_EQ(p, domain::Preferences{});
}

// ---------------------------------------------------------------------------------------------
// preferences_of: the rating-weighted lists

TEST(Preferences, WeightedGenresRankByAffinityAboveTheMeanAndNeedTwoFilms) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "Drama 1", {kDrama}), 10),
      watched(movie(2, "Drama 2", {kDrama}), 9),
      watched(movie(3, "Comedy 1", {kComedy}), 8),
      watched(movie(4, "Comedy 2", {kComedy}), 8),
      watched(movie(5, "Comedy 3", {kComedy}), 8),
      watched(movie(6, "Horror 1", {kHorror}), 2),
      watched(movie(7, "Horror 2", {kHorror}), 2),
      watched(movie(8, "SF", {kSciFi}), 10),            // loved, but only one film
      watched(movie(9, "Romance 1", {kRomance}), 10),   // loved, ...
      watched(movie(10, "Romance 2", {kRomance}), {}),  // ... and one that says nothing
  };
  const Taste taste = build_taste(films);
  const domain::Preferences p = preferences_of(films, taste);
  // By count Comedy leads; by how much better than their mean they rate it, Drama does.
  EXPECT_EQ(p.genres, (Names{"Comedy", "Drama", "Horror"}));
  EXPECT_EQ(p.genres_weighted, (Names{"Drama", "Comedy"}));
}

TEST(Preferences, WeightedDirectorsAndDecades) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "A", {kDrama}, "1974-01-01"), 10, false, {.directors = {"Chantal Akerman"}}),
      watched(movie(2, "B", {kDrama}, "1975-01-01"), 9, false, {.directors = {"Chantal Akerman"}}),
      watched(movie(3, "C", {kDrama}, "2015-01-01"), 2, false, {.directors = {"Zack Snyder"}}),
      watched(movie(4, "D", {kDrama}, "2016-01-01"), 2, false, {.directors = {"Zack Snyder"}}),
      watched(movie(5, "E", {kDrama}, "1988-01-01"), 10, false, {.directors = {"Claire Denis"}}),
      watched(movie(6, "F", {kDrama}, "2017-01-01"), 6, false, {.directors = {"Sofia Coppola"}}),
      watched(movie(7, "G", {kDrama}, "2018-01-01"), 6, false, {.directors = {"Sofia Coppola"}}),
  };
  const domain::Preferences p = preferences_of(films, build_taste(films));
  // Akerman is loved twice; Denis once (not enough); Snyder and Coppola are below the mean.
  EXPECT_EQ(p.directors_weighted, (Names{"Chantal Akerman"}));
  // 1970s loved twice; 1980s once; 2010s below the mean.
  EXPECT_EQ(p.decades_weighted, (Names{"1970s"}));
  // By count: 2010s (4) lead.
  EXPECT_EQ(p.decades.front(), "2010s");
}

TEST(Preferences, WeightedListsKeepAtMostThree) {
  std::vector<WatchedMovie> films;
  int id = 1;
  for (int genre : {kDrama, kComedy, kSciFi, kAction, kRomance}) {
    films.push_back(watched(movie(id, "Loved " + std::to_string(id), {genre}), 10));
    ++id;
    films.push_back(watched(movie(id, "Loved " + std::to_string(id), {genre}), 10));
    ++id;
  }
  for (int i = 0; i < 10; ++i, ++id)
    films.push_back(watched(movie(id, "Meh " + std::to_string(id), {kWestern}), 2));
  const domain::Preferences p = preferences_of(films, build_taste(films));
  EXPECT_EQ(p.genres_weighted.size(), 3u);
  for (const std::string& g : p.genres_weighted)
    EXPECT_NE(g, "Western");
}

TEST(Preferences, WeightedGenresNeverNameAnUnknownGenre) {
  const std::vector<WatchedMovie> films = {
      watched(movie(1, "A", {99999, kDrama}), 10),
      watched(movie(2, "B", {99999, kDrama}), 10),
      watched(movie(3, "C", {kHorror}), 2),
  };
  const domain::Preferences p = preferences_of(films, build_taste(films));
  EXPECT_EQ(p.genres_weighted, (Names{"Drama"}));
}

TEST(Preferences, TasteFromAnotherHistoryDoesNotThrow) {
  // The weighted lists read affinities from the taste and counts from the films; a taste built
  // from a larger history than the films given must not make the lookup throw.
  const std::vector<WatchedMovie> all = {
      watched(movie(1, "A", {kDrama}), 10), watched(movie(2, "B", {kDrama}), 10),
      watched(movie(3, "C", {kSciFi}), 10), watched(movie(4, "D", {kSciFi}), 10),
      watched(movie(5, "E", {kHorror}), 2),
  };
  const std::vector<WatchedMovie> some(all.begin(), all.begin() + 2);
  domain::Preferences p;
  ASSERT_NO_THROW(p = preferences_of(some, build_taste(all)));
  EXPECT_EQ(p.genres_weighted, (Names{"Drama"}));
}

// ---------------------------------------------------------------------------------------------
// decade_label

TEST(TasteDecadeLabel, NamesTheDecadeOfAYear) {
  EXPECT_EQ(decade_label(1994), "1990s");
  EXPECT_EQ(decade_label(1990), "1990s");
  EXPECT_EQ(decade_label(1999), "1990s");
  EXPECT_EQ(decade_label(2000), "2000s");
  EXPECT_EQ(decade_label(2024), "2020s");
  EXPECT_EQ(decade_label(1927), "1920s");
}

}  // namespace
}  // namespace lbrec::engine
