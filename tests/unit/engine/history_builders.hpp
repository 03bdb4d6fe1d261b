#pragma once

// Small hand-made histories for the engine's unit tests: TMDB list items, details with neighbour
// lists, and watched films carrying them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/genre.hpp"
#include "domain/movie.hpp"
#include "domain/profile.hpp"
#include "engine/watched_movie.hpp"

namespace lbrec::engine::testing {

// TMDB genre ids used across the tests.
inline constexpr int kAction = 28;
inline constexpr int kComedy = 35;
inline constexpr int kDrama = 18;
inline constexpr int kHorror = 27;
inline constexpr int kRomance = 10749;
inline constexpr int kSciFi = 878;
inline constexpr int kWestern = 37;

// A TMDB list item (search result, `similar` or `recommendations` entry).
inline domain::MovieSummary movie(int tmdb_id, std::string title, std::vector<int> genre_ids = {},
                                  std::string release_date = "2005-06-01",
                                  double vote_average = 7.5, int vote_count = 1000) {
  domain::MovieSummary m;
  m.tmdb_id = tmdb_id;
  m.title = title;
  m.original_title = std::move(title);
  m.original_language = "en";
  m.release_date = std::move(release_date);
  m.genre_ids = std::move(genre_ids);
  m.vote_average = vote_average;
  m.vote_count = vote_count;
  return m;
}

// A director with a stable TMDB person id derived from the name, so one name is one person.
inline domain::Person director(std::string name) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : name)
    h = (h ^ c) * 16777619u;
  return domain::Person{static_cast<int>(h & 0x3fffffff) + 1, std::move(name)};
}

struct DetailsSpec {
  std::vector<std::string> directors;
  std::optional<int> collection_id;
  std::vector<domain::MovieSummary> recommendations;
  std::vector<domain::MovieSummary> similar;
  int runtime = 0;
  // Genre names; when empty they are named from the summary's genre ids, as TMDB would.
  std::vector<std::string> genres;
};

inline domain::MovieDetails details_of(const domain::MovieSummary& m, DetailsSpec spec) {
  domain::MovieDetails d;
  d.summary = m;
  d.genres = std::move(spec.genres);
  if (d.genres.empty()) {
    for (int id : m.genre_ids) {
      const std::string_view name = domain::genre_name(id);
      if (!name.empty()) d.genres.emplace_back(name);
    }
  }
  for (std::string& name : spec.directors)
    d.directors.push_back(director(std::move(name)));
  d.runtime = spec.runtime;
  d.collection_id = spec.collection_id;
  d.recommendations = std::move(spec.recommendations);
  d.similar = std::move(spec.similar);
  return d;
}

// A watched film identified on TMDB as `m`, as Letterboxd lists it (same title, year and id).
inline WatchedMovie watched(const domain::MovieSummary& m, std::optional<int> half_stars,
                            bool liked = false) {
  WatchedMovie w;
  w.watched.film.slug = "film-" + std::to_string(m.tmdb_id);
  w.watched.film.title = m.title;
  w.watched.film.year = m.year();
  w.watched.film.tmdb_id = m.tmdb_id;
  w.watched.rating = half_stars;
  w.watched.liked = liked;
  w.movie = m;
  return w;
}

// The same, with its details (credits, neighbour lists) fetched.
inline WatchedMovie watched(const domain::MovieSummary& m, std::optional<int> half_stars,
                            bool liked, DetailsSpec spec) {
  WatchedMovie w = watched(m, half_stars, liked);
  w.details = details_of(m, std::move(spec));
  return w;
}

// A watched film TMDB could not identify: only what Letterboxd said.
inline WatchedMovie unidentified(std::string title, std::optional<int> year,
                                 std::optional<int> half_stars, bool liked = false) {
  WatchedMovie w;
  w.watched.film.title = std::move(title);
  w.watched.film.year = year;
  w.watched.rating = half_stars;
  w.watched.liked = liked;
  return w;
}

}  // namespace lbrec::engine::testing
