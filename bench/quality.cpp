// Recommendation quality on the fake world, with two baselines computed in the same run on the
// same data. For every generated member with at least 4 films rated 4 stars or more, a quarter of
// those films (at least one) is hidden: removed from the history as if never watched. Each
// algorithm then recommends 20 films from what is left, and is scored on finding the hidden ones:
// Recall@20, NDCG@20, catalogue coverage (distinct films recommended / films in the catalogue)
// and the mean TMDB popularity of what it recommends.
//
//   lbrec          engine::Ranker over the `recommendations` and `similar` lists of every film the
//                  pipeline fetches details for (pipeline::plan_enrichment), at several depths
//   seed           the seed's algorithm: per 4-star film its `similar` list (12 items), keep
//                  TMDB vote >= 7.0 and unseen, in arrival order (films in profile order)
//   most popular   the most popular films the member has not seen
//
// TMDB data comes straight from the world (what the fake TMDB serves). `recommendations` lists are
// recomputed without the evaluated member, so their own hidden films cannot leak into them.
// Targets: lbrec NDCG@20 >= 1.5x the seed's algorithm and >= 2x most popular.
// Run: build/release/bench/quality [--users N] [--seed S] [--films F]

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "domain/genre.hpp"
#include "engine/ranker.hpp"
#include "engine/title.hpp"
#include "fakeworld/rng.hpp"
#include "fakeworld/world.hpp"
#include "pipeline/profile_enricher.hpp"

namespace lbrec {
namespace {

constexpr std::size_t kTopN = 20;
constexpr int kSeedNeighbours = 12;
constexpr double kMinRating = 7.0;
constexpr int kTmdbPage = 20;

domain::MovieSummary summary_of(const fakeworld::Film& f) {
  domain::MovieSummary m;
  m.tmdb_id = f.tmdb_id;
  m.title = f.title;
  m.original_title = f.original_title;
  m.original_language = f.original_language;
  m.release_date = f.release_date;
  m.genre_ids = f.genre_ids;
  m.vote_average = f.vote_average;
  m.vote_count = f.vote_count;
  m.popularity = f.popularity;
  m.poster_path = f.poster_path;
  return m;
}

std::vector<domain::MovieSummary> page_of(const fakeworld::World& w, const std::vector<int>& ids) {
  std::vector<domain::MovieSummary> out;
  for (std::size_t i = 0; i < ids.size() && out.size() < static_cast<std::size_t>(kTmdbPage); ++i)
    out.push_back(summary_of(w.films()[static_cast<std::size_t>(ids[i])]));
  return out;
}

// `similar` does not depend on members, and is the slow part: computed once per film.
const std::vector<int>& similar_of(const fakeworld::World& w, int film) {
  static std::vector<std::optional<std::vector<int>>> memo;
  if (memo.size() != w.films().size()) memo.assign(w.films().size(), std::nullopt);
  auto& slot = memo[static_cast<std::size_t>(film)];
  if (!slot) slot = w.similar(film);
  return *slot;
}

domain::MovieDetails details_of(const fakeworld::World& w, int film, int exclude_user) {
  const fakeworld::Film& f = w.films()[static_cast<std::size_t>(film)];
  domain::MovieDetails d;
  d.summary = summary_of(f);
  for (int g : f.genre_ids)
    d.genres.emplace_back(domain::genre_name(g));
  if (f.has_director_credit) {
    for (int p : f.director_ids) {
      const fakeworld::Person& person = w.people()[static_cast<std::size_t>(p)];
      d.directors.push_back({person.id, person.name});
    }
  }
  d.runtime = f.runtime;
  if (f.collection >= 0)
    d.collection_id = w.collections()[static_cast<std::size_t>(f.collection)].id;
  d.similar = page_of(w, similar_of(w, film));
  d.recommendations = page_of(w, w.recommendations(film, exclude_user));
  return d;
}

struct Case {
  int user = 0;
  std::vector<fakeworld::Viewing> visible;
  std::set<int> hidden;  // tmdb ids
};

struct Scores {
  double recall = 0, ndcg = 0, popularity = 0;
  int users = 0, recommended = 0;
  std::set<int> distinct;

  void add(const std::vector<int>& ids, const std::set<int>& hidden, const fakeworld::World& w) {
    int hits = 0;
    double dcg = 0, ideal = 0;
    for (std::size_t k = 0; k < ids.size() && k < kTopN; ++k) {
      if (hidden.contains(ids[k])) {
        ++hits;
        dcg += 1.0 / std::log2(static_cast<double>(k) + 2.0);
      }
      distinct.insert(ids[k]);
      popularity += w.film_by_tmdb(ids[k])->popularity;
      ++recommended;
    }
    for (std::size_t k = 0; k < std::min(hidden.size(), kTopN); ++k)
      ideal += 1.0 / std::log2(static_cast<double>(k) + 2.0);
    recall += static_cast<double>(hits) / static_cast<double>(std::min(hidden.size(), kTopN));
    ndcg += dcg / ideal;
    ++users;
  }
  void print(std::string_view name, std::size_t catalogue) const {
    fmt::print("{:<34} {:>9.4f} {:>9.4f} {:>9.1f}% {:>11.1f}\n", name, recall / users, ndcg / users,
               100.0 * static_cast<double>(distinct.size()) / catalogue,
               recommended ? popularity / recommended : 0.0);
  }
  double mean_ndcg() const { return users ? ndcg / users : 0; }
};

std::vector<Case> make_cases(const fakeworld::World& w, std::uint64_t seed) {
  std::vector<Case> cases;
  for (std::size_t u = 0; u < w.users().size(); ++u) {
    const fakeworld::User& user = w.users()[u];
    std::vector<std::size_t> loved;
    for (std::size_t i = 0; i < user.films.size(); ++i) {
      const fakeworld::Film& f = w.films()[static_cast<std::size_t>(user.films[i].film)];
      if (user.films[i].rating >= 8 && !f.is_tv) loved.push_back(i);
    }
    if (loved.size() < 4) continue;
    fakeworld::Rng r = fakeworld::Rng::derive(seed, "quality-hide", u);
    for (std::size_t i = loved.size(); i > 1; --i)  // Fisher-Yates with the world's own RNG
      std::swap(loved[i - 1], loved[r.below(i)]);
    loved.resize(std::max<std::size_t>(1, loved.size() / 4));
    Case c;
    c.user = static_cast<int>(u);
    std::set<std::size_t> hide(loved.begin(), loved.end());
    for (std::size_t i = 0; i < user.films.size(); ++i) {
      if (hide.contains(i)) {
        c.hidden.insert(w.films()[static_cast<std::size_t>(user.films[i].film)].tmdb_id);
      } else {
        c.visible.push_back(user.films[i]);
      }
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

domain::Profile profile_of(const fakeworld::World& w, const Case& c) {
  domain::Profile p;
  for (const fakeworld::Viewing& v : c.visible) {
    const fakeworld::Film& f = w.films()[static_cast<std::size_t>(v.film)];
    domain::WatchedFilm wf;
    wf.film.slug = f.slug;
    wf.film.title = f.title;
    if (f.letterboxd_year) wf.film.year = f.letterboxd_year;
    wf.film.is_tv = f.is_tv;
    if (v.rating) wf.rating = v.rating;
    wf.liked = v.liked;
    p.films.push_back(std::move(wf));
  }
  for (int fi : w.users()[static_cast<std::size_t>(c.user)].watchlist) {
    const fakeworld::Film& f = w.films()[static_cast<std::size_t>(fi)];
    domain::FilmRef ref;
    ref.slug = f.slug;
    ref.title = f.title;
    if (f.letterboxd_year) ref.year = f.letterboxd_year;
    p.watchlist.push_back(ref);
  }
  return p;
}

// The history as the pipeline would hand it to the engine: every film identified (TV entries
// not), details for the films the enrichment plan fetches.
std::vector<engine::WatchedMovie> history_of(const fakeworld::World& w, const Case& c,
                                             const domain::Profile& p,
                                             const pipeline::EnrichPlan& plan) {
  std::vector<engine::WatchedMovie> out;
  for (std::size_t i = 0; i < p.films.size(); ++i) {
    const fakeworld::Film& f = w.films()[static_cast<std::size_t>(c.visible[i].film)];
    engine::WatchedMovie m;
    m.watched = p.films[i];
    if (!f.is_tv) {
      m.movie = summary_of(f);
      if (plan.need[i] != pipeline::FilmNeed::kIdentify) m.details = details_of(w, f.index, c.user);
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<int> lbrec_top(const std::vector<engine::WatchedMovie>& history,
                           const domain::Profile& p, const pipeline::EnrichPlan& plan,
                           engine::RankSettings settings) {
  engine::Ranker ranker(history, p.watchlist, settings);
  for (std::size_t i : plan.order) {
    if (history[i].details) ranker.add_neighbours(history[i]);
  }
  std::vector<int> ids;
  for (const domain::Recommendation& r : ranker.top(kTopN))
    ids.push_back(r.movie.tmdb_id);
  return ids;
}

std::vector<int> seed_top(const fakeworld::World& w, const Case& c) {
  std::unordered_set<int> seen;
  std::unordered_set<std::string> seen_titles;
  for (const fakeworld::Viewing& v : c.visible) {
    const fakeworld::Film& f = w.films()[static_cast<std::size_t>(v.film)];
    seen.insert(f.tmdb_id);
    seen_titles.insert(engine::normalize_title(f.title));
  }
  std::vector<int> out;
  std::unordered_set<int> taken;
  for (const fakeworld::Viewing& v : c.visible) {
    if (v.rating < 8) continue;
    const std::vector<int>& similar = similar_of(w, v.film);
    for (std::size_t k = 0; k < similar.size() && k < static_cast<std::size_t>(kSeedNeighbours);
         ++k) {
      const fakeworld::Film& g = w.films()[static_cast<std::size_t>(similar[k])];
      if (g.vote_average < kMinRating || seen.contains(g.tmdb_id) ||
          seen_titles.contains(engine::normalize_title(g.title)) || !taken.insert(g.tmdb_id).second)
        continue;
      out.push_back(g.tmdb_id);
    }
  }
  if (out.size() > kTopN) out.resize(kTopN);
  return out;
}

std::vector<int> popular_top(const fakeworld::World& w, const Case& c,
                             const std::vector<int>& by_popularity) {
  std::unordered_set<int> seen;
  for (const fakeworld::Viewing& v : c.visible)
    seen.insert(v.film);
  std::vector<int> out;
  for (int fi : by_popularity) {
    if (out.size() == kTopN) break;
    if (!seen.contains(fi)) out.push_back(w.films()[static_cast<std::size_t>(fi)].tmdb_id);
  }
  return out;
}

// "--weights genre=0.5,quality=0.2": overrides for tuning runs.
std::string weights_override;

void apply_weights(engine::RankSettings& s) {
  std::size_t pos = 0;
  while (pos < weights_override.size()) {
    const std::size_t end = std::min(weights_override.find(',', pos), weights_override.size());
    const std::string item = weights_override.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = item.substr(0, eq);
    const double v = std::strtod(item.c_str() + eq + 1, nullptr);
    engine::RankWeights& w = s.weights;
    const std::map<std::string, double*> fields = {{"recs", &w.recommendations_list},
                                                   {"similar", &w.similar_list},
                                                   {"evidence", &w.evidence},
                                                   {"genre", &w.genre},
                                                   {"decade", &w.decade},
                                                   {"director", &w.director},
                                                   {"quality", &w.quality},
                                                   {"low", &w.low_seed_penalty},
                                                   {"pop", &w.popularity},
                                                   {"prior_votes", &s.prior_votes},
                                                   {"prior_mean", &s.prior_mean}};
    if (const auto it = fields.find(key); it != fields.end()) *it->second = v;
  }
}

int run(int argc, char** argv) {
  fakeworld::WorldOptions options;
  options.seed = 42;
  options.films = 5000;
  options.users = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const long value = std::strtol(argv[i + 1], nullptr, 10);
    if (flag == "--users")
      options.users = static_cast<int>(value);
    else if (flag == "--seed")
      options.seed = static_cast<std::uint64_t>(value);
    else if (flag == "--films")
      options.films = static_cast<int>(value);
    else if (flag == "--weights")
      weights_override = argv[i + 1];
  }
  const auto world = fakeworld::World::generate(options);
  const fakeworld::World& w = *world;
  std::vector<int> by_popularity;
  std::size_t catalogue = 0;
  for (const fakeworld::Film& f : w.films()) {
    if (f.is_tv) continue;
    by_popularity.push_back(f.index);
    ++catalogue;
  }
  std::sort(by_popularity.begin(), by_popularity.end(), [&](int a, int b) {
    return w.films()[static_cast<std::size_t>(a)].popularity >
           w.films()[static_cast<std::size_t>(b)].popularity;
  });

  const std::vector<Case> cases = make_cases(w, options.seed);
  const std::vector<int> depths = {12, 20};
  std::map<int, Scores> ours;
  Scores seed, popular;
  std::size_t hidden = 0;
  for (const Case& c : cases) {
    const domain::Profile p = profile_of(w, c);
    const pipeline::EnrichPlan plan = plan_enrichment(p, pipeline::EnrichPolicy{});
    const auto history = history_of(w, c, p, plan);
    for (int depth : depths) {
      engine::RankSettings settings;
      settings.per_list = depth;
      apply_weights(settings);
      ours[depth].add(lbrec_top(history, p, plan, settings), c.hidden, w);
    }
    seed.add(seed_top(w, c), c.hidden, w);
    popular.add(popular_top(w, c, by_popularity), c.hidden, w);
    hidden += c.hidden.size();
  }

  fmt::print("fake world seed {}: {} films, {} members evaluated, {} hidden 4-star films\n",
             options.seed, catalogue, cases.size(), hidden);
  fmt::print("{:<34} {:>9} {:>9} {:>10} {:>11}\n", "algorithm", "Recall@20", "NDCG@20", "coverage",
             "popularity");
  for (int depth : depths)
    ours[depth].print(fmt::format("lbrec (lists of {})", depth), catalogue);
  seed.print("seed (similar x12, vote >= 7.0)", catalogue);
  popular.print("most popular unseen", catalogue);
  const double best = ours[20].mean_ndcg();
  const double vs_seed = best / std::max(1e-9, seed.mean_ndcg());
  const double vs_popular = best / std::max(1e-9, popular.mean_ndcg());
  fmt::print(
      "lbrec (lists of 20) NDCG@20: {:.2f}x the seed's algorithm (target >= 1.5x), {:.2f}x "
      "most popular (target >= 2x)\n",
      vs_seed, vs_popular);
  return vs_seed >= 1.5 && vs_popular >= 2.0 ? 0 : 1;
}

}  // namespace
}  // namespace lbrec

int main(int argc, char** argv) {
  return lbrec::run(argc, argv);
}
