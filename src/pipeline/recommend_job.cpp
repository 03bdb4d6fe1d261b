#include "pipeline/recommend_job.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <map>
#include <set>

#include "domain/country.hpp"
#include "engine/ranker.hpp"
#include "net/gather.hpp"
#include "pipeline/result_memo.hpp"

namespace lbrec::pipeline {

namespace asio = boost::asio;

int stop_target(int count) {
  return count + std::max(5, count / 2);
}

namespace {

using Clock = std::chrono::steady_clock;

struct Annotation {
  std::optional<domain::MovieDetails> details;
  std::optional<domain::Availability> streaming;
};

std::string stars(int half_stars) {
  std::string s;
  for (int i = 0; i < half_stars / 2; ++i)
    s += "\u2605";
  if (half_stars % 2) s += "\u00bd";
  return s;
}

std::string film_label(const domain::MovieSummary& m) {
  const auto y = m.year();
  return y ? fmt::format("{} ({})", m.title, *y) : m.title;
}

void apply(domain::Recommendation& r, const Annotation& a) {
  if (a.details) {
    r.detailed = true;
    if (!a.details->genres.empty()) r.genres = a.details->genres;
    r.directors.clear();
    for (const domain::Person& p : a.details->directors)
      r.directors.push_back(p.name);
    r.runtime = a.details->runtime;
    r.collection_id = a.details->collection_id;
  }
  r.streaming = a.streaming;
}

class Job {
 public:
  Job(JobRequest request, JobServices services, JobSettings settings, JobEvents& events,
      std::function<bool()> cancelled)
      : request_(std::move(request)),
        services_(services),
        settings_(std::move(settings)),
        events_(events),
        cancelled_(std::move(cancelled)) {
    const int asked = request_.count > 0 ? request_.count : settings_.default_count;
    count_ = static_cast<std::size_t>(std::clamp(asked, 1, settings_.max_count));
  }

  asio::awaitable<JobResult> run() {
    result_.username = request_.username;
    const auto country = domain::find_country(request_.country);
    result_.country_code = country ? std::string(country->code) : request_.country;
    result_.country_name = country ? std::string(country->name) : request_.country;

    asio::steady_timer wake(co_await asio::this_coro::executor,
                            asio::steady_timer::time_point::max());
    prewarm_wake_ = &wake;
    std::vector<asio::awaitable<bool>> work;
    work.push_back(main_flow());
    for (int i = 0; i < kPrewarmWorkers; ++i)
      work.push_back(prewarm());
    co_await net::gather(std::move(work));
    prewarm_wake_ = nullptr;
    co_return std::move(result_);
  }

 private:
  static constexpr int kPrewarmWorkers = 4;

  bool is_cancelled() const { return cancelled_ && cancelled_(); }

  void end_prewarm() {
    profile_done_ = true;
    early_.clear();
    prewarm_wake_->cancel();
  }

  asio::awaitable<bool> main_flow() {
    const auto started = Clock::now();
    bool loaded = false;
    try {
      loaded = co_await load_profile();
    } catch (...) {
      end_prewarm();  // the pre-warm workers must not wait for a profile that will never come
      throw;
    }
    end_prewarm();
    if (!loaded) co_return true;
    if (services_.memo != nullptr) {
      memo_key_ = memo_key(request_, profile_, settings_, static_cast<int>(count_));
      if (const auto earlier = services_.memo->find(memo_key_)) {
        replay(*earlier);
        co_return true;
      }
    }
    co_await explore_and_emit();
    if (result_.error) co_return true;
    co_await finish();
    if (services_.memo != nullptr && !result_.cancelled && !result_.error) {
      services_.memo->store(memo_key_, std::make_shared<const JobResult>(result_));
    }
    events_.log(fmt::format("Done: {} recommendations from {} seed films in {:.1f} s",
                            result_.recommendations.size(), result_.seeds_explored,
                            std::chrono::duration<double>(Clock::now() - started).count()));
    co_return true;
  }

  // The same films asked the same question: the earlier ranking, sent as a run would send it.
  // What this run learned about the profile itself (pages, staleness, incident) is kept.
  void replay(const JobResult& earlier) {
    events_.log("Same films and request as a recent run: reusing its ranking");
    result_.preferences = earlier.preferences;
    result_.recommendations = earlier.recommendations;
    result_.identified = earlier.identified;
    result_.not_on_tmdb = earlier.not_on_tmdb;
    result_.seeds = earlier.seeds;
    result_.seeds_explored = earlier.seeds_explored;
    progress_.identified = earlier.identified;
    progress_.seeds = earlier.seeds;
    progress_.seeds_explored = earlier.seeds_explored;
    for (const domain::Recommendation& r : result_.recommendations) {
      if (is_cancelled()) break;
      ++progress_.recommendations;
      events_.recommendation(r);
    }
    result_.cancelled = is_cancelled();
    events_.progress(progress_);
    events_.log(fmt::format("Done: {} recommendations (reused)", result_.recommendations.size()));
  }

  // While Letterboxd pages are still being read, the likely seeds already seen (4 stars or more,
  // or liked) are identified and their details fetched, best rated first. The answers land in
  // the catalogue's cache (concurrent asks share one call), so once the profile is complete the
  // enrichment finds them ready and the first recommendations need no more TMDB round trips.
  void on_early_films(const std::vector<domain::WatchedFilm>& films) {
    if (profile_done_) return;
    ++progress_.pages;  // pages read so far, for the progress bar
    progress_.films += static_cast<int>(films.size());
    events_.progress(progress_);
    for (const domain::WatchedFilm& f : films) {
      const bool seed_like = (f.rating && *f.rating >= settings_.enrich.seeds.min_half_stars) ||
                             (settings_.enrich.seeds.likes && f.liked);
      if (seed_like && !f.film.is_tv) early_.push_back(f);
    }
    if (prewarm_wake_) prewarm_wake_->cancel();
  }

  asio::awaitable<bool> prewarm() {
    while (!profile_done_ && !is_cancelled()) {
      if (early_.empty()) {
        co_await prewarm_wake_->async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      const auto best =
          std::max_element(early_.begin(), early_.end(),
                           [](const domain::WatchedFilm& a, const domain::WatchedFilm& b) {
                             return a.rating.value_or(0) < b.rating.value_or(0);
                           });
      const domain::FilmRef film = best->film;
      early_.erase(best);
      auto id = co_await services_.catalog.identify(film);
      if (id && id->movie && !profile_done_) {
        auto details = co_await services_.catalog.details(id->movie->tmdb_id);
        (void)details;  // cached for the enrichment
      }
    }
    co_return true;
  }

  asio::awaitable<bool> load_profile() {
    if (request_.profile) {
      profile_ = std::move(*request_.profile);
      request_.profile.reset();
      result_.pages = 1;
      events_.log(fmt::format("Read {} films from the export", profile_.films.size()));
    } else {
      if (services_.profiles == nullptr) {
        result_.error = core::Error{core::ErrorCode::kInternal, "no profile source", false};
        co_return false;
      }
      events_.log(fmt::format("Fetching {}'s films from Letterboxd", request_.username));
      auto got = co_await services_.profiles->get(
          request_.username,
          [this](const std::vector<domain::WatchedFilm>& films) { on_early_films(films); });
      if (!got) {
        result_.error = got.error();
        events_.log(fmt::format("Could not read the profile: {}", got.error().message));
        co_return false;
      }
      profile_ = std::move(got->snapshot.profile);
      result_.pages = got->snapshot.pages;
      result_.stale = got->stale;
      result_.incident = got->incident;
      if (got->stale) {
        events_.log("Letterboxd is blocking live reads: using the last saved copy of this profile");
      }
      events_.log(
          fmt::format("Found {} films across {} pages", profile_.films.size(), result_.pages));
    }
    result_.films = static_cast<int>(profile_.films.size());
    progress_.pages = result_.pages;
    progress_.films = result_.films;
    events_.progress(progress_);
    if (profile_.films.empty()) {
      result_.error =
          core::Error{core::ErrorCode::kNotFound, "No movies found for this username.", false};
      co_return false;
    }
    history_.resize(profile_.films.size());
    for (std::size_t i = 0; i < profile_.films.size(); ++i)
      history_[i].watched = profile_.films[i];
    co_return true;
  }

  // The ranking of what has been explored. `detailed`, when given, limits which candidates'
  // details take part (director affinity, diversification); by default all annotated so far.
  engine::Ranker rank(const std::set<int>* detailed = nullptr) const {
    engine::RankSettings s;
    s.per_list = settings_.similar_results_per_film;
    s.min_rating = request_.min_rating.value_or(settings_.min_recommend_rating);
    s.include_watchlist = request_.include_watchlist;
    engine::Ranker ranker(history_, profile_.watchlist, s);
    for (std::size_t i : explored_)
      ranker.add_neighbours(history_[i]);
    for (const auto& [id, a] : annotated_) {
      if (a.details && (detailed == nullptr || detailed->contains(id)))
        ranker.add_candidate_details(*a.details);
    }
    return ranker;
  }

  void on_film(const EnrichedFilm& f) {
    ++progress_.identified;
    if (f.need != FilmNeed::kIdentify) ++detailed_done_;
    failure_streak_ = f.error && !f.movie ? failure_streak_ + 1 : 0;
    if (failure_streak_ == std::max(1, settings_.enrich.workers)) {
      events_.log("TMDB keeps failing: going on with the films looked up so far");
    }
    engine::WatchedMovie& slot = history_[f.profile_index];
    slot.movie = f.movie;
    slot.details = f.details;
    if (f.details) {
      explored_.push_back(f.profile_index);
      dirty_ = true;
    }
    if (f.need == FilmNeed::kSeed && f.details) {
      ++progress_.seeds_explored;
      SeedStatus s;
      s.title = f.watched.film.title.empty() ? f.details->summary.title : f.watched.film.title;
      if (f.watched.rating) s.user_rating = *f.watched.rating / 2.0;
      s.username = request_.username;
      events_.status(s);
      events_.log(f.watched.rating
                      ? fmt::format("Exploring {} ({})", s.title, stars(*f.watched.rating))
                      : fmt::format("Exploring {}", s.title));
    }
    events_.progress(progress_);
  }

  asio::awaitable<bool> explore() {
    const EnrichPlan plan = plan_enrichment(profile_, settings_.enrich);
    detailed_planned_ = static_cast<std::size_t>(std::count_if(
        plan.need.begin(), plan.need.end(), [](FilmNeed n) { return n != FilmNeed::kIdentify; }));
    progress_.seeds = static_cast<int>(plan.seeds);
    result_.seeds = progress_.seeds;
    events_.log(fmt::format("{} seed films (rated 4 stars or more, or liked)", plan.seeds));
    auto enriched = co_await enrich_profile(
        services_.catalog, profile_, settings_.enrich,
        [this](const EnrichedFilm& f) { on_film(f); },
        [this] {
          return stop_exploring_ || is_cancelled() ||
                 failure_streak_ >= std::max(1, settings_.enrich.workers);
        });
    result_.identified = enriched.report.identified;
    result_.not_on_tmdb = enriched.report.not_on_tmdb + enriched.report.tv_entries;
    if (enriched.fatal) {
      result_.error = *enriched.fatal;
      events_.log("TMDB rejected the API key: no film could be looked up");
    } else if (enriched.report.identified == 0 && enriched.report.failed > 0) {
      result_.error = core::Error{core::ErrorCode::kUnavailable,
                                  "TMDB could not be reached; try again in a few minutes", true};
      events_.log("TMDB did not answer for any film");
    } else {
      events_.log(fmt::format("Identified {} of {} films on TMDB ({} not found)",
                              enriched.report.identified, enriched.films.size(),
                              result_.not_on_tmdb));
    }
    enrich_done_ = true;
    if (wake_) wake_->cancel();
    co_return true;
  }

  asio::awaitable<void> annotate(std::vector<domain::MovieSummary> films) {
    std::vector<asio::awaitable<bool>> work;
    for (domain::MovieSummary& m : films) {
      if (annotated_.contains(m.tmdb_id)) continue;
      annotated_[m.tmdb_id];  // claimed: a later batch does not ask again
      work.push_back(annotate_one(std::move(m)));
    }
    if (!work.empty()) co_await net::gather(std::move(work));
  }

  asio::awaitable<bool> annotate_one(domain::MovieSummary m) {
    Annotation a;
    auto details = co_await services_.catalog.details(m.tmdb_id);
    if (details) a.details = std::move(*details);
    if (request_.include_streaming) {
      std::optional<domain::ProviderTable> known;
      if (a.details) known = a.details->providers;
      sources::streaming::FilmKey key{m.tmdb_id, m.title, m.year()};
      a.streaming =
          co_await services_.streaming.availability(std::move(key), result_.country_code, known);
    }
    annotated_[m.tmdb_id] = std::move(a);
    co_return true;
  }

  // Annotates and emits up to `limit` films of `top` not emitted yet; true when some remain.
  asio::awaitable<bool> emit_from(const std::vector<domain::Recommendation>& top,
                                  std::size_t limit) {
    std::vector<domain::Recommendation> batch;
    bool more = false;
    for (const domain::Recommendation& r : top) {
      if (emitted_.contains(r.movie.tmdb_id)) continue;
      if (batch.size() == limit) {
        more = true;
        break;
      }
      batch.push_back(r);
    }
    std::vector<domain::MovieSummary> films;
    for (const auto& r : batch)
      films.push_back(r.movie);
    co_await annotate(std::move(films));
    for (domain::Recommendation& r : batch) {
      apply(r, annotated_[r.movie.tmdb_id]);
      emitted_.insert(r.movie.tmdb_id);
      ++progress_.recommendations;
      events_.log(fmt::format("Recommending {}: {}", film_label(r.movie), r.reason));
      events_.recommendation(r);
    }
    if (!batch.empty()) events_.progress(progress_);
    co_return more;
  }

  // With a count, exploration stops (the seed's early cancellation) once every film wanting
  // details is done, or earlier when the top `count` has hardly changed over the last few seeds
  // and there are enough candidates. The films left are then only identified for taste.
  void check_settled(const engine::Ranker& ranker, const std::vector<domain::Recommendation>& top) {
    std::set<int> ids;
    for (const auto& r : top)
      ids.insert(r.movie.tmdb_id);
    std::size_t kept = 0;
    for (int id : ids)
      kept += last_top_.contains(id);
    const bool same = ids.size() == last_top_.size() && kept * 10 >= ids.size() * 9;
    if (!same) {
      last_top_ = std::move(ids);
      stable_since_ = progress_.seeds_explored;
    }
    const bool settled =
        same && progress_.seeds_explored - stable_since_ >= settings_.stable_seeds_to_stop &&
        ranker.candidates() >= static_cast<std::size_t>(stop_target(request_.count));
    if (settled || detailed_done_ >= detailed_planned_) {
      stop_exploring_ = true;
      events_.log(fmt::format("The top {} is settled after {} seed films: stopping early",
                              request_.count, progress_.seeds_explored));
    }
  }

  asio::awaitable<bool> emit_loop() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    wake_ = &timer;
    for (;;) {
      if (!enrich_done_ && !dirty_) {
        timer.expires_after(settings_.tick);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      if (is_cancelled()) break;
      const bool finished = enrich_done_;
      if (!dirty_) {
        if (finished) break;
        continue;
      }
      dirty_ = false;
      const engine::Ranker ranker = rank();
      const auto top = ranker.top(count_);
      if (request_.count > 0 && !stop_exploring_ && !finished) check_settled(ranker, top);
      const int ready = std::min(settings_.seeds_before_first_emit, progress_.seeds);
      if (finished || progress_.seeds_explored >= ready) {
        // While exploring, only the upper half of the list is shown: it changes least.
        std::vector<domain::Recommendation> shown = top;
        if (!finished) shown.resize(std::min(shown.size(), std::max<std::size_t>(3, count_ / 2)));
        const bool more = co_await emit_from(
            shown, static_cast<std::size_t>(std::max(1, settings_.annotate_at_once)));
        if (more) dirty_ = true;
      }
    }
    wake_ = nullptr;
    co_return true;
  }

  asio::awaitable<void> explore_and_emit() {
    std::vector<asio::awaitable<bool>> both;
    both.push_back(explore());
    both.push_back(emit_loop());
    co_await net::gather(std::move(both));
  }

  asio::awaitable<void> finish() {
    result_.seeds_explored = progress_.seeds_explored;
    result_.cancelled = is_cancelled();
    // Which films were annotated early depends on timing; the final list must not. So the
    // pool is the plain ranking's top with a margin, all of it annotated, and only the pool's
    // details take part in the final order.
    const std::set<int> none;
    engine::Ranker ranker = rank(&none);
    result_.preferences = engine::preferences_of(history_, ranker.taste());
    const std::size_t margin = std::max<std::size_t>(10, count_ / 2);
    auto top = ranker.top(count_ + margin);
    std::set<int> pool;
    for (const auto& r : top)
      pool.insert(r.movie.tmdb_id);
    if (!result_.cancelled) {
      std::vector<domain::MovieSummary> films;
      for (const auto& r : top)
        films.push_back(r.movie);
      co_await annotate(std::move(films));
      ranker = rank(&pool);
      top = ranker.top(count_);
      // Diversification can lift a film from beyond the pool: annotate it too (for display).
      std::vector<domain::MovieSummary> missing;
      for (const auto& r : top) {
        if (!annotated_.contains(r.movie.tmdb_id)) missing.push_back(r.movie);
      }
      co_await annotate(std::move(missing));
    } else {
      top = ranker.top(count_);
    }
    for (domain::Recommendation& r : top) {
      if (const auto it = annotated_.find(r.movie.tmdb_id); it != annotated_.end())
        apply(r, it->second);
      if (!result_.cancelled && emitted_.insert(r.movie.tmdb_id).second) {
        ++progress_.recommendations;
        events_.recommendation(r);
      }
    }
    events_.progress(progress_);
    result_.recommendations = std::move(top);
  }

  JobRequest request_;
  JobServices services_;
  JobSettings settings_;
  JobEvents& events_;
  std::function<bool()> cancelled_;
  std::size_t count_ = 30;
  std::string memo_key_;

  JobResult result_;
  domain::Profile profile_;
  Progress progress_;
  std::vector<engine::WatchedMovie> history_;  // by profile index
  std::vector<std::size_t> explored_;          // films whose details arrived, in arrival order
  std::map<int, Annotation> annotated_;
  std::set<int> emitted_;
  bool enrich_done_ = false;
  bool dirty_ = false;
  bool stop_exploring_ = false;
  asio::steady_timer* wake_ = nullptr;
  asio::steady_timer* prewarm_wake_ = nullptr;
  std::vector<domain::WatchedFilm> early_;  // likely seeds seen before the profile is complete
  bool profile_done_ = false;
  std::size_t detailed_planned_ = 0;  // films the plan fetches details for
  std::size_t detailed_done_ = 0;
  int failure_streak_ = 0;  // films in a row TMDB failed for (retries exhausted)
  std::set<int> last_top_;  // the top when it last changed
  int stable_since_ = 0;    // seeds explored then
};

}  // namespace

asio::awaitable<JobResult> run_recommend_job(JobRequest request, JobServices services,
                                             JobSettings settings, JobEvents& events,
                                             std::function<bool()> cancelled) {
  Job job(std::move(request), services, std::move(settings), events, std::move(cancelled));
  JobResult result = co_await job.run();
  co_return result;
}

}  // namespace lbrec::pipeline
