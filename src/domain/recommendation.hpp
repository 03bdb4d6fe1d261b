#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/movie.hpp"
#include "domain/streaming.hpp"

namespace lbrec::domain {

// What a member's history says about their taste. The first three fields are the seed's
// `preferences` block (top three by how often they occur); the `_weighted` ones rank by how much
// better than their own average the member rates films with that trait.
struct Preferences {
  std::vector<std::string> genres;
  std::vector<std::string> directors;
  std::vector<std::string> decades;  // "2010s"
  std::vector<std::string> genres_weighted;
  std::vector<std::string> directors_weighted;
  std::vector<std::string> decades_weighted;

  friend bool operator==(const Preferences&, const Preferences&) = default;
};

// One recommended film: what TMDB says of it, why it was picked and where it streams.
struct Recommendation {
  MovieSummary movie;
  std::vector<std::string> genres;        // names
  std::vector<std::string> directors;     // names; empty until its details are known
  int runtime = 0;                        // minutes; 0 when unknown
  std::optional<int> collection_id;       // known with details
  double score = 0;                       // higher is better; comparable within one ranking
  std::string reason;                     // "Because you loved A, B and C" / "Since you liked A"
  std::vector<std::string> because;       // the seed titles the reason names, strongest first
  bool on_watchlist = false;              // only ever true when the caller asked to keep these
  bool detailed = false;                  // details (director, runtime, collection) are known
  std::optional<Availability> streaming;  // looked up for the job's country when asked

  friend bool operator==(const Recommendation&, const Recommendation&) = default;
};

}  // namespace lbrec::domain
