#include "pipeline/profile_enricher.hpp"

#include <algorithm>

#include "net/gather.hpp"

namespace lbrec::pipeline {

namespace asio = boost::asio;
using sources::tmdb::Identification;

bool is_seed(const domain::WatchedFilm& film, const EnrichPolicy& policy) {
  if (film.rating && *film.rating >= policy.seed_min_half_stars) return true;
  return policy.likes_are_seeds && film.liked;
}

bool needs_details(const domain::WatchedFilm& film, const EnrichPolicy& policy) {
  return is_seed(film, policy) || (film.rating && *film.rating >= policy.director_min_half_stars);
}

std::vector<std::size_t> enrichment_order(const domain::Profile& profile,
                                          const EnrichPolicy& policy) {
  std::vector<std::size_t> order(profile.films.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  // Films arrive most recently watched first; a stable sort keeps that order within a class.
  const auto rank = [&](std::size_t i) {
    const auto& f = profile.films[i];
    const int rating = f.rating.value_or(0);
    if (is_seed(f, policy)) return std::pair{0, -(rating * 2 + (f.liked ? 1 : 0))};
    if (needs_details(f, policy)) return std::pair{1, -rating};
    return std::pair{2, 0};
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  return order;
}

namespace {

struct Shared {
  sources::tmdb::MovieCatalog& catalog;
  const domain::Profile& profile;
  const EnrichPolicy& policy;
  const std::vector<std::size_t>& order;
  std::vector<EnrichedFilm>& out;
  const std::function<void(const EnrichedFilm&)>& on_film;
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
  while (shared->next < shared->order.size() && !shared->fatal) {
    const std::size_t slot = shared->next++;
    const auto& watched = shared->profile.films[shared->order[slot]];
    const bool with_details = needs_details(watched, shared->policy);
    EnrichedFilm film = co_await enrich_one(shared->catalog, watched, with_details);
    if (film.error && film.error->code == core::ErrorCode::kUnauthorized) shared->fatal = film.error;
    if (shared->on_film) shared->on_film(film);
    shared->out[slot] = std::move(film);
  }
  co_return true;
}

}  // namespace

asio::awaitable<EnrichedProfile> enrich_profile(sources::tmdb::MovieCatalog& catalog,
                                                domain::Profile profile, EnrichPolicy policy,
                                                std::function<void(const EnrichedFilm&)> on_film) {
  const std::vector<std::size_t> order = enrichment_order(profile, policy);
  EnrichedProfile result;
  result.films.resize(order.size());
  Shared shared{catalog, profile, policy, order, result.films, on_film};
  std::vector<asio::awaitable<bool>> workers;
  const int count = std::max(1, std::min<int>(policy.workers, static_cast<int>(order.size())));
  for (int i = 0; i < count; ++i)
    workers.push_back(worker(&shared));
  co_await net::gather(std::move(workers));

  result.fatal = shared.fatal;
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
