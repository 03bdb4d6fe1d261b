#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbrec::domain {

// A film as Letterboxd identifies it. Which fields are known depends on the source: a grid page
// gives slug, title, year and the numeric id; RSS adds the TMDB id; an export ZIP gives title,
// year and the boxd.it code.
struct FilmRef {
  std::string slug;   // "sample-movie"; empty when only known from an export
  std::string title;  // "Sample Movie"
  std::optional<int> year;
  std::optional<std::int64_t> letterboxd_id;  // the numeric id in "film:424242"
  std::string lid;                            // boxd.it short code ("Zq7k")
  std::optional<int> tmdb_id;                 // when the source gave one
  bool is_tv = false;                         // TMDB lists it as TV, not a movie

  friend bool operator==(const FilmRef&, const FilmRef&) = default;
};

// Half-stars, 1..10 (0.5 to 5 stars), the unit Letterboxd's `rated-N` classes use.
inline constexpr int kMinHalfStars = 1;
inline constexpr int kMaxHalfStars = 10;

// One film in a member's history.
struct WatchedFilm {
  FilmRef film;
  std::optional<int> rating;  // half-stars; nullopt when watched but unrated
  bool liked = false;
  std::optional<std::string> watched_date;  // "YYYY-MM-DD" when known (diary, RSS)
  bool rewatch = false;

  friend bool operator==(const WatchedFilm&, const WatchedFilm&) = default;
};

// Where a profile came from.
enum class ProfileSource { kScrape, kRss, kExport };

// What lbrec knows of a member: every film they watched (rated or not) and their watchlist.
struct Profile {
  std::string username;
  ProfileSource source = ProfileSource::kScrape;
  std::vector<WatchedFilm> films;
  std::vector<FilmRef> watchlist;
};

}  // namespace lbrec::domain
