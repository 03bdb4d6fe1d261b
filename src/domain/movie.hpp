#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/streaming.hpp"

namespace lbrec::domain {

// What a TMDB list item tells about a film (search results, `similar`, `recommendations`):
// enough to identify it, place it by genre and decade, and rank it, without a details call.
struct MovieSummary {
  int tmdb_id = 0;
  std::string title;
  std::string original_title;
  std::string original_language;
  std::string release_date;  // "YYYY-MM-DD" or "" when TMDB has none
  std::vector<int> genre_ids;
  double vote_average = 0;
  int vote_count = 0;
  double popularity = 0;
  std::string poster_path;  // "" when TMDB has none (null)

  // The release year, when the date has one.
  std::optional<int> year() const;

  friend bool operator==(const MovieSummary&, const MovieSummary&) = default;
};

struct Person {
  int id = 0;
  std::string name;

  friend bool operator==(const Person&, const Person&) = default;
};

// Everything lbrec needs about one film, from one details call with append_to_response.
struct MovieDetails {
  MovieSummary summary;
  std::vector<std::string> genres;  // names, in TMDB's order
  std::vector<Person> directors;    // crew with job "Director"; empty when TMDB lists none
  int runtime = 0;                  // minutes; 0 when unknown
  std::string imdb_id;              // "" when unknown
  std::optional<int> collection_id;
  std::string collection_name;
  std::vector<int> keyword_ids;
  std::vector<MovieSummary> similar;          // page 1 of `similar`, TMDB's order
  std::vector<MovieSummary> recommendations;  // page 1 of `recommendations`, TMDB's order
  ProviderTable providers;                    // watch/providers, every country

  friend bool operator==(const MovieDetails&, const MovieDetails&) = default;
};

// TMDB's image URL for a poster path ("https://image.tmdb.org/t/p/w500/abc.jpg"); "" for none.
std::string poster_url(const std::string& poster_path, std::string_view size = "w500");

}  // namespace lbrec::domain
