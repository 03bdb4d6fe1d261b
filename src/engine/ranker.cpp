#include "engine/ranker.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "domain/genre.hpp"
#include "engine/title.hpp"

namespace lbrec::engine {

namespace {

// The weight of the k-th item (0-based) of a neighbour list: TMDB orders them best first, and
// the first few matter most (the discount of DCG).
double rank_weight(std::size_t k) {
  return 1.0 / std::log2(static_cast<double>(k) + 2.0);
}

std::string display_title(const WatchedMovie& f) {
  if (!f.watched.film.title.empty()) return f.watched.film.title;
  return f.movie ? f.movie->title : std::string();
}

// How a film of the member's history votes for its neighbours: films they loved or liked vote
// for, in proportion to how far above their own average they rated it; films rated clearly below
// their average vote against; films near their average or unrated count a little.
double preference_of(const domain::WatchedFilm& w, double mean_stars) {
  const bool seed = (w.rating && *w.rating >= 8) || w.liked;
  if (!w.rating) return w.liked ? 1.25 : 0.5;
  const double d = *w.rating / 2.0 - mean_stars;
  if (seed) return std::max(0.25, 1.0 + d + (w.liked ? 0.5 : 0.0));
  if (d < -0.25) return d;
  return std::max(0.1, 0.5 + d);
}

}  // namespace

std::string reason_text(std::span<const std::string> seeds) {
  if (seeds.empty()) return "Picked for your taste";
  if (seeds.size() == 1) return "Since you liked " + seeds[0];
  if (seeds.size() == 2) return "Because you loved " + seeds[0] + " and " + seeds[1];
  return "Because you loved " + seeds[0] + ", " + seeds[1] + " and " + seeds[2];
}

Ranker::Ranker(std::span<const WatchedMovie> history, std::span<const domain::FilmRef> watchlist,
               RankSettings settings)
    : settings_(std::move(settings)), taste_(build_taste(history)) {
  for (const WatchedMovie& f : history) {
    if (f.movie) {
      seen_ids_.insert(f.movie->tmdb_id);
      seen_titles_.insert(normalize_title(f.movie->title));
      seen_titles_.insert(normalize_title(f.movie->original_title));
    }
    if (f.watched.film.tmdb_id && !f.watched.film.is_tv) seen_ids_.insert(*f.watched.film.tmdb_id);
    seen_titles_.insert(normalize_title(f.watched.film.title));
  }
  seen_titles_.erase("");
  for (const domain::FilmRef& w : watchlist) {
    if (w.tmdb_id) watchlist_ids_.insert(*w.tmdb_id);
    const std::string t = normalize_title(w.title);
    if (!t.empty()) watchlist_titles_.emplace(t + '|' + (w.year ? std::to_string(*w.year) : ""));
  }
}

bool Ranker::eligible(const domain::MovieSummary& m, bool& on_watchlist) const {
  if (m.tmdb_id <= 0 || seen_ids_.contains(m.tmdb_id)) return false;
  if (seen_titles_.contains(normalize_title(m.title)) ||
      seen_titles_.contains(normalize_title(m.original_title))) {
    return false;
  }
  if (m.vote_average < settings_.min_rating) return false;
  on_watchlist = watchlist_ids_.contains(m.tmdb_id);
  if (!on_watchlist) {
    const std::string t = normalize_title(m.title);
    const auto y = m.year();
    on_watchlist = watchlist_titles_.contains(t + '|');
    for (int dy = -1; dy <= 1 && !on_watchlist && y; ++dy)
      on_watchlist = watchlist_titles_.contains(t + '|' + std::to_string(*y + dy));
  }
  return !on_watchlist || settings_.include_watchlist;
}

std::size_t Ranker::add_neighbours(const WatchedMovie& film) {
  if (!film.details) return 0;
  const double preference = preference_of(film.watched, taste_.mean_stars);
  const std::size_t seed = seeds_.size();
  seeds_.push_back({display_title(film), preference});
  ++seeds_added_;
  std::size_t added = 0;
  const auto read = [&](const std::vector<domain::MovieSummary>& list, double list_weight) {
    const std::size_t n = std::min(list.size(), static_cast<std::size_t>(settings_.per_list));
    for (std::size_t k = 0; k < n; ++k) {
      const domain::MovieSummary& m = list[k];
      bool on_watchlist = false;
      if (!eligible(m, on_watchlist)) continue;
      auto [it, fresh] = candidates_.try_emplace(m.tmdb_id);
      Candidate& c = it->second;
      if (fresh) {
        c.movie = m;
        c.on_watchlist = on_watchlist;
        ++added;
      }
      const double vote = preference * rank_weight(k) * list_weight;
      if (!c.votes.empty() && c.votes.back().from == seed) {
        c.votes.back().weight += vote;  // both lists of one film: one voter
      } else {
        c.votes.push_back({seed, vote});
      }
    }
  };
  read(film.details->recommendations, settings_.weights.recommendations_list);
  read(film.details->similar, settings_.weights.similar_list);
  return added;
}

void Ranker::add_candidate_details(const domain::MovieDetails& details) {
  details_.insert_or_assign(details.summary.tmdb_id, details);
}

bool Ranker::has_support(const Candidate& c) {
  return std::any_of(c.votes.begin(), c.votes.end(), [](const Vote& v) { return v.weight > 0; });
}

double Ranker::score(const Candidate& c) const {
  const RankWeights& w = settings_.weights;
  double for_votes = 0, against = 0;
  for (const Vote& v : c.votes)
    (v.weight > 0 ? for_votes : against) += std::abs(v.weight);
  double s = w.evidence * std::log1p(for_votes);
  if (against > 0) s -= w.low_seed_penalty * against / (for_votes + against);

  const domain::MovieSummary& m = c.movie;
  if (!m.genre_ids.empty()) {
    double g = 0;
    for (int id : m.genre_ids) {
      const auto it = taste_.genre.find(id);
      if (it != taste_.genre.end()) g += it->second;
    }
    s += w.genre * g / static_cast<double>(m.genre_ids.size());
  }
  if (const auto y = m.year()) {
    const auto it = taste_.decade.find(*y / 10 * 10);
    if (it != taste_.decade.end()) s += w.decade * it->second;
  }
  if (const auto d = details_.find(m.tmdb_id); d != details_.end()) {
    double best = 0;
    for (const domain::Person& p : d->second.directors) {
      const auto it = taste_.director.find(p.name);
      if (it != taste_.director.end()) best = std::max(best, it->second);
    }
    s += w.director * best;
  }
  const double votes = std::max(0, m.vote_count);
  const double bayes = (votes * m.vote_average + settings_.prior_votes * settings_.prior_mean) /
                       (votes + settings_.prior_votes);
  s += w.quality * (bayes - settings_.prior_mean);
  s += w.popularity * std::log10(votes + 1.0);
  return s;
}

domain::Recommendation Ranker::explain(const Candidate& c, double score) const {
  domain::Recommendation r;
  r.movie = c.movie;
  r.score = score;
  r.on_watchlist = c.on_watchlist;
  std::vector<Vote> votes;
  for (const Vote& v : c.votes) {
    if (v.weight > 0) votes.push_back(v);
  }
  std::stable_sort(votes.begin(), votes.end(),
                   [](const Vote& a, const Vote& b) { return a.weight > b.weight; });
  for (const Vote& v : votes) {
    if (r.because.size() == 3) break;
    const std::string& title = seeds_[v.from].title;
    if (!title.empty() && std::find(r.because.begin(), r.because.end(), title) == r.because.end())
      r.because.push_back(title);
  }
  r.reason = reason_text(r.because);
  if (const auto d = details_.find(c.movie.tmdb_id); d != details_.end()) {
    r.detailed = true;
    r.genres = d->second.genres;
    for (const domain::Person& p : d->second.directors)
      r.directors.push_back(p.name);
    r.runtime = d->second.runtime;
    r.collection_id = d->second.collection_id;
  }
  if (r.genres.empty()) {
    for (int id : c.movie.genre_ids) {
      const std::string_view name = domain::genre_name(id);
      if (!name.empty()) r.genres.emplace_back(name);
    }
  }
  return r;
}

std::size_t Ranker::candidates() const {
  return static_cast<std::size_t>(
      std::count_if(candidates_.begin(), candidates_.end(),
                    [](const auto& entry) { return has_support(entry.second); }));
}

std::vector<domain::Recommendation> Ranker::top(std::size_t n) const {
  std::vector<std::pair<double, const Candidate*>> scored;
  scored.reserve(candidates_.size());
  for (const auto& [id, c] : candidates_) {
    if (has_support(c)) scored.emplace_back(score(c), &c);
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return a.second->movie.tmdb_id < b.second->movie.tmdb_id;
  });

  // Diversify: a collection or a director may fill at most max_per_group places of the top; the
  // films beyond that wait until everything else has been placed.
  std::vector<domain::Recommendation> out;
  std::vector<std::size_t> deferred;
  std::map<std::string, int> used;
  const auto groups = [&](const Candidate& c) {
    std::vector<std::string> keys;
    if (const auto d = details_.find(c.movie.tmdb_id); d != details_.end()) {
      if (d->second.collection_id) keys.push_back("c" + std::to_string(*d->second.collection_id));
      for (const domain::Person& p : d->second.directors)
        keys.push_back("d" + std::to_string(p.id) + p.name);
    }
    return keys;
  };
  for (std::size_t i = 0; i < scored.size() && out.size() < n; ++i) {
    const auto keys = groups(*scored[i].second);
    const bool full = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
      return used[k] >= settings_.max_per_group;
    });
    if (full) {
      deferred.push_back(i);
      continue;
    }
    for (const std::string& k : keys)
      ++used[k];
    out.push_back(explain(*scored[i].second, scored[i].first));
  }
  for (std::size_t i : deferred) {
    if (out.size() >= n) break;
    out.push_back(explain(*scored[i].second, scored[i].first));
  }
  return out;
}

}  // namespace lbrec::engine
