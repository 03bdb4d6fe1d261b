#include "pipeline/profile_enricher.hpp"

#include <algorithm>

#include "net/gather.hpp"

namespace lbrec::pipeline {

namespace asio = boost::asio;
using sources::tmdb::Identification;

EnrichPlan plan_enrichment(const domain::Profile& profile, const EnrichPolicy& policy) {
  EnrichPlan plan;
  const std::size_t n = profile.films.size();
  plan.need.assign(n, FilmNeed::kIdentify);
  const std::vector<std::size_t> seeds = engine::select_seeds(profile.films, policy.seeds);
  for (std::size_t i : seeds)
    plan.need[i] = FilmNeed::kSeed;
  plan.seeds = seeds.size();
  plan.order = seeds;

  std::vector<std::size_t> liked_more, disliked, rest;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& f = profile.films[i];
    if (plan.need[i] == FilmNeed::kSeed) continue;
    if (f.film.is_tv || !f.rating) {
      rest.push_back(i);
    } else if (*f.rating >= policy.director_min_half_stars) {
      liked_more.push_back(i);
    } else if (*f.rating <= policy.disliked_max_half_stars) {
      disliked.push_back(i);
    } else {
      rest.push_back(i);
    }
  }
  const auto by_rating = [&](bool best_first) {
    return [&profile, best_first](std::size_t a, std::size_t b) {
      const int ra = *profile.films[a].rating, rb = *profile.films[b].rating;
      return best_first ? ra > rb : ra < rb;
    };
  };
  std::stable_sort(liked_more.begin(), liked_more.end(), by_rating(true));
  std::stable_sort(disliked.begin(), disliked.end(), by_rating(false));
  if (disliked.size() > static_cast<std::size_t>(std::max(0, policy.disliked_films))) {
    rest.insert(rest.end(), disliked.begin() + policy.disliked_films, disliked.end());
    disliked.resize(static_cast<std::size_t>(policy.disliked_films));
    std::sort(rest.begin(), rest.end());  // back to most recent first
  }
  for (const auto* group : {&liked_more, &disliked}) {
    for (std::size_t i : *group) {
      plan.need[i] = FilmNeed::kDetails;
      plan.order.push_back(i);
    }
  }
  plan.order.insert(plan.order.end(), rest.begin(), rest.end());
  return plan;
}

namespace {

struct Shared {
  sources::tmdb::MovieCatalog& catalog;
  const domain::Profile& profile;
  const EnrichPolicy& policy;
  const EnrichPlan& plan;
  std::vector<EnrichedFilm>& out;
  const std::function<void(const EnrichedFilm&)>& on_film;
  const std::function<bool()>& should_stop;
  std::size_t next = 0;
  std::optional<core::Error> fatal;
};

asio::awaitable<EnrichedFilm> enrich_one(sources::tmdb::MovieCatalog& catalog,
                                         domain::WatchedFilm watched, bool with_details) {
  EnrichedFilm film;
  film.watched = std::move(watched);
  auto id = co_await catalog.identify(film.watched.film);
  if (!id) {
    film.error = id.error();
    co_return film;
  }
  film.outcome = id->outcome;
  film.movie = id->movie;
  film.from_cache = id->from_cache;
  if (with_details && film.movie) {
    auto details = co_await catalog.details(film.movie->tmdb_id);
    if (details) {
      film.details = std::move(*details);
    } else if (details.error().code != core::ErrorCode::kNotFound) {
      film.error = details.error();
    }
  }
  co_return film;
}

// One of the workers: takes the next film in order until none is left. The executor is single
// threaded, so `shared` needs no lock.
asio::awaitable<bool> worker(Shared* shared) {
  while (shared->next < shared->plan.order.size() && !shared->fatal &&
         !(shared->should_stop && shared->should_stop())) {
    const std::size_t slot = shared->next++;
    const std::size_t index = shared->plan.order[slot];
    const FilmNeed need = shared->plan.need[index];
    EnrichedFilm film = co_await enrich_one(shared->catalog, shared->profile.films[index],
                                            need != FilmNeed::kIdentify);
    film.need = need;
    film.profile_index = index;
    if (film.error && film.error->code == core::ErrorCode::kUnauthorized)
      shared->fatal = film.error;
    if (shared->on_film) shared->on_film(film);
    shared->out[slot] = std::move(film);
  }
  co_return true;
}

}  // namespace

asio::awaitable<EnrichedProfile> enrich_profile(sources::tmdb::MovieCatalog& catalog,
                                                domain::Profile profile, EnrichPolicy policy,
                                                std::function<void(const EnrichedFilm&)> on_film,
                                                std::function<bool()> should_stop) {
  const EnrichPlan plan = plan_enrichment(profile, policy);
  EnrichedProfile result;
  result.films.resize(plan.order.size());
  Shared shared{catalog, profile, policy, plan, result.films, on_film, should_stop};
  std::vector<asio::awaitable<bool>> workers;
  const int count = std::max(1, std::min<int>(policy.workers, static_cast<int>(plan.order.size())));
  for (int i = 0; i < count; ++i)
    workers.push_back(worker(&shared));
  co_await net::gather(std::move(workers));

  result.fatal = shared.fatal;
  if (!shared.fatal) result.films.resize(shared.next);  // stopped early: keep what was worked on
  std::vector<core::Result<Identification>> outcomes;
  for (std::size_t i = 0; i < result.films.size(); ++i) {
    const EnrichedFilm& f = result.films[i];
    if (f.error && !f.movie) {
      outcomes.emplace_back(tl::unexpected(*f.error));
    } else if (i >= shared.next) {
      outcomes.emplace_back(tl::unexpected(*shared.fatal));  // never asked: the key was rejected
    } else {
      outcomes.emplace_back(Identification{f.outcome, f.movie, {}, f.from_cache});
    }
  }
  result.report = sources::tmdb::summarize(outcomes);
  co_return result;
}

}  // namespace lbrec::pipeline
