#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/movie.hpp"
#include "domain/recommendation.hpp"
#include "engine/taste.hpp"
#include "engine/watched_movie.hpp"

namespace lbrec::engine {

// The weights of the score; defaults are what bench/quality measured best on the fake world.
struct RankWeights {
  double recommendations_list = 1.0;  // TMDB `recommendations` (co-liked by its audience)
  double similar_list = 0.35;         // TMDB `similar` (genre and keyword overlap only)
  double evidence = 0.5;              // the seeds' votes, after log compression
  double genre = 1.5;                 // member's genre affinity (per star above their mean)
  double decade = 1.0;
  double director = 0.5;          // only for candidates whose details are known
  double quality = 0.35;          // Bayesian-average TMDB rating, per point above 6.5
  double popularity = 1.0;        // per decade of TMDB vote count: people watch what is known
  double low_seed_penalty = 1.0;  // votes from films rated below the member's mean
};

struct RankSettings {
  int per_list = 20;               // SIMILAR_RESULTS_PER_FILM: items read from each list of a seed
  double min_rating = 7.0;         // MIN_RECOMMEND_RATING, or the request's min_rating
  bool include_watchlist = false;  // keep watchlisted films, flagged, instead of dropping them
  int max_per_group = 2;           // one collection or director in the diversified top
  RankWeights weights;
  // The Bayesian prior of the quality term: a film's TMDB rating counts as if `prior_votes`
  // votes of `prior_mean` were added.
  double prior_mean = 6.5;
  double prior_votes = 300;
};

// Candidate films from the neighbour lists of a member's films, scored, filtered and explained.
// Feed it every watched film's neighbours as they arrive (`add_neighbours`, any order, each film
// once), then ask for the current `top`. Pure: no I/O, no clock; deterministic for the same input.
class Ranker {
 public:
  // `history` is every watched film (seen filter, taste); `watchlist` the member's watchlist.
  Ranker(std::span<const WatchedMovie> history, std::span<const domain::FilmRef> watchlist,
         RankSettings settings);

  // Adds the `recommendations` and `similar` lists of one of the member's films (its details
  // must be known). Returns how many new eligible candidates it brought.
  std::size_t add_neighbours(const WatchedMovie& film);

  // Details of a candidate learned later (director, runtime, collection): they refine its score
  // (director affinity) and let the top be diversified by collection and director.
  void add_candidate_details(const domain::MovieDetails& details);

  // The best `n` eligible candidates, best first, diversified (at most `max_per_group` of one
  // collection or director, the rest moved down), each with its score and reason.
  std::vector<domain::Recommendation> top(std::size_t n) const;

  std::size_t candidates() const;  // eligible candidates so far
  std::size_t seeds_added() const { return seeds_added_; }
  const Taste& taste() const { return taste_; }

 private:
  struct Vote {
    std::size_t from;  // index into seeds_
    double weight;     // signed: low-rated films vote against
  };
  struct Candidate {
    domain::MovieSummary movie;
    std::vector<Vote> votes;
    bool on_watchlist = false;
  };
  struct SeedInfo {
    std::string title;
    double preference;  // the member's feeling about it, in stars relative to their mean
  };

  bool eligible(const domain::MovieSummary& m, bool& on_watchlist) const;
  // At least one of the member's films voted for it (disliked films alone never recommend).
  static bool has_support(const Candidate& c);
  double score(const Candidate& c) const;
  domain::Recommendation explain(const Candidate& c, double score) const;

  RankSettings settings_;
  Taste taste_;
  std::unordered_set<int> seen_ids_;
  std::unordered_set<std::string> seen_titles_;  // normalised titles and original titles
  std::unordered_set<int> watchlist_ids_;
  std::unordered_set<std::string> watchlist_titles_;
  std::vector<SeedInfo> seeds_;
  std::unordered_map<int, Candidate> candidates_;
  std::unordered_map<int, domain::MovieDetails> details_;
  std::size_t seeds_added_ = 0;
};

// The reason line for a recommendation: "Since you liked X" for one seed, "Because you loved X
// and Y" / "Because you loved X, Y and Z" for two or three.
std::string reason_text(std::span<const std::string> seeds);

}  // namespace lbrec::engine
