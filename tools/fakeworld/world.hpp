#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lbrec::fakeworld {

// Letterboxd's poster-grid markup generations (see docs/upstreams/letterboxd.md §4).
enum class Markup {
  kLegacy,      // until ~Aug 2025: li.poster-container > div.film-poster[data-film-id]
  kLazyPoster,  // Aug 2025 - Apr 2026: React LazyPoster with data-film-id
  kCurrent,     // from Apr 2026: LazyPoster, numeric id only inside data-postered-identifier
};
std::string_view to_string(Markup markup);
std::optional<Markup> parse_markup(std::string_view text);

struct Genre {
  int id;
  std::string_view name;
};
// TMDB's 19 English movie genres.
std::span<const Genre> tmdb_genres();
std::string_view genre_name(int id);

struct Person {
  int id;  // TMDB person id
  std::string name;
  std::string slug;  // Letterboxd /director/<slug>/
  int gender;        // TMDB: 0 unset, 1, 2, 3
};

struct Keyword {
  int id;
  std::string name;
};

struct Collection {
  int id;
  std::string name;
  std::vector<int> films;  // film indexes, release order
};

struct Film {
  int index = 0;    // position in World::films()
  int tmdb_id = 0;  // TMDB movie id (TV entries: a TMDB tv id)
  int lb_id = 0;    // Letterboxd numeric film id
  std::string lid;  // boxd.it short code
  std::string slug;
  std::string title;
  std::string original_title;
  std::string original_language;
  std::string origin_country;
  int year = 0;              // primary release year (TMDB release_date); 0 = unknown
  int letterboxd_year = 0;   // the year Letterboxd shows (premiere year; may be year - 1)
  std::string release_date;  // "YYYY-MM-DD" or "" when unknown
  std::vector<int> genre_ids;
  std::vector<int> director_ids;  // indexes into World::people()
  std::vector<int> writer_ids;
  std::vector<int> cast_ids;
  std::vector<int> keyword_ids;  // indexes into World::keywords()
  int collection = -1;           // index into World::collections(), -1 for none
  int runtime = 0;               // minutes; 0 = unknown
  double vote_average = 0;
  int vote_count = 0;
  double popularity = 0;
  std::string poster_path;    // "" = null
  std::string backdrop_path;  // "" = null
  std::string imdb_id;        // "" = null
  bool is_tv = false;         // a TV entry Letterboxd lists among films
  bool has_director_credit = true;
  double quality = 0;  // hidden "true" quality (z-score) that drives ratings
  std::string overview;
};

// One film in a member's history.
struct Viewing {
  int film = 0;    // film index
  int rating = 0;  // half-stars 1..10, 0 = unrated
  bool liked = false;
  int watched_day = 0;  // days since epoch
  bool in_diary = false;
  bool rewatch = false;
  bool reviewed = false;
  std::uint32_t viewing_id = 0;  // diary entry id
};

// The hidden taste a member's history is drawn from; exposed so quality benchmarks can check
// that recommendations recover it.
struct Taste {
  std::array<double, 19> genre{};  // affinity per tmdb_genres() position
  std::vector<int> fav_directors;  // people indexes
  int era_center = 2000;
  double era_width = 20;
  double obscurity = 0.2;  // 0: mainstream, 1: seeks the long tail
  double harshness = 0;    // shifts every rating
  double noise = 0.5;
  double like_rate = 0.5;
  double unrated_share = 0.1;
};

struct User {
  std::string name;
  std::string display_name;
  Markup markup = Markup::kCurrent;
  bool rotate_markup = false;  // page N of a grid uses generation (N - 1) % 3, as during a rollout
  Taste taste;
  std::vector<Viewing> films;  // most recently watched first (the /films/ default order)
  std::vector<int> watchlist;  // film indexes, most recently added first
  int joined_day = 0;
};

struct WorldOptions {
  std::uint64_t seed = 42;
  int films = 5000;
  int users = 200;                   // generated members beyond the named fixture members
  Markup markup = Markup::kCurrent;  // generation for members without their own
};

// Credentials the fake TMDB accepts.
inline constexpr std::string_view kFakeTmdbApiKey = "5f2b8c1e9a7d4e3f6b0c1d2e3f4a5b6c";
inline constexpr std::string_view kFakeTmdbToken =
    "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiI1ZjJiOGMxZTlhN2Q0ZTNmNmIwYzFkMmUzZjRhNWI2YyIsIm5iZiI6MTcwMD"
    "AwMDAwMC4wLCJzdWIiOiI2NGExYjJjM2Q0ZTVmNjA3MTgyOTNhNGIiLCJzY29wZXMiOlsiYXBpX3JlYWQiXSwidmVyc2"
    "lvbiI6MX0.ZmFrZS13b3JsZC1zaWduYXR1cmU";

struct Provider {
  int id;  // TMDB provider_id == JustWatch packageId
  std::string_view name;
  std::string_view short_name;  // JustWatch technical short code
  enum Kind { kSubscription, kStore, kFree, kAds } kind;
  int display_priority;
};

// One availability of a film in a country.
struct Offer {
  const Provider* provider;
  std::string_view type;  // flatrate, rent, buy, free, ads
};

// A complete, deterministic fake universe: catalogue, people, members and their histories.
class World {
 public:
  static std::shared_ptr<const World> generate(const WorldOptions& options);

  const WorldOptions& options() const { return options_; }
  const std::vector<Film>& films() const { return films_; }
  const std::vector<Person>& people() const { return people_; }
  const std::vector<Keyword>& keywords() const { return keywords_; }
  const std::vector<Collection>& collections() const { return collections_; }
  const std::vector<User>& users() const { return users_; }

  const Film* film_by_slug(std::string_view slug) const;
  const Film* film_by_tmdb(int tmdb_id) const;  // movies only
  const Film* film_by_lid(std::string_view lid) const;
  const User* user(std::string_view name) const;  // case-insensitive, as Letterboxd

  // TMDB "similar": genre and keyword overlap, best first (all candidates; callers page).
  std::vector<int> similar(int film) const;
  // TMDB "recommendations": co-liked by the generated members; short and often empty. A quality
  // benchmark passes the member it evaluates as `exclude_user` so their own history (hidden films
  // included) does not leak into the lists it ranks from.
  std::vector<int> recommendations(int film, int exclude_user = -1) const;
  // Streaming availability in a country (ISO code), deterministic per film and country.
  std::vector<Offer> offers(int film, std::string_view country) const;
  // Providers operating in a country.
  std::vector<const Provider*> providers(std::string_view country) const;
  // TMDB-like search: every query word must occur in the title or original title; exact
  // normalised matches first, then by popularity. `year` matches the premiere or the primary
  // release year; `primary_year` only the primary one. 0 = no filter.
  std::vector<int> search(std::string_view query, int year, int primary_year) const;

  // Members who rated a film 4 stars or more or liked it.
  const std::vector<int>& fans(int film) const { return fans_[static_cast<std::size_t>(film)]; }

 private:
  World() = default;
  friend class WorldBuilder;

  WorldOptions options_;
  std::vector<Film> films_;
  std::vector<Person> people_;
  std::vector<Keyword> keywords_;
  std::vector<Collection> collections_;
  std::vector<User> users_;
  std::vector<std::vector<int>> fans_;
  std::vector<std::string> normalized_titles_;  // per film: title + " | " + original title
  std::unordered_map<std::string, int> by_slug_;
  std::unordered_map<int, int> by_tmdb_;
  std::unordered_map<std::string, int> by_lid_;
  std::unordered_map<std::string, int> by_user_;  // lower-cased name -> index
};

}  // namespace lbrec::fakeworld
