// Identity matching: the right film for a Letterboxd title and year among TMDB search results.

#include "sources/tmdb/film_matcher.hpp"

#include <gtest/gtest.h>

#include "sources/tmdb/tmdb_credential.hpp"

namespace lbrec::sources::tmdb {
namespace {

domain::MovieSummary movie(int id, std::string title, std::string date, double popularity = 1,
                           std::string original = "") {
  domain::MovieSummary m;
  m.tmdb_id = id;
  m.title = std::move(title);
  m.original_title = original.empty() ? m.title : std::move(original);
  m.release_date = std::move(date);
  m.popularity = popularity;
  return m;
}

TEST(FilmMatcher, RemakesResolveToTheirOwnYear) {
  const std::vector<domain::MovieSummary> results = {movie(1, "Suspiria", "1977-02-01", 30),
                                                     movie(2, "Suspiria", "2018-10-26", 50)};
  EXPECT_EQ(pick_match("Suspiria", 1977, results)->movie.tmdb_id, 1);
  EXPECT_EQ(pick_match("Suspiria", 2018, results)->movie.tmdb_id, 2);
  EXPECT_EQ(pick_match("Suspiria", 2018, results)->kind, MatchKind::kExact);
  // Same title, another decade: never taken when the year is known.
  EXPECT_FALSE(pick_match("Suspiria", 1995, results).has_value());
  // Without a year the most popular same-title film wins.
  EXPECT_EQ(pick_match("Suspiria", std::nullopt, results)->movie.tmdb_id, 2);
}

TEST(FilmMatcher, ExactYearBeatsAYearApartWhichBeatsLoose) {
  const std::vector<domain::MovieSummary> results = {movie(1, "Heat", "1996-01-01", 90),
                                                     movie(2, "Heat", "1995-12-15", 10),
                                                     movie(3, "Heat Wave", "1995-05-05", 99)};
  const auto m = pick_match("Heat", 1995, results);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->movie.tmdb_id, 2);
  EXPECT_EQ(m->kind, MatchKind::kExact);
  // A festival premiere a year before the release: still the same film.
  const auto near = pick_match("Heat", 1994, results);
  ASSERT_TRUE(near.has_value());
  EXPECT_EQ(near->kind, MatchKind::kNearYear);
}

TEST(FilmMatcher, NormalisesAccentsPunctuationAndCase) {
  const std::vector<domain::MovieSummary> results = {
      movie(5, "Amélie", "2001-04-25", 10, "Le Fabuleux Destin d'Amélie Poulain"),
      movie(6, "Tom & Jerry: The Movie", "1992-10-01")};
  EXPECT_EQ(pick_match("amelie", 2001, results)->movie.tmdb_id, 5);
  EXPECT_EQ(pick_match("LE FABULEUX DESTIN D’AMÉLIE POULAIN", 2001, results)->movie.tmdb_id, 5);
  EXPECT_EQ(pick_match("Tom and Jerry - The Movie", 1992, results)->movie.tmdb_id, 6);
}

TEST(FilmMatcher, NonLatinOriginalTitlesMatch) {
  const std::vector<domain::MovieSummary> results = {
      movie(129, "Spirited Away", "2001-07-20", 80, "千と千尋の神隠し"),
      movie(130, "Other", "2001-07-20", 90, "別の映画")};
  EXPECT_EQ(pick_match("千と千尋の神隠し", 2001, results)->movie.tmdb_id, 129);
  EXPECT_EQ(pick_match("Spirited Away", 2001, results)->movie.tmdb_id, 129);
}

TEST(FilmMatcher, LooseMatchesNeedTheSameYear) {
  const std::vector<domain::MovieSummary> results = {
      movie(9, "Birdman or (The Unexpected Virtue of Ignorance)", "2014-10-17")};
  const auto m = pick_match("Birdman", 2014, results);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->kind, MatchKind::kLoose);
  EXPECT_FALSE(pick_match("Birdman", 2015, results).has_value());
  EXPECT_FALSE(pick_match("Bird", 2014, results).has_value());  // not a whole-word prefix
}

TEST(FilmMatcher, NothingSafeMeansNoMatch) {
  const std::vector<domain::MovieSummary> results = {movie(1, "Something Else", "2000-01-01")};
  EXPECT_FALSE(pick_match("Nothing Alike", 2000, results).has_value());
  EXPECT_FALSE(pick_match("", 2000, results).has_value());
  EXPECT_FALSE(pick_match("!!!", 2000, results).has_value());
  EXPECT_FALSE(pick_match("Anything", 2000, {}).has_value());
}

TEST(TmdbCredential, DetectsTheKeyKindAndNeverLeaksIt) {
  const auto v3 = TmdbCredential::detect(" 5f2b8c1e9a7d4e3f6b0c1d2e3f4a5b6c \n");
  EXPECT_EQ(v3.kind(), TmdbCredential::Kind::kApiKey);
  const auto v4 = TmdbCredential::detect("eyJhbGciOiJIUzI1NiJ9.e30.sig");
  EXPECT_EQ(v4.kind(), TmdbCredential::Kind::kBearer);
  EXPECT_TRUE(TmdbCredential::detect("   ").empty());

  boost::urls::url url("https://api.themoviedb.org/3/movie/1?language=en-US");
  net::HttpRequest request;
  v3.apply(url, request);
  EXPECT_EQ(url.buffer(),
            "https://api.themoviedb.org/3/movie/1?language=en-US&api_key="
            "5f2b8c1e9a7d4e3f6b0c1d2e3f4a5b6c");
  EXPECT_TRUE(request.headers.empty());

  boost::urls::url url4("https://api.themoviedb.org/3/movie/1");
  net::HttpRequest request4;
  v4.apply(url4, request4);
  EXPECT_EQ(url4.buffer(), "https://api.themoviedb.org/3/movie/1");
  ASSERT_EQ(request4.headers.size(), 1u);
  EXPECT_EQ(request4.headers[0].first, "Authorization");
  EXPECT_EQ(request4.headers[0].second, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig");

  EXPECT_EQ(v3.redact("GET /3/x?api_key=5f2b8c1e9a7d4e3f6b0c1d2e3f4a5b6c failed"),
            "GET /3/x?api_key=*** failed");
  EXPECT_EQ(v3.describe(), "v3 api_key");
  EXPECT_EQ(v4.describe(), "v4 bearer token");
}

TEST(TmdbCredential, OddCharactersInAKeyAreEncodedNotInjected) {
  const auto odd = TmdbCredential::detect("abc&x=1 #");
  boost::urls::url url("https://api.themoviedb.org/3/movie/1");
  net::HttpRequest request;
  odd.apply(url, request);
  EXPECT_EQ(url.params().size(), 1u);
  EXPECT_EQ((*url.params().find("api_key")).value, "abc&x=1 #");
}

}  // namespace
}  // namespace lbrec::sources::tmdb
