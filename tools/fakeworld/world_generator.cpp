// Builds a World from a seed. Every draw comes from a named Rng sub-stream so that the same seed
// gives the same world, and changing one part of the generator leaves the others alone.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <unordered_set>

#include "core/strings.hpp"
#include "dates.hpp"
#include "engine/title.hpp"
#include "rng.hpp"
#include "vocabulary.hpp"
#include "world.hpp"

namespace lbrec::fakeworld {

std::string slugify(std::string_view title) {
  const std::string folded = engine::fold_accents(title);
  std::string slug;
  bool dash = false;
  for (char c : folded) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    if (alnum) {
      if (dash && !slug.empty()) slug += '-';
      dash = false;
      slug += static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    } else if (c != '\'') {
      dash = true;
    }
  }
  return slug;
}

namespace {

using vocabulary::adjectives;
using vocabulary::first_names;
using vocabulary::keyword_themes;
using vocabulary::last_names;
using vocabulary::nouns;
using vocabulary::places;

// TMDB genre frequencies, roughly (drama and comedy dominate), by tmdb_genres() position.
constexpr std::array<double, 19> kGenreWeights = {9, 5, 3, 12, 6, 3, 20, 3, 4, 2,
                                                  7, 2, 4, 7,  4, 1, 9,  2, 1};

struct Language {
  std::string_view code;
  double weight;
  std::array<std::string_view, 4> countries;  // "" terminated
};
constexpr std::array<Language, 14> kLanguages = {{
    {"en", 52, {"US", "US", "GB", "CA"}},
    {"fr", 8, {"FR", "FR", "BE", ""}},
    {"es", 6, {"ES", "MX", "AR", "CL"}},
    {"ja", 6, {"JP", "", "", ""}},
    {"ko", 4, {"KR", "", "", ""}},
    {"de", 4, {"DE", "AT", "", ""}},
    {"it", 4, {"IT", "", "", ""}},
    {"zh", 3, {"CN", "HK", "TW", ""}},
    {"ru", 2, {"RU", "", "", ""}},
    {"hi", 2, {"IN", "", "", ""}},
    {"sv", 2, {"SE", "", "", ""}},
    {"da", 1, {"DK", "", "", ""}},
    {"pt", 2, {"BR", "PT", "", ""}},
    {"fa", 1, {"IR", "", "", ""}},
}};

struct DirectorTraits {
  int career_start;
  int career_length;
  std::array<int, 2> genres;  // tmdb_genres() positions
  double quality;
  double weight;  // how prolific
};

constexpr std::string_view kBase62 =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

std::string random_code(Rng& rng, int length) {
  std::string s;
  for (int i = 0; i < length; ++i)
    s += kBase62[rng.below(kBase62.size())];
  return s;
}

std::string ascii_handle(std::string_view name) {
  std::string out;
  for (char c : engine::fold_accents(name)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Rounds to a decimal step (0.001, 0.0001). Dividing by the integer scale gives the double nearest
// the decimal, so it prints as TMDB sends it ("6.343", not "6.343000000000001").
double round_to(double v, double step) {
  const double scale = std::round(1.0 / step);
  return std::round(v * scale) / scale;
}

// Indexes of the k items with the largest weights after weighted random sampling without
// replacement (Efraimidis-Spirakis): key = log(u) / w, keep the largest keys.
std::vector<int> weighted_sample(Rng& rng, const std::vector<double>& weights, std::size_t k) {
  std::vector<std::pair<double, int>> keys;
  keys.reserve(weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    const double u = 1.0 - rng.unit();
    keys.emplace_back(std::log(u) / weights[i], static_cast<int>(i));
  }
  k = std::min(k, keys.size());
  std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(k), keys.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  std::vector<int> out;
  out.reserve(k);
  for (std::size_t i = 0; i < k; ++i)
    out.push_back(keys[i].second);
  return out;
}

struct NamedMember {
  std::string_view name;
  int size;
  Markup markup;
  double unrated_share;  // < 0: drawn
  double obscurity;      // < 0: drawn
  double harshness;      // NaN: drawn
};

// Members every world has, for demos and tests (profile sizes at the pagination edges, empty,
// huge, each markup generation, no ratings at all).
std::vector<NamedMember> named_members(Markup default_markup) {
  const double kDraw = std::nan("");
  return {
      {"demo", 420, default_markup, -1, 0.3, kDraw},
      {"cinephile", 1200, default_markup, -1, 0.75, kDraw},
      {"legacy_fan", 150, Markup::kLegacy, -1, -1, kDraw},
      {"lazy_poster", 150, Markup::kLazyPoster, -1, -1, kDraw},
      {"marathoner", 3000, default_markup, -1, -1, kDraw},
      {"newcomer", 0, default_markup, -1, -1, kDraw},
      {"one_film", 1, default_markup, 0, -1, kDraw},
      {"exactly72", 72, default_markup, -1, -1, kDraw},
      {"just73", 73, default_markup, -1, -1, kDraw},
      {"no_ratings", 60, default_markup, 1.0, -1, kDraw},
      {"grumpy", 200, default_markup, 0.05, -1, -1.0},
      {"shapeshifter", 230, default_markup, -1, -1, kDraw},
      // The call-budget benchmark's profile: 1,000 films, about 150 of them rated 4 stars or more.
      {"critic", 1000, default_markup, -1, -1, kDraw},
  };
}

}  // namespace

class WorldBuilder {
 public:
  explicit WorldBuilder(const WorldOptions& options) : o_(options), w_(new World()) {
    w_->options_ = options;
  }

  std::shared_ptr<const World> build() {
    make_keywords();
    make_people();
    make_films();
    make_remakes();
    assign_identifiers();
    make_users();
    index();
    return std::shared_ptr<const World>(w_.release());
  }

 private:
  Rng rng(std::string_view stream, std::uint64_t index = 0) const {
    return Rng::derive(o_.seed, stream, index);
  }

  void make_keywords() {
    Rng r = rng("keywords");
    std::set<int> used;
    for (std::string_view theme : keyword_themes()) {
      int id;
      do
        id = r.range(1000, 320000);
      while (!used.insert(id).second);
      w_->keywords_.push_back({id, std::string(theme)});
    }
    // Each genre draws most of its keywords from a home set of 18.
    const int n = static_cast<int>(w_->keywords_.size());
    for (auto& home : genre_keywords_) {
      for (int i = 0; i < 18; ++i)
        home.push_back(r.range(0, n - 1));
    }
  }

  std::string person_name(Rng& r, std::set<std::string>& used) {
    for (;;) {
      std::string name = fmt::format("{} {}", r.pick(first_names()), r.pick(last_names()));
      if (r.chance(0.06)) name = fmt::format("{} {}.", name, static_cast<char>('A' + r.below(26)));
      if (used.insert(name).second) return name;
    }
  }

  void make_people() {
    Rng r = rng("people");
    const int directors = std::max(30, o_.films / 5);
    const int actors = std::max(60, o_.films / 3);
    std::set<std::string> names;
    std::set<int> ids;
    const auto add = [&](void) {
      int id;
      do
        id = r.range(1000, 4000000);
      while (!ids.insert(id).second);
      std::string name = person_name(r, names);
      const int gender = r.chance(0.04) ? (r.chance(0.5) ? 0 : 3) : (r.chance(0.5) ? 1 : 2);
      w_->people_.push_back({id, name, slugify(name), gender});
    };
    for (int i = 0; i < directors; ++i) {
      add();
      DirectorTraits t;
      // More careers start recently, as more films are made every decade.
      t.career_start = 1915 + static_cast<int>(105 * std::sqrt(r.unit()));
      t.career_length = r.range(3, 45);
      t.genres = {static_cast<int>(r.weighted(kGenreWeights)),
                  static_cast<int>(r.weighted(kGenreWeights))};
      t.quality = r.normal(0, 0.6);
      t.weight = 1.0 / std::pow(static_cast<double>(i + 1), 0.7);
      directors_.push_back(t);
    }
    for (int i = 0; i < actors; ++i)
      add();
    actor_base_ = directors;
    for (int i = 0; i < actors; ++i)
      actor_weights_.push_back(1.0 / std::pow(i + 1.0, 0.6));
    for (const auto& d : directors_)
      director_weights_.push_back(d.weight);
  }

  std::string english_title(Rng& r) {
    const double roll = r.unit();
    const auto A = [&] { return r.pick(adjectives()); };
    const auto N = [&] { return r.pick(nouns()); };
    if (roll < 0.003) return fmt::format("{} < {}", N(), N());
    if (roll < 0.006) return fmt::format("\"{}\"", N());
    if (roll < 0.14) return fmt::format("The {}", N());
    if (roll < 0.32) return fmt::format("The {} {}", A(), N());
    if (roll < 0.42) return fmt::format("{} of the {}", N(), N());
    if (roll < 0.50) return fmt::format("{} of {}", N(), r.pick(places()));
    if (roll < 0.64) return fmt::format("{} {}", A(), N());
    if (roll < 0.70) return std::string(r.pick(first_names()));
    if (roll < 0.75) return fmt::format("{} & {}", N(), N());
    if (roll < 0.80) return fmt::format("A {} in {}", N(), r.pick(places()));
    if (roll < 0.86) return fmt::format("{}'s {}", r.pick(first_names()), N());
    if (roll < 0.90) return std::string(r.pick(places()));
    if (roll < 0.95) return fmt::format("{} {}s", A(), N());
    return fmt::format("{} {}", N(), r.range(2, 99));
  }

  std::string original_title(Rng& r, std::string_view language) {
    const auto words = vocabulary::original_words(language);
    if (words.empty()) return {};
    const std::string first(r.pick(words));
    if (r.chance(0.5)) return first;
    const std::string second(r.pick(words));
    if (language == "ja") return first + "の" + second;
    if (language == "zh" || language == "ko") return first + second;
    return first + " " + second;
  }

  void make_films() {
    Rng r = rng("films");
    const int n = o_.films;
    std::unordered_set<std::string> titles;
    w_->films_.reserve(static_cast<std::size_t>(n));
    while (static_cast<int>(w_->films_.size()) < n) {
      Film f = base_film(r, titles);
      const int base = static_cast<int>(w_->films_.size());
      w_->films_.push_back(std::move(f));
      // About one film in 25 starts a franchise with sequels.
      if (r.chance(0.04) && base + 1 < n && w_->films_[base].year > 1930 &&
          w_->films_[base].year < 2022 && !w_->films_[base].is_tv) {
        add_sequels(r, base, std::min(r.range(1, 3), n - base - 1));
      }
    }
    Film& hostile = w_->films_[0];
    hostile.title = hostile.original_title = "<img src=x onerror=alert(1)>";
    hostile.original_language = "en";
    Film& quoted = w_->films_[1];
    quoted.title = quoted.original_title = "Tom & Jerry's \"Great\" <Escape>";
    quoted.original_language = "en";
  }

  Film base_film(Rng& r, std::unordered_set<std::string>& titles) {
    Film f;
    const int d = static_cast<int>(r.weighted(director_weights_));
    const DirectorTraits& dt = directors_[static_cast<std::size_t>(d)];
    f.director_ids = {d};
    if (r.chance(0.03)) f.director_ids.push_back(static_cast<int>(r.weighted(director_weights_)));
    if (f.director_ids.size() == 2 && f.director_ids[0] == f.director_ids[1])
      f.director_ids.pop_back();
    f.year = std::min(2026, dt.career_start + r.range(0, dt.career_length));
    const int month = r.range(1, 12);
    const int day = r.range(1, 28);
    f.release_date = fmt::format("{:04}-{:02}-{:02}", f.year, month, day);
    f.letterboxd_year = r.chance(0.08) ? f.year - 1 : f.year;  // festival premiere a year earlier
    if (r.chance(0.006)) {
      f.year = f.letterboxd_year = 0;
      f.release_date.clear();
    }

    std::array<double, 14> lw{};
    for (std::size_t i = 0; i < kLanguages.size(); ++i)
      lw[i] = kLanguages[i].weight;
    const Language& lang = kLanguages[r.weighted(lw)];
    f.original_language = lang.code;
    std::size_t countries = 0;
    while (countries < lang.countries.size() && !lang.countries[countries].empty())
      ++countries;
    f.origin_country = lang.countries[r.below(countries)];

    for (int attempt = 0; attempt < 6; ++attempt) {
      f.title = english_title(r);
      if (!titles.contains(f.title)) break;
    }
    f.original_title = f.title;
    if (f.original_language != "en") {
      std::string original = original_title(r, f.original_language);
      if (!original.empty()) {
        f.original_title = original;
        const bool latin = f.original_language == "fr" || f.original_language == "es" ||
                           f.original_language == "de" || f.original_language == "it" ||
                           f.original_language == "pt" || f.original_language == "sv" ||
                           f.original_language == "da";
        // Many foreign-language films keep their original title in English-speaking markets.
        if (latin && r.chance(0.4) && !titles.contains(original)) f.title = original;
      }
    }
    titles.insert(f.title);

    const int genre_count = r.chance(0.35) ? 1 : r.chance(0.6) ? 2 : 3;
    std::vector<int> genres;
    genres.push_back(r.chance(0.65) ? dt.genres[r.below(2)]
                                    : static_cast<int>(r.weighted(kGenreWeights)));
    while (static_cast<int>(genres.size()) < genre_count) {
      const int g = static_cast<int>(r.weighted(kGenreWeights));
      if (std::find(genres.begin(), genres.end(), g) == genres.end()) genres.push_back(g);
    }
    for (int g : genres)
      f.genre_ids.push_back(tmdb_genres()[static_cast<std::size_t>(g)].id);
    genre_positions_.push_back(genres);

    const int keyword_count = r.range(3, 8);
    const int nk = static_cast<int>(w_->keywords_.size());
    while (static_cast<int>(f.keyword_ids.size()) < keyword_count) {
      int k = r.chance(0.75)
                  ? genre_keywords_[static_cast<std::size_t>(genres[r.below(genres.size())])]
                                   [r.below(18)]
                  : r.range(0, nk - 1);
      if (std::find(f.keyword_ids.begin(), f.keyword_ids.end(), k) == f.keyword_ids.end()) {
        f.keyword_ids.push_back(k);
      }
    }
    std::sort(f.keyword_ids.begin(), f.keyword_ids.end());

    const int cast_count = r.range(3, 6);
    while (static_cast<int>(f.cast_ids.size()) < cast_count) {
      const int a = actor_base_ + static_cast<int>(r.weighted(actor_weights_));
      if (std::find(f.cast_ids.begin(), f.cast_ids.end(), a) == f.cast_ids.end())
        f.cast_ids.push_back(a);
    }
    f.writer_ids = {r.chance(0.5) ? d : static_cast<int>(r.weighted(director_weights_))};
    f.has_director_credit = !r.chance(0.01);

    const bool animation =
        std::find(f.genre_ids.begin(), f.genre_ids.end(), 16) != f.genre_ids.end();
    f.runtime = r.chance(0.02)
                    ? 0
                    : std::clamp(static_cast<int>(r.normal(animation ? 88 : 106, 18)), 63, 240);
    f.quality = 0.6 * dt.quality + r.normal(0, 0.8);
    const double recency = f.year >= 2000 ? 0.35 : 0.0;
    const double pop_z = r.normal(0, 1.25) + 0.35 * f.quality + recency;
    f.vote_count = std::clamp(static_cast<int>(std::exp(4.0 + 1.45 * pop_z)) - 1, 0, 40000);
    if (f.year >= 2026) f.vote_count /= 8;
    if (f.vote_count == 0) {
      f.vote_average = 0.0;
    } else {
      const double spread = 1.6 / std::sqrt(f.vote_count + 1.0) + 0.2;
      f.vote_average =
          round_to(std::clamp(6.25 + 0.85 * f.quality + r.normal(0, spread), 0.5, 9.3), 0.001);
    }
    const double boost = f.year >= 2024 ? 3.0 : f.year >= 2015 ? 1.5 : 1.0;
    f.popularity =
        round_to(0.6 + 0.45 * std::pow(f.vote_count, 0.55) * boost * r.lognormal(0, 0.4), 0.0001);
    if (!r.chance(0.04)) f.poster_path = "/" + random_code(r, 27) + ".jpg";
    if (!r.chance(0.08)) f.backdrop_path = "/" + random_code(r, 27) + ".jpg";
    if (!r.chance(0.03)) f.imdb_id = fmt::format("tt{:07}", r.range(10000, 9999999));
    f.is_tv = r.chance(0.005);
    f.overview = fmt::format("A {} {} {} in a story of {} and {}.",
                             core::to_lower_ascii(r.pick(adjectives())),
                             core::to_lower_ascii(r.pick(nouns())),
                             r.chance(0.5) ? "searches for meaning" : "faces the past",
                             w_->keywords_[static_cast<std::size_t>(f.keyword_ids[0])].name,
                             w_->keywords_[static_cast<std::size_t>(f.keyword_ids.back())].name);
    return f;
  }

  void add_sequels(Rng& r, int base, int count) {
    Collection c;
    c.id = r.range(8000, 1200000);
    const std::string base_title = w_->films_[static_cast<std::size_t>(base)].title;
    c.name = base_title + " Collection";
    c.films.push_back(base);
    const int ci = static_cast<int>(w_->collections_.size());
    w_->films_[static_cast<std::size_t>(base)].collection = ci;
    for (int i = 0; i < count; ++i) {
      Film s = w_->films_[static_cast<std::size_t>(c.films.back())];
      const int year = s.year + r.range(2, 5);
      if (year > 2026) break;
      s.year = s.letterboxd_year = year;
      s.release_date = fmt::format("{:04}-{:02}-{:02}", year, r.range(1, 12), r.range(1, 28));
      s.title = r.chance(0.5)
                    ? fmt::format("{} {}", base_title, i + 2)
                    : fmt::format("{}: {}", base_title, r.pick(vocabulary::sequel_subtitles()));
      s.original_title = s.title;
      if (r.chance(0.3)) s.director_ids = {static_cast<int>(r.weighted(director_weights_))};
      s.quality -= 0.3 + r.unit() * 0.4;  // sequels are usually a little worse
      s.vote_count = static_cast<int>(s.vote_count * (0.4 + 0.6 * r.unit()));
      s.vote_average = s.vote_count == 0
                           ? 0.0
                           : round_to(std::clamp(s.vote_average - r.unit() * 0.8, 0.5, 9.3), 0.001);
      s.popularity = round_to(s.popularity * (0.5 + r.unit()), 0.0001);
      s.poster_path = "/" + random_code(r, 27) + ".jpg";
      s.is_tv = false;
      s.collection = ci;
      c.films.push_back(static_cast<int>(w_->films_.size()));
      genre_positions_.push_back(genre_positions_[static_cast<std::size_t>(base)]);
      w_->films_.push_back(std::move(s));
    }
    w_->collections_.push_back(std::move(c));
  }

  // Remakes share an older film's title but not its year, director or TMDB id.
  void make_remakes() {
    Rng r = rng("remakes");
    auto& films = w_->films_;
    const int n = static_cast<int>(films.size());
    const int remakes = std::max(2, n / 70);
    for (int i = 0, made = 0; i < n * 4 && made < remakes; ++i) {
      Film& newer = films[r.below(static_cast<std::size_t>(n))];
      const Film& older = films[r.below(static_cast<std::size_t>(n))];
      if (newer.index < 2 || older.index < 2 || newer.collection >= 0 || older.collection >= 0)
        continue;
      if (older.year == 0 || newer.year < older.year + 10 || newer.is_tv || older.is_tv) continue;
      newer.title = older.title;
      newer.original_title = older.original_title;
      newer.original_language = older.original_language;
      ++made;
    }
  }

  void assign_identifiers() {
    Rng r = rng("identifiers");
    std::set<int> tmdb_ids, lb_ids;
    std::set<std::string> lids;
    std::unordered_set<std::string> slugs;
    for (std::size_t i = 0; i < w_->films_.size(); ++i) {
      Film& f = w_->films_[i];
      f.index = static_cast<int>(i);
      do
        f.tmdb_id = r.range(2, 1300000);
      while (!tmdb_ids.insert(f.tmdb_id).second);
      do
        f.lb_id = r.range(10000, 1400000);
      while (!lb_ids.insert(f.lb_id).second);
      do
        f.lid = random_code(r, 4);
      while (!lids.insert(f.lid).second);
      std::string slug = slugify(f.title);
      if (slug.empty()) slug = "film";
      if (slugs.contains(slug) && f.letterboxd_year > 0)
        slug += fmt::format("-{}", f.letterboxd_year);
      for (int k = 2; slugs.contains(slug); ++k)
        slug = fmt::format("{}-{}", slugify(f.title), k);
      slugs.insert(slug);
      f.slug = std::move(slug);
    }
  }

  Taste make_taste(Rng& r) {
    Taste t;
    for (double& g : t.genre)
      g = r.normal(0, 0.35);
    for (int i = 0, n = r.range(2, 3); i < n; ++i)
      t.genre[r.weighted(kGenreWeights)] += 1.0;
    for (int i = 0, n = r.range(1, 2); i < n; ++i)
      t.genre[r.below(19)] -= 1.0;
    for (int i = 0, n = r.range(2, 4); i < n; ++i) {
      t.fav_directors.push_back(static_cast<int>(r.weighted(director_weights_)));
    }
    t.era_center = std::clamp(static_cast<int>(r.normal(1998, 18)), 1935, 2022);
    t.era_width = 10 + r.unit() * 30;
    t.obscurity = r.unit() * r.unit();
    t.harshness = r.normal(0, 0.3);
    t.noise = 0.3 + r.unit() * 0.4;
    t.like_rate = 0.2 + r.unit() * 0.8;
    t.unrated_share = r.unit() * 0.35;
    return t;
  }

  double affinity(const Taste& t, const Film& f, std::size_t film_index) const {
    const auto& genres = genre_positions_[film_index];
    double g = 0;
    for (int p : genres)
      g += t.genre[static_cast<std::size_t>(p)];
    g /= static_cast<double>(genres.size());
    for (int d : f.director_ids) {
      if (std::find(t.fav_directors.begin(), t.fav_directors.end(), d) != t.fav_directors.end())
        g += 0.9;
    }
    if (f.year > 0) {
      const double z = (f.year - t.era_center) / t.era_width;
      g -= std::min(2.0, 0.5 * z * z);
    }
    return g;
  }

  void fill_history(User& u, Rng& r, int size) {
    const auto& films = w_->films_;
    const Taste& t = u.taste;
    std::vector<double> weights(films.size());
    std::vector<double> aff(films.size());
    for (std::size_t i = 0; i < films.size(); ++i) {
      aff[i] = affinity(t, films[i], i);
      weights[i] =
          std::pow(films[i].vote_count + 3.0, 1.0 - 0.8 * t.obscurity) * std::exp(1.2 * aff[i]);
    }
    size = std::min<int>(size, static_cast<int>(films.size() * 6 / 10));
    const std::vector<int> seen = weighted_sample(r, weights, static_cast<std::size_t>(size));
    u.joined_day = kWorldToday - r.range(std::max(60, size / 2), 5200);
    for (int fi : seen) {
      const Film& f = films[static_cast<std::size_t>(fi)];
      Viewing v;
      v.film = fi;
      const double latent = 0.8 * f.quality + 0.9 * aff[static_cast<std::size_t>(fi)] +
                            t.harshness + r.normal(0, t.noise);
      const int stars = std::clamp(static_cast<int>(std::lround(2 * (3.2 + 0.9 * latent))), 1, 10);
      const bool rated = !r.chance(t.unrated_share);
      v.rating = rated ? stars : 0;
      const double like_p = 1.0 / (1.0 + std::exp(-(stars - 8.5) * 1.3));
      v.liked = r.chance(like_p * t.like_rate) || (!rated && r.chance(0.08));
      v.watched_day =
          u.joined_day +
          static_cast<int>(r.below(static_cast<std::uint64_t>(kWorldToday - u.joined_day)));
      v.in_diary = r.chance(0.75);
      v.rewatch = v.in_diary && r.chance(0.04);
      v.reviewed = v.in_diary && r.chance(0.08);
      v.viewing_id = static_cast<std::uint32_t>(r.range(1000000, 999999999));
      u.films.push_back(v);
    }
    std::sort(u.films.begin(), u.films.end(), [](const Viewing& a, const Viewing& b) {
      return a.watched_day != b.watched_day ? a.watched_day > b.watched_day : a.film < b.film;
    });

    // Watchlist: unseen films the member leans towards.
    std::vector<char> is_seen(films.size(), 0);
    for (int fi : seen)
      is_seen[static_cast<std::size_t>(fi)] = 1;
    for (std::size_t i = 0; i < films.size(); ++i) {
      if (is_seen[i]) weights[i] = 0;
    }
    const int wl = size == 0 ? r.range(0, 5) : r.range(0, std::min(200, size / 3 + 5));
    u.watchlist = weighted_sample(r, weights, static_cast<std::size_t>(wl));
  }

  void make_users() {
    std::set<std::string> names;
    std::size_t index = 0;
    for (const NamedMember& m : named_members(o_.markup)) {
      Rng r = rng("member", index++);
      User u;
      u.name = m.name;
      u.display_name = std::string(m.name);
      u.display_name[0] = static_cast<char>(u.display_name[0] - 'a' + 'A');
      u.markup = m.markup;
      u.rotate_markup = m.name == "shapeshifter";
      u.taste = make_taste(r);
      if (m.unrated_share >= 0) u.taste.unrated_share = m.unrated_share;
      if (m.obscurity >= 0) u.taste.obscurity = m.obscurity;
      if (!std::isnan(m.harshness)) u.taste.harshness = m.harshness;
      fill_history(u, r, m.size);
      names.insert(u.name);
      w_->users_.push_back(std::move(u));
    }
    static constexpr std::string_view kReserved[] = {
        "film",   "films",    "tmdb",  "imdb", "list", "lists", "members",
        "search", "settings", "about", "s",    "csi",  "ajax",  "director"};
    for (int i = 0; i < o_.users; ++i) {
      Rng r = rng("user", static_cast<std::uint64_t>(i));
      User u;
      for (;;) {
        const std::string first = ascii_handle(r.pick(first_names()));
        const std::string last = ascii_handle(r.pick(last_names()));
        static constexpr std::string_view kSeparators[] = {"", "_", "-", ""};
        std::string name =
            first + std::string(r.pick(std::span<const std::string_view>(kSeparators)));
        name += r.chance(0.5) ? last : std::to_string(r.range(1, 9999));
        if (name.size() > 50) name.resize(50);
        if (std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved))
          continue;
        if (names.insert(name).second) {
          u.name = name;
          break;
        }
      }
      u.display_name = fmt::format("{} {}", r.pick(first_names()), r.pick(last_names()));
      u.markup = o_.markup;
      u.taste = make_taste(r);
      const int size = r.chance(0.03)
                           ? r.range(1500, 2500)
                           : static_cast<int>(std::exp(
                                 std::log(5.0) + r.unit() * (std::log(1500.0) - std::log(5.0))));
      fill_history(u, r, size);
      w_->users_.push_back(std::move(u));
    }
  }

  void index() {
    World& w = *w_;
    w.fans_.assign(w.films_.size(), {});
    for (std::size_t ui = 0; ui < w.users_.size(); ++ui) {
      for (const Viewing& v : w.users_[ui].films) {
        if (v.rating >= 8 || v.liked)
          w.fans_[static_cast<std::size_t>(v.film)].push_back(static_cast<int>(ui));
      }
    }
    for (const Film& f : w.films_) {
      w.by_slug_.emplace(f.slug, f.index);
      w.by_lid_.emplace(f.lid, f.index);
      if (!f.is_tv) w.by_tmdb_.emplace(f.tmdb_id, f.index);
      std::string key = engine::normalize_title(f.title);
      key += " | ";
      key += engine::normalize_title(f.original_title);
      w.normalized_titles_.push_back(std::move(key));
    }
    for (std::size_t ui = 0; ui < w.users_.size(); ++ui) {
      w.by_user_.emplace(core::to_lower_ascii(w.users_[ui].name), static_cast<int>(ui));
    }
  }

  WorldOptions o_;
  std::unique_ptr<World> w_;
  std::array<std::vector<int>, 19> genre_keywords_;
  std::vector<DirectorTraits> directors_;
  std::vector<double> director_weights_;
  std::vector<double> actor_weights_;
  int actor_base_ = 0;
  std::vector<std::vector<int>> genre_positions_;  // per film: tmdb_genres() positions
};

std::shared_ptr<const World> World::generate(const WorldOptions& options) {
  return WorldBuilder(options).build();
}

}  // namespace lbrec::fakeworld
