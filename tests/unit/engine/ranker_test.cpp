#include "engine/ranker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "unit/engine/history_builders.hpp"

namespace lbrec::engine {
namespace {

using namespace lbrec::engine::testing;
using domain::MovieSummary;
using domain::Recommendation;
using Ids = std::vector<int>;
using Names = std::vector<std::string>;

// A candidate with nothing the member's taste knows about: the histories below hold dramas and
// horror films, never a western, and nothing from the 1960s. Only votes and TMDB's numbers tell
// candidates apart unless a test says otherwise.
MovieSummary cand(int id, double vote_average = 7.5, int vote_count = 1000) {
  return movie(id, "Candidate " + std::to_string(id), {kWestern}, "1965-06-01", vote_average,
               vote_count);
}

// `n` distinct filler candidates, to push another one further down a list.
std::vector<MovieSummary> fillers(int first_id, int n) {
  std::vector<MovieSummary> out;
  for (int i = 0; i < n; ++i)
    out.push_back(cand(first_id + i));
  return out;
}

std::vector<MovieSummary> concat(std::vector<MovieSummary> a, const std::vector<MovieSummary>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A film of the member's history, a drama from 2005, with its neighbour lists.
WatchedMovie seed(int id, std::string title, int half_stars, std::vector<MovieSummary> recs,
                  std::vector<MovieSummary> similar = {}, bool liked = false) {
  return watched(movie(id, std::move(title), {kDrama}), half_stars, liked,
                 {.recommendations = std::move(recs), .similar = std::move(similar)});
}

// A film of the history without details (it only shapes the taste and the seen filter).
WatchedMovie plain(int id, std::string title, std::optional<int> half_stars,
                   std::vector<int> genres = {kDrama}) {
  return watched(movie(id, std::move(title), std::move(genres)), half_stars);
}

Ranker rank(const std::vector<WatchedMovie>& history, RankSettings settings = {},
            const std::vector<domain::FilmRef>& watchlist = {}) {
  Ranker r(history, watchlist, std::move(settings));
  for (const WatchedMovie& f : history)
    r.add_neighbours(f);
  return r;
}

Ids ids_of(const std::vector<Recommendation>& recs) {
  Ids out;
  for (const Recommendation& r : recs)
    out.push_back(r.movie.tmdb_id);
  return out;
}

// Where `id` is in `recs`, or -1.
int position(const std::vector<Recommendation>& recs, int id) {
  for (std::size_t i = 0; i < recs.size(); ++i) {
    if (recs[i].movie.tmdb_id == id) return static_cast<int>(i);
  }
  return -1;
}

// Recommendation's own == needs streaming availability to compare, which the engine never
// fills; these are the fields it does.
void expect_same(const std::vector<Recommendation>& a, const std::vector<Recommendation>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].movie, b[i].movie) << i;
    EXPECT_EQ(a[i].score, b[i].score) << i;  // bit for bit: same inputs, same arithmetic
    EXPECT_EQ(a[i].reason, b[i].reason) << i;
    EXPECT_EQ(a[i].because, b[i].because) << i;
    EXPECT_EQ(a[i].genres, b[i].genres) << i;
    EXPECT_EQ(a[i].directors, b[i].directors) << i;
    EXPECT_EQ(a[i].runtime, b[i].runtime) << i;
    EXPECT_EQ(a[i].collection_id, b[i].collection_id) << i;
    EXPECT_EQ(a[i].on_watchlist, b[i].on_watchlist) << i;
    EXPECT_EQ(a[i].detailed, b[i].detailed) << i;
  }
}

const Recommendation* find_rec(const std::vector<Recommendation>& recs, int id) {
  const int i = position(recs, id);
  return i < 0 ? nullptr : &recs[static_cast<std::size_t>(i)];
}

// ---------------------------------------------------------------------------------------------
// Filters: what is never recommended

TEST(RankerFilter, NeverRecommendsAFilmSeenByTmdbId) {
  WatchedMovie by_ref = unidentified("Known only by its id", 1999, 6);
  by_ref.watched.film.tmdb_id = 3;
  const std::vector<WatchedMovie> history = {
      seed(1, "Seed", 10,
           {movie(2, "Another title", {kWestern}, "1965-01-01"), cand(3), cand(4), cand(5)}),
      plain(2, "Seen film", 6),  // the same TMDB film under a different title
      by_ref,                    // Letterboxd gave its TMDB id, TMDB search did not find it
      seed(5, "Second seed", 10, {movie(1, "Seed, renamed", {kWestern}, "1965-01-01")}),
  };
  const Ranker r = rank(history);
  // Candidate 5 is itself in the history (a seed): seen too.
  EXPECT_EQ(ids_of(r.top(10)), (Ids{4}));
  EXPECT_EQ(r.candidates(), 1u);
}

TEST(RankerFilter, NeverRecommendsAFilmSeenByNormalisedTitle) {
  MovieSummary poulain = movie(10, "The Fabulous Destiny of Amélie Poulain", {kDrama});
  poulain.original_title = "Le Fabuleux Destin d'Amélie Poulain";

  MovieSummary by_title = cand(20);
  by_title.title = "AMELIE";
  by_title.original_title = "AMELIE";
  MovieSummary by_original_title = cand(21);
  by_original_title.title = "LE FABULEUX DESTIN D’AMELIE POULAIN";  // curly apostrophe
  by_original_title.original_title = by_original_title.title;
  MovieSummary its_original_title_seen = cand(22);
  its_original_title_seen.title = "Die fabelhafte Welt der Amélie";
  its_original_title_seen.original_title = "Amélie!";
  MovieSummary not_seen = cand(23);
  not_seen.title = "Amélie 2";
  not_seen.original_title = not_seen.title;

  const std::vector<WatchedMovie> history = {
      seed(1, "Seed", 10, {by_title, by_original_title, its_original_title_seen, not_seen}),
      unidentified("Amélie", 2001, 8),  // Letterboxd only: no TMDB id
      watched(poulain, 8),
  };
  EXPECT_EQ(ids_of(rank(history).top(10)), (Ids{23}));
}

TEST(RankerFilter, TvEntryDoesNotHideAMovieWithTheSameNumber) {
  // TV ids are another numbering than movie ids: a watched series with TMDB TV id 500 says
  // nothing about movie 500.
  WatchedMovie series = unidentified("Twin Peaks", 1990, 10);
  series.watched.film.tmdb_id = 500;
  series.watched.film.is_tv = true;
  const std::vector<WatchedMovie> history = {seed(1, "Seed", 10, {cand(500)}), series};
  EXPECT_EQ(ids_of(rank(history).top(10)), (Ids{500}));
}

TEST(RankerFilter, WatchlistFilmsAreDropped) {
  domain::FilmRef on_list;
  on_list.title = "Something else entirely";
  on_list.tmdb_id = 30;
  const std::vector<WatchedMovie> history = {seed(1, "Seed", 10, {cand(30), cand(31)})};
  const Ranker r = rank(history, {}, {on_list});
  const auto top = r.top(10);
  EXPECT_EQ(ids_of(top), (Ids{31}));
  EXPECT_FALSE(top[0].on_watchlist);
  EXPECT_EQ(r.candidates(), 1u);
}

TEST(RankerFilter, WatchlistFilmsKeptAndFlaggedWhenAskedFor) {
  domain::FilmRef on_list;
  on_list.title = "Something else entirely";
  on_list.tmdb_id = 30;
  const std::vector<WatchedMovie> history = {seed(1, "Seed", 10, {cand(30), cand(31)})};
  const Ranker r = rank(history, {.include_watchlist = true}, {on_list});
  const auto top = r.top(10);
  ASSERT_EQ(top.size(), 2u);
  ASSERT_NE(find_rec(top, 30), nullptr);
  ASSERT_NE(find_rec(top, 31), nullptr);
  EXPECT_TRUE(find_rec(top, 30)->on_watchlist);
  EXPECT_FALSE(find_rec(top, 31)->on_watchlist);
}

TEST(RankerFilter, WatchlistMatchedByTitleAndYearWithinOne) {
  domain::FilmRef amelie;
  amelie.title = "Amélie";
  amelie.year = 2001;
  domain::FilmRef stalker;
  stalker.title = "Stalker";
  stalker.year = 1979;
  const auto titled = [](int id, std::string title, std::string date) {
    return movie(id, std::move(title), {kWestern}, std::move(date));
  };
  const std::vector<MovieSummary> list = {
      titled(40, "Amelie", "2002-04-25"),   // accents folded, one year later
      titled(41, "Stalker", "1981-01-01"),  // two years later: another film
      titled(42, "stalker", "1978-01-01"),  // one year earlier
      titled(43, "Stalker", "1979-05-25"),  // the same year
      titled(44, "Amélie", "1999-01-01"),   // two years earlier
      titled(45, "Solaris", "2001-01-01"),  // same year, another title
  };
  const std::vector<WatchedMovie> history = {seed(1, "Seed", 10, list)};

  const auto flagged = rank(history, {.include_watchlist = true}, {amelie, stalker}).top(10);
  ASSERT_EQ(flagged.size(), list.size());
  std::set<int> on_watchlist;
  for (const Recommendation& r : flagged) {
    if (r.on_watchlist) on_watchlist.insert(r.movie.tmdb_id);
  }
  EXPECT_EQ(on_watchlist, (std::set<int>{40, 42, 43}));

  const auto dropped = rank(history, {}, {amelie, stalker}).top(10);
  const Ids kept = ids_of(dropped);
  EXPECT_EQ(std::set<int>(kept.begin(), kept.end()), (std::set<int>{41, 44, 45}));
}

TEST(RankerFilter, MinRatingDropsFilmsBelowIt) {
  const std::vector<WatchedMovie> history = {
      seed(1, "Seed", 10, {cand(50, 6.9), cand(51, 7.0), cand(52, 7.9), cand(53, 8.0)})};
  const Ids by_default = ids_of(rank(history).top(10));
  EXPECT_EQ(std::set<int>(by_default.begin(), by_default.end()), (std::set<int>{51, 52, 53}));
  const Ids strict = ids_of(rank(history, {.min_rating = 8.0}).top(10));
  EXPECT_EQ(strict, (Ids{53}));
}

TEST(RankerFilter, NoDuplicatesAcrossListsAndSeeds) {
  const MovieSummary a = cand(60), b = cand(61), c = cand(62);
  const std::vector<WatchedMovie> history = {
      seed(1, "First", 10, {a, b}, {a, c}),  // `a` in both lists of one seed
      seed(2, "Second", 10, {b, a}, {c}),    // and every one again from another seed
  };
  Ranker r(history, {}, {});
  EXPECT_EQ(r.add_neighbours(history[0]), 3u);
  EXPECT_EQ(r.add_neighbours(history[1]), 0u);
  EXPECT_EQ(r.seeds_added(), 2u);
  EXPECT_EQ(r.candidates(), 3u);
  const auto top = r.top(10);
  const Ids ids = ids_of(top);
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(std::set<int>(ids.begin(), ids.end()), (std::set<int>{60, 61, 62}));
  for (const Recommendation& rec : top) {
    EXPECT_EQ(std::set<std::string>(rec.because.begin(), rec.because.end()).size(),
              rec.because.size());
    EXPECT_EQ(rec.because.size(), 2u) << rec.movie.tmdb_id;
  }
}

TEST(RankerFilter, AFilmWithoutDetailsBringsNothing) {
  const std::vector<WatchedMovie> history = {plain(1, "No details", 10)};
  Ranker r(history, {}, {});
  EXPECT_EQ(r.add_neighbours(history[0]), 0u);
  EXPECT_EQ(r.seeds_added(), 0u);
  EXPECT_EQ(r.candidates(), 0u);
  EXPECT_TRUE(r.top(10).empty());
}

TEST(RankerFilter, PerListBoundsHowFarAListIsRead) {
  // Items 0..19 are read by default; the 21st is not.
  const std::vector<WatchedMovie> history = {
      seed(1, "Seed", 10, concat(fillers(9000, 20), {cand(70)}))};
  const Ranker r = rank(history);
  EXPECT_EQ(r.candidates(), 20u);
  EXPECT_EQ(position(r.top(100), 70), -1);

  const Ranker narrow = rank(history, {.per_list = 5});
  EXPECT_EQ(narrow.candidates(), 5u);
}

// ---------------------------------------------------------------------------------------------
// Scoring

TEST(RankerScore, RecommendedByThreeLovedSeedsOutranksByOne) {
  const MovieSummary three = cand(20), one = cand(10);
  const std::vector<WatchedMovie> history = {
      seed(1, "S1", 10, {one, three}),  // `three` is even second here
      seed(2, "S2", 10, {three}),
      seed(3, "S3", 10, {three}),
  };
  const auto top = rank(history).top(10);
  ASSERT_NE(position(top, 20), -1);
  ASSERT_NE(position(top, 10), -1);
  EXPECT_LT(position(top, 20), position(top, 10));
}

TEST(RankerScore, RankZeroOutranksRankFifteen) {
  const std::vector<WatchedMovie> history = {
      seed(1, "S1", 10, concat(concat({cand(20)}, fillers(9000, 14)), {cand(10)}))};
  const auto top = rank(history).top(100);
  ASSERT_EQ(position(top, 20), 0);
  ASSERT_EQ(position(top, 10), 15);

  // The same with each film alone in its own seed's list, at rank 0 and 15.
  const std::vector<WatchedMovie> two_seeds = {
      seed(1, "S1", 10, {cand(20)}),
      seed(2, "S2", 10, concat(fillers(9000, 15), {cand(10)})),
  };
  const auto top2 = rank(two_seeds).top(100);
  EXPECT_LT(position(top2, 20), position(top2, 10));
}

TEST(RankerScore, RecommendationsListOutranksSimilarAtEqualRank) {
  const std::vector<WatchedMovie> history = {
      seed(1, "S1", 10, {cand(20)}),
      seed(2, "S2", 10, {}, {cand(10)}),
  };
  EXPECT_EQ(ids_of(rank(history).top(10)), (Ids{20, 10}));
}

TEST(RankerScore, OnlyReachedFromDislikedFilmsIsNeverReturned) {
  const std::vector<WatchedMovie> history = {
      seed(1, "Loved", 10, {cand(20)}),
      seed(2, "Disliked", 2, {cand(30), cand(31)}),
      plain(3, "Also loved", 10),
  };
  Ranker r(history, {}, {});
  r.add_neighbours(history[1]);
  EXPECT_EQ(r.candidates(), 0u);
  EXPECT_TRUE(r.top(10).empty());
  r.add_neighbours(history[0]);
  EXPECT_EQ(r.candidates(), 1u);
  EXPECT_EQ(ids_of(r.top(10)), (Ids{20}));
}

TEST(RankerScore, ALovedSeedRescuesAFilmADislikedOneReached) {
  const std::vector<WatchedMovie> history = {
      seed(2, "Disliked", 2, {cand(30)}),
      seed(1, "Loved", 10, {cand(30)}),
  };
  const auto top = rank(history).top(10);
  ASSERT_EQ(ids_of(top), (Ids{30}));
  EXPECT_EQ(top[0].because, (Names{"Loved"}));
}

TEST(RankerScore, MostlyFromDislikedFilmsRanksBelowOneFromLovedFilms) {
  const MovieSummary mixed = cand(10), clean = cand(20);
  const std::vector<WatchedMovie> history = {
      seed(1, "Loved 1", 10, {mixed}),
      seed(2, "Loved 2", 10, {clean}),
      seed(3, "Disliked 1", 2, {mixed}),
      seed(4, "Disliked 2", 2, {mixed}),
  };
  EXPECT_EQ(ids_of(rank(history).top(10)), (Ids{20, 10}));
}

TEST(RankerScore, MoreTmdbVotesWithTheSameAverageRankHigher) {
  const std::vector<WatchedMovie> history = {
      seed(1, "S1", 10, {cand(20, 8.0, 5000)}),
      seed(2, "S2", 10, {cand(10, 8.0, 50)}),
  };
  EXPECT_EQ(ids_of(rank(history).top(10)), (Ids{20, 10}));
}

TEST(RankerScore, BetterKnownFilmsRankHigherEvenAtThePriorMean) {
  // At exactly the prior's mean the Bayesian average says nothing; how well known a film is
  // still does.
  RankSettings settings;
  settings.min_rating = 0;
  const std::vector<WatchedMovie> history = {
      seed(1, "S1", 10, {cand(20, settings.prior_mean, 20000)}),
      seed(2, "S2", 10, {cand(10, settings.prior_mean, 20)}),
  };
  EXPECT_EQ(ids_of(rank(history, settings).top(10)), (Ids{20, 10}));
}

TEST(RankerScore, HigherTmdbAverageWithTheSameVotesRanksHigher) {
  const std::vector<WatchedMovie> history = {
      seed(1, "S1", 10, {cand(20, 8.4, 1000)}),
      seed(2, "S2", 10, {cand(10, 7.4, 1000)}),
  };
  EXPECT_EQ(ids_of(rank(history).top(10)), (Ids{20, 10}));
}

TEST(RankerScore, GenreAffinityMovesACandidateUp) {
  // Loved dramas, disliked horror; three candidates equal but for their genre.
  const auto with_genre = [](int id, int genre) {
    return movie(id, "Candidate " + std::to_string(id), {genre}, "1965-06-01");
  };
  const std::vector<WatchedMovie> history = {
      seed(1, "S1", 10, {with_genre(30, kDrama)}),  seed(2, "S2", 10, {with_genre(20, kWestern)}),
      seed(3, "S3", 10, {with_genre(10, kHorror)}), plain(4, "Horror 1", 2, {kHorror}),
      plain(5, "Horror 2", 2, {kHorror}),
  };
  const Ranker r = rank(history);
  ASSERT_GT(r.taste().genre.at(kDrama), 0.0);
  ASSERT_LT(r.taste().genre.at(kHorror), 0.0);
  EXPECT_EQ(ids_of(r.top(10)), (Ids{30, 20, 10}));
}

TEST(RankerScore, DecadeAffinityMovesACandidateUp) {
  const auto in_year = [](int id, const char* date) {
    return movie(id, "Candidate " + std::to_string(id), {kWestern}, date);
  };
  // The loved seeds are from the 2000s; the disliked films from the 1980s.
  const std::vector<WatchedMovie> history = {
      seed(1, "S1", 10, {in_year(20, "2007-01-01")}),
      seed(2, "S2", 10, {in_year(10, "1986-01-01")}),
      watched(movie(3, "Eighties 1", {kHorror}, "1984-01-01"), 2),
      watched(movie(4, "Eighties 2", {kHorror}, "1987-01-01"), 2),
  };
  EXPECT_EQ(ids_of(rank(history).top(10)), (Ids{20, 10}));
}

TEST(RankerScore, DirectorAffinityFromCandidateDetailsMovesUp) {
  const std::vector<WatchedMovie> history = {
      watched(movie(1, "Old Joy", {kDrama}), 10, false,
              {.directors = {"Kelly Reichardt"}, .recommendations = {cand(10)}}),
      watched(movie(2, "Wendy and Lucy", {kDrama}), 10, false,
              {.directors = {"Kelly Reichardt"}, .recommendations = {cand(20)}}),
      watched(movie(3, "Meh 1", {kDrama}), 4, false, {.directors = {"Someone Else"}}),
      watched(movie(4, "Meh 2", {kDrama}), 4, false, {.directors = {"Someone Else"}}),
  };
  Ranker r = rank(history);
  ASSERT_GT(r.taste().director.at("Kelly Reichardt"), 0.0);
  r.add_candidate_details(details_of(cand(10), {.directors = {"Someone Else"}}));
  r.add_candidate_details(details_of(cand(20), {.directors = {"Kelly Reichardt"}}));
  EXPECT_EQ(ids_of(r.top(10)), (Ids{20, 10}));
}

// ---------------------------------------------------------------------------------------------
// Diversification

// One loved seed whose `recommendations` are five films of one group at ranks 0..4, then three
// others at ranks 5..7: without diversification the group fills the top five.
std::vector<WatchedMovie> group_history() {
  return {seed(
      1, "Seed", 10,
      {cand(101), cand(102), cand(103), cand(104), cand(105), cand(201), cand(202), cand(203)})};
}

TEST(RankerDiversify, AtMostTwoOfACollectionBeforeTheOthers) {
  Ranker r = rank(group_history(), {.max_per_group = 2});
  ASSERT_EQ(ids_of(r.top(8)), (Ids{101, 102, 103, 104, 105, 201, 202, 203}));

  for (int id = 101; id <= 105; ++id)
    r.add_candidate_details(details_of(cand(id), {.collection_id = 77}));
  const auto top = r.top(8);
  // The two best of the collection keep their places; the other three wait, in score order,
  // until everything else has been placed.
  EXPECT_EQ(ids_of(top), (Ids{101, 102, 201, 202, 203, 103, 104, 105}));
  for (const Recommendation& rec : top) {
    if (rec.movie.tmdb_id < 200) {
      EXPECT_EQ(rec.collection_id, 77);
    }
  }
  EXPECT_EQ(ids_of(r.top(4)), (Ids{101, 102, 201, 202}));
}

TEST(RankerDiversify, AtMostTwoOfADirectorBeforeTheOthers) {
  Ranker r = rank(group_history(), {.max_per_group = 2});
  for (int id = 101; id <= 105; ++id)
    r.add_candidate_details(details_of(cand(id), {.directors = {"Hong Sang-soo"}}));
  EXPECT_EQ(ids_of(r.top(8)), (Ids{101, 102, 201, 202, 203, 103, 104, 105}));
  EXPECT_EQ(ids_of(r.top(5)), (Ids{101, 102, 201, 202, 203}));
}

TEST(RankerDiversify, MaxPerGroupIsTheSettings) {
  Ranker r = rank(group_history(), {.max_per_group = 1});
  for (int id = 101; id <= 105; ++id)
    r.add_candidate_details(details_of(cand(id), {.collection_id = 77}));
  EXPECT_EQ(ids_of(r.top(8)), (Ids{101, 201, 202, 203, 102, 103, 104, 105}));
}

// ---------------------------------------------------------------------------------------------
// Reasons

TEST(ReasonText, NamesUpToThreeSeeds) {
  EXPECT_EQ(reason_text(Names{}), "Picked for your taste");
  EXPECT_EQ(reason_text(Names{"Stalker"}), "Since you liked Stalker");
  EXPECT_EQ(reason_text(Names{"Stalker", "Mirror"}), "Because you loved Stalker and Mirror");
  EXPECT_EQ(reason_text(Names{"Stalker", "Mirror", "Solaris"}),
            "Because you loved Stalker, Mirror and Solaris");
}

TEST(RankerReasons, BecauseNamesAtMostThreeSeedsStrongestFirst) {
  // Added weakest first; every seed has the candidate first in its list.
  const std::vector<WatchedMovie> history = {
      seed(4, "Solaris", 8, {cand(50)}),
      seed(3, "Mirror", 9, {cand(50)}),
      seed(2, "Stalker", 10, {cand(50)}),
      seed(1, "Sátántangó", 10, {cand(50)}, {}, true),
  };
  const auto top = rank(history).top(10);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].because, (Names{"Sátántangó", "Stalker", "Mirror"}));
  EXPECT_EQ(top[0].reason, "Because you loved Sátántangó, Stalker and Mirror");
}

TEST(RankerReasons, BecauseNamesDistinctTitles) {
  const std::vector<WatchedMovie> history = {
      seed(1, "Solaris", 10, {cand(50)}, {}, true),  // 1972
      seed(2, "Solaris", 10, {cand(50)}),            // 2002: same title, another film
      seed(3, "Stalker", 9, {cand(50)}),
      seed(4, "Mirror", 8, {cand(50)}),
  };
  const auto top = rank(history).top(10);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].because, (Names{"Solaris", "Stalker", "Mirror"}));
}

TEST(RankerReasons, OneAndTwoSeeds) {
  const std::vector<WatchedMovie> history = {
      seed(1, "Stalker", 10, {cand(50), cand(51)}, {}, true),
      seed(2, "Mirror", 9, {cand(51)}),
  };
  const auto top = rank(history).top(10);
  ASSERT_NE(find_rec(top, 50), nullptr);
  ASSERT_NE(find_rec(top, 51), nullptr);
  EXPECT_EQ(find_rec(top, 50)->because, (Names{"Stalker"}));
  EXPECT_EQ(find_rec(top, 50)->reason, "Since you liked Stalker");
  EXPECT_EQ(find_rec(top, 51)->because, (Names{"Stalker", "Mirror"}));
  EXPECT_EQ(find_rec(top, 51)->reason, "Because you loved Stalker and Mirror");
}

TEST(RankerReasons, DislikedFilmsAreNeverNamed) {
  const std::vector<WatchedMovie> history = {
      seed(1, "Stalker", 10, {cand(50)}),
      seed(2, "Transformers", 2, {cand(50)}),
  };
  const auto top = rank(history).top(10);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].because, (Names{"Stalker"}));
  EXPECT_EQ(top[0].reason, "Since you liked Stalker");
}

TEST(RankerReasons, StrongestVoteNotFirstAdded) {
  // The stronger vote comes from the seed listing the candidate first, whatever the seeds'
  // order of arrival.
  const std::vector<WatchedMovie> history = {
      seed(1, "Deep in the list", 10, concat(fillers(9000, 12), {cand(50)})),
      seed(2, "First in the list", 10, {cand(50)}),
  };
  const auto top = rank(history).top(100);
  const Recommendation* r = find_rec(top, 50);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->because, (Names{"First in the list", "Deep in the list"}));
}

// ---------------------------------------------------------------------------------------------
// The ranking as a whole

// Five seeds of different strengths, each listing twelve candidates (overlapping) with
// different TMDB numbers.
std::vector<WatchedMovie> busy_history() {
  std::vector<WatchedMovie> h;
  const int ratings[] = {10, 10, 9, 9, 8};
  const bool liked[] = {true, false, true, false, false};
  for (int s = 0; s < 5; ++s) {
    std::vector<MovieSummary> recs, similar;
    for (int k = 0; k < 12; ++k) {
      const int id = 100 + s * 5 + k;  // neighbouring seeds share candidates
      // A film's TMDB numbers depend on the film only, whichever list it comes from.
      const MovieSummary m =
          movie(id, "Candidate " + std::to_string(id), {id % 2 ? kDrama : kWestern},
                id % 3 ? "1965-01-01" : "2004-01-01", 7.0 + 0.1 * (id % 17), 80 + 37 * id);
      (k % 4 == 3 ? similar : recs).push_back(m);
    }
    h.push_back(seed(1 + s, "Seed " + std::to_string(s), ratings[s], recs, similar, liked[s]));
  }
  h.push_back(plain(10, "Disliked", 2, {kHorror}));
  return h;
}

TEST(RankerOutput, ScoresAreFiniteSortedAndTopIsBounded) {
  const Ranker r = rank(busy_history());
  ASSERT_GT(r.candidates(), 10u);
  const auto all = r.top(1000);
  EXPECT_EQ(all.size(), r.candidates());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_TRUE(std::isfinite(all[i].score)) << i;
    if (i > 0) {
      EXPECT_GE(all[i - 1].score, all[i].score) << i;
    }
    EXPECT_FALSE(all[i].because.empty());
    EXPECT_LE(all[i].because.size(), 3u);
  }
  EXPECT_TRUE(r.top(0).empty());
  const auto three = r.top(3);
  ASSERT_EQ(three.size(), 3u);
  const Ids all_ids = ids_of(all);
  EXPECT_EQ(ids_of(three), Ids(all_ids.begin(), all_ids.begin() + 3));
}

TEST(RankerOutput, SameInputsGiveTheSameOutput) {
  const std::vector<WatchedMovie> history = busy_history();
  const auto first = rank(history).top(50);
  const auto second = rank(history).top(50);
  ASSERT_FALSE(first.empty());
  expect_same(first, second);
  const Ranker r = rank(history);
  expect_same(r.top(50), r.top(50));
}

TEST(RankerOutput, OrderOfArrivalDoesNotChangeTheRanking) {
  const std::vector<WatchedMovie> history = busy_history();
  const auto forward = rank(history).top(50);
  Ranker backward(history, {}, {});
  for (auto it = history.rbegin(); it != history.rend(); ++it)
    backward.add_neighbours(*it);
  const auto reversed = backward.top(50);
  ASSERT_EQ(ids_of(reversed), ids_of(forward));
  for (std::size_t i = 0; i < forward.size(); ++i) {
    EXPECT_NEAR(reversed[i].score, forward[i].score, 1e-9);
    EXPECT_EQ(reversed[i].because, forward[i].because);
  }
}

TEST(RankerOutput, AddCandidateDetailsFillsTheRecommendation) {
  MovieSummary paterson = movie(50, "Paterson", {kDrama, kComedy}, "2016-11-17");
  const std::vector<WatchedMovie> history = {seed(1, "Seed", 10, {paterson, cand(51)})};
  Ranker r = rank(history);

  const auto before = r.top(10);
  const Recommendation* p = find_rec(before, 50);
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(p->detailed);
  EXPECT_TRUE(p->directors.empty());
  EXPECT_EQ(p->runtime, 0);
  EXPECT_EQ(p->collection_id, std::nullopt);
  EXPECT_EQ(p->genres, (Names{"Drama", "Comedy"}));  // named from the TMDB ids

  r.add_candidate_details(details_of(paterson, {.directors = {"Jim Jarmusch"},
                                                .collection_id = 9,
                                                .runtime = 118,
                                                .genres = {"Drama", "Comedy", "Romance"}}));
  r.add_candidate_details(details_of(cand(999), {.directors = {"Not a candidate"}}));
  const auto after = r.top(10);
  EXPECT_EQ(after.size(), before.size());
  p = find_rec(after, 50);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->detailed);
  EXPECT_EQ(p->directors, (Names{"Jim Jarmusch"}));
  EXPECT_EQ(p->runtime, 118);
  EXPECT_EQ(p->collection_id, 9);
  EXPECT_EQ(p->genres, (Names{"Drama", "Comedy", "Romance"}));
  EXPECT_EQ(p->movie.tmdb_id, 50);
  EXPECT_EQ(p->movie.title, "Paterson");
  EXPECT_EQ(position(after, 999), -1);

  const Recommendation* other = find_rec(after, 51);
  ASSERT_NE(other, nullptr);
  EXPECT_FALSE(other->detailed);
}

}  // namespace
}  // namespace lbrec::engine
