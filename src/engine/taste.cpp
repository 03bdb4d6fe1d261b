#include "engine/taste.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "domain/genre.hpp"

namespace lbrec::engine {

namespace {

std::optional<int> year_of(const WatchedMovie& f) {
  if (f.movie) {
    if (auto y = f.movie->year()) return y;
  }
  return f.watched.film.year;
}

std::optional<int> decade_of(const WatchedMovie& f) {
  const auto y = year_of(f);
  if (!y || *y < 1870) return std::nullopt;
  return *y / 10 * 10;
}

// The member's feeling about a film relative to their mean, in stars; nullopt when it says
// nothing (unrated and not liked).
std::optional<double> deviation(const WatchedMovie& f, double mean) {
  const auto& w = f.watched;
  if (w.rating) return *w.rating / 2.0 - mean + (w.liked ? 0.25 : 0.0);
  if (w.liked) return 0.5;
  return std::nullopt;
}

template <typename Key>
struct Tally {
  std::map<Key, double> sum;
  std::map<Key, int> n;
  void add(const Key& k, double d) {
    sum[k] += d;
    ++n[k];
  }
  std::map<Key, double> shrunk() const {
    std::map<Key, double> out;
    for (const auto& [k, s] : sum)
      out[k] = s / (n.at(k) + kAffinityPrior);
    return out;
  }
};

// Top three keys by count (ties: first seen), as the seed's Counter.most_common(3).
std::vector<std::string> top_by_count(const std::vector<std::string>& seen_order,
                                      const std::map<std::string, int>& counts) {
  std::vector<std::string> keys = seen_order;
  std::stable_sort(keys.begin(), keys.end(), [&](const std::string& a, const std::string& b) {
    return counts.at(a) > counts.at(b);
  });
  if (keys.size() > 3) keys.resize(3);
  return keys;
}

// Top three by affinity among traits seen at least twice and liked above the member's mean.
template <typename Key, typename Name>
std::vector<std::string> top_by_affinity(const std::map<Key, double>& affinity,
                                         const std::map<Key, int>& counts, Name name) {
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [k, a] : affinity) {
    // `affinity` may come from another history than `counts`: a trait it lacks is unseen here.
    const auto n = counts.find(k);
    if (a <= 0 || n == counts.end() || n->second < 2) continue;
    std::string label = name(k);
    if (!label.empty()) ranked.emplace_back(a, std::move(label));  // "" for an unknown genre id
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked.size() && i < 3; ++i)
    out.push_back(ranked[i].second);
  return out;
}

}  // namespace

std::string decade_label(int year) {
  return fmt::format("{}s", year / 10 * 10);
}

Taste build_taste(std::span<const WatchedMovie> films) {
  Taste t;
  double total = 0;
  for (const WatchedMovie& f : films) {
    if (f.watched.rating) {
      total += *f.watched.rating / 2.0;
      ++t.rated;
    }
  }
  if (t.rated > 0) t.mean_stars = total / t.rated;

  Tally<int> genres, decades;
  Tally<std::string> directors;
  for (const WatchedMovie& f : films) {
    const auto d = deviation(f, t.mean_stars);
    if (!d || !f.movie) continue;
    for (int g : f.movie->genre_ids)
      genres.add(g, *d);
    if (const auto dec = decade_of(f)) decades.add(*dec, *d);
    if (f.details) {
      for (const domain::Person& p : f.details->directors)
        directors.add(p.name, *d);
    }
  }
  t.genre = genres.shrunk();
  t.decade = decades.shrunk();
  t.director = directors.shrunk();
  return t;
}

domain::Preferences preferences_of(std::span<const WatchedMovie> films, const Taste& taste) {
  std::vector<std::string> genre_order, director_order, decade_order;
  std::map<std::string, int> genre_n, director_n, decade_n;
  std::map<int, int> genre_id_n, decade_year_n;
  std::map<std::string, int> director_rated_n;
  const auto count = [](std::vector<std::string>& order, std::map<std::string, int>& n,
                        const std::string& key) {
    if (n[key]++ == 0) order.push_back(key);
  };
  for (const WatchedMovie& f : films) {
    if (f.movie) {
      if (f.details && !f.details->genres.empty()) {
        for (const std::string& g : f.details->genres)
          count(genre_order, genre_n, g);
      } else {
        for (int g : f.movie->genre_ids) {
          const std::string_view name = domain::genre_name(g);
          if (!name.empty()) count(genre_order, genre_n, std::string(name));
        }
      }
      if (const auto dec = decade_of(f)) count(decade_order, decade_n, decade_label(*dec));
    }
    if (f.details) {
      for (const domain::Person& p : f.details->directors)
        count(director_order, director_n, p.name);
    }
    if (!deviation(f, taste.mean_stars) || !f.movie) continue;
    for (int g : f.movie->genre_ids)
      ++genre_id_n[g];
    if (const auto dec = decade_of(f)) ++decade_year_n[*dec];
    if (f.details) {
      for (const domain::Person& p : f.details->directors)
        ++director_rated_n[p.name];
    }
  }
  domain::Preferences p;
  p.genres = top_by_count(genre_order, genre_n);
  p.directors = top_by_count(director_order, director_n);
  p.decades = top_by_count(decade_order, decade_n);
  p.genres_weighted = top_by_affinity(taste.genre, genre_id_n,
                                      [](int g) { return std::string(domain::genre_name(g)); });
  p.directors_weighted =
      top_by_affinity(taste.director, director_rated_n, [](const std::string& s) { return s; });
  p.decades_weighted =
      top_by_affinity(taste.decade, decade_year_n, [](int d) { return decade_label(d); });
  return p;
}

}  // namespace lbrec::engine
