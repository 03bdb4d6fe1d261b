#include "world.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/strings.hpp"
#include "engine/title.hpp"
#include "providers.hpp"
#include "rng.hpp"

namespace lbrec::fakeworld {
namespace {

constexpr std::array<Genre, 19> kGenres = {{
    {28, "Action"},      {12, "Adventure"},  {16, "Animation"},
    {35, "Comedy"},      {80, "Crime"},      {99, "Documentary"},
    {18, "Drama"},       {10751, "Family"},  {14, "Fantasy"},
    {36, "History"},     {27, "Horror"},     {10402, "Music"},
    {9648, "Mystery"},   {10749, "Romance"}, {878, "Science Fiction"},
    {10770, "TV Movie"}, {53, "Thriller"},   {10752, "War"},
    {37, "Western"},
}};

// Film indexes ordered by rank (higher first when `higher_first`), then by popularity, then by
// index, as TMDB orders search and similar results.
std::vector<int> order_by_rank(std::vector<std::pair<int, int>> ranked,
                               const std::vector<Film>& films, bool higher_first) {
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return higher_first ? a.first > b.first : a.first < b.first;
    const double pa = films[static_cast<std::size_t>(a.second)].popularity;
    const double pb = films[static_cast<std::size_t>(b.second)].popularity;
    return pa != pb ? pa > pb : a.second < b.second;
  });
  std::vector<int> out;
  out.reserve(ranked.size());
  for (const auto& r : ranked)
    out.push_back(r.second);
  return out;
}

int count_shared(const std::vector<int>& a, const std::vector<int>& b) {
  int n = 0;
  for (int x : a)
    n += static_cast<int>(std::count(b.begin(), b.end(), x));
  return n;
}

}  // namespace

std::string_view to_string(Markup markup) {
  switch (markup) {
    case Markup::kLegacy:
      return "legacy";
    case Markup::kLazyPoster:
      return "lazyposter";
    case Markup::kCurrent:
      return "current";
  }
  return "current";
}

std::optional<Markup> parse_markup(std::string_view text) {
  if (text == "legacy") return Markup::kLegacy;
  if (text == "lazyposter") return Markup::kLazyPoster;
  if (text == "current") return Markup::kCurrent;
  return std::nullopt;
}

std::span<const Genre> tmdb_genres() {
  return kGenres;
}

std::string_view genre_name(int id) {
  for (const Genre& g : kGenres) {
    if (g.id == id) return g.name;
  }
  return {};
}

const Film* World::film_by_slug(std::string_view slug) const {
  const auto it = by_slug_.find(std::string(slug));
  return it == by_slug_.end() ? nullptr : &films_[static_cast<std::size_t>(it->second)];
}

const Film* World::film_by_tmdb(int tmdb_id) const {
  const auto it = by_tmdb_.find(tmdb_id);
  return it == by_tmdb_.end() ? nullptr : &films_[static_cast<std::size_t>(it->second)];
}

const Film* World::film_by_lid(std::string_view lid) const {
  const auto it = by_lid_.find(std::string(lid));
  return it == by_lid_.end() ? nullptr : &films_[static_cast<std::size_t>(it->second)];
}

const User* World::user(std::string_view name) const {
  const auto it = by_user_.find(core::to_lower_ascii(name));
  return it == by_user_.end() ? nullptr : &users_[static_cast<std::size_t>(it->second)];
}

std::vector<int> World::similar(int film) const {
  const Film& f = films_[static_cast<std::size_t>(film)];
  std::vector<std::pair<int, int>> scored;  // (score, index)
  for (const Film& g : films_) {
    if (g.index == film || g.is_tv) continue;
    const int genres = count_shared(f.genre_ids, g.genre_ids);
    if (genres == 0) continue;
    const int score = 2 * genres + count_shared(f.keyword_ids, g.keyword_ids) +
                      (f.collection >= 0 && f.collection == g.collection ? 3 : 0);
    scored.emplace_back(score, g.index);  // TMDB's list is loose: any shared genre counts
  }
  return order_by_rank(std::move(scored), films_, true);
}

std::vector<int> World::recommendations(int film, int exclude_user) const {
  // Films co-liked by this film's fans, discounted by how widely liked they are (lift), so the
  // list is specific rather than the most popular films overall.
  std::vector<float> together(films_.size(), 0);
  for (int u : fans(film)) {
    if (u == exclude_user) continue;
    for (const Viewing& v : users_[static_cast<std::size_t>(u)].films) {
      if ((v.rating >= 8 || v.liked) && v.film != film)
        together[static_cast<std::size_t>(v.film)] += 1;
    }
  }
  std::vector<std::pair<double, int>> scored;
  for (std::size_t i = 0; i < together.size(); ++i) {
    if (together[i] < 2 || films_[i].is_tv) continue;
    const bool excluded_fan = exclude_user >= 0 && std::find(fans_[i].begin(), fans_[i].end(),
                                                             exclude_user) != fans_[i].end();
    const double fans = static_cast<double>(fans_[i].size()) - (excluded_fan ? 1 : 0);
    scored.emplace_back(together[i] / std::sqrt(std::max(1.0, fans)), static_cast<int>(i));
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<int> out;
  for (std::size_t i = 0; i < scored.size() && i < 40; ++i)
    out.push_back(scored[i].second);
  return out;
}

std::vector<const Provider*> World::providers(std::string_view country) const {
  return providers_in(country);
}

std::vector<Offer> World::offers(int film, std::string_view country) const {
  const Film& f = films_[static_cast<std::size_t>(film)];
  Rng r = Rng::derive(options_.seed, std::string("offers:") + std::string(country),
                      static_cast<std::uint64_t>(film));
  const double reach = std::min(1.0, std::log(f.vote_count + 1.0) / std::log(20000.0));
  std::vector<Offer> out;
  if (f.is_tv || !r.chance(0.15 + 0.7 * reach)) return out;
  const auto available = providers_in(country);
  std::vector<const Provider*> streaming, stores;
  for (const Provider* p : available)
    (p->kind == Provider::kStore ? stores : streaming).push_back(p);
  const int n = r.range(1, 3);
  for (int i = 0; i < n; ++i) {
    const Provider* p = streaming[r.below(streaming.size())];
    if (std::any_of(out.begin(), out.end(), [&](const Offer& o) { return o.provider == p; }))
      continue;
    out.push_back({p, p->kind == Provider::kFree  ? "free"
                      : p->kind == Provider::kAds ? "ads"
                                                  : "flatrate"});
  }
  if (r.chance(0.3 + 0.6 * reach)) {
    for (const Provider* p : stores) {
      if (!r.chance(0.6)) continue;
      if (r.chance(0.8)) out.push_back({p, "rent"});
      out.push_back({p, "buy"});
    }
  }
  return out;
}

std::vector<int> World::search(std::string_view query, int year, int primary_year) const {
  const std::string q = engine::normalize_title(query);
  std::vector<std::string_view> words;
  for (std::size_t start = 0; start < q.size();) {
    const std::size_t end = std::min(q.find(' ', start), q.size());
    words.push_back(std::string_view(q).substr(start, end - start));
    start = end + 1;
  }
  if (words.empty()) return {};
  std::vector<std::pair<int, int>> hits;  // (rank class, index): 0 exact, 1 contains
  for (const Film& f : films_) {
    if (f.is_tv) continue;
    if (primary_year != 0 && f.year != primary_year) continue;
    if (year != 0 && f.year != year && f.letterboxd_year != year) continue;
    const std::string& key = normalized_titles_[static_cast<std::size_t>(f.index)];
    const std::size_t bar = key.find(" | ");
    const std::string_view title = std::string_view(key).substr(0, bar);
    const std::string_view original = std::string_view(key).substr(bar + 3);
    if (title == q || original == q) {
      hits.emplace_back(0, f.index);
      continue;
    }
    // Each word must start a word of the title or original title.
    const auto has_word = [](std::string_view text, std::string_view w) {
      for (std::size_t p = text.find(w); p != std::string_view::npos; p = text.find(w, p + 1)) {
        if (p == 0 || text[p - 1] == ' ') return true;
      }
      return false;
    };
    const bool all = std::all_of(words.begin(), words.end(), [&](std::string_view w) {
      return has_word(title, w) || has_word(original, w);
    });
    if (all) hits.emplace_back(1, f.index);
  }
  return order_by_rank(std::move(hits), films_, false);
}

}  // namespace lbrec::fakeworld
