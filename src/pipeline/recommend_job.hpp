#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string_view>

#include "domain/recommendation.hpp"
#include "pipeline/job.hpp"
#include "pipeline/profile_enricher.hpp"
#include "sources/letterboxd/profile_service.hpp"
#include "sources/streaming/streaming_service.hpp"
#include "sources/tmdb/movie_catalog.hpp"

namespace lbrec::pipeline {

// What a job reports while it runs. The server turns these into SSE, the CLI into a progress
// bar; the pipeline knows neither. Called on the job's executor, one at a time.
class JobEvents {
 public:
  virtual ~JobEvents() = default;
  virtual void log(std::string_view /*message*/) {}
  virtual void status(const SeedStatus& /*seed*/) {}
  virtual void progress(const Progress& /*progress*/) {}
  virtual void recommendation(const domain::Recommendation& /*recommendation*/) {}
};

class ResultMemo;

struct JobServices {
  sources::letterboxd::ProfileService* profiles = nullptr;  // unused when the request has one
  sources::tmdb::MovieCatalog& catalog;
  sources::streaming::StreamingService& streaming;
  // Finished results to reuse for the same profile and request (optional; the service has one).
  ResultMemo* memo = nullptr;
};

struct JobSettings {
  int similar_results_per_film = 20;  // SIMILAR_RESULTS_PER_FILM
  double min_recommend_rating = 7.0;  // MIN_RECOMMEND_RATING
  int default_count = 30;             // list length when the request names no count
  int max_count = 200;
  EnrichPolicy enrich;
  // The first recommendations wait until this many seeds (or every seed) were explored, so one
  // film's neighbours alone never open the list.
  int seeds_before_first_emit = 3;
  // With a count, exploration stops once the top `count` stayed the same over this many newly
  // explored seeds and there are `count + max(5, count / 2)` candidates (the seed's target).
  int stable_seeds_to_stop = 8;
  int annotate_at_once = 4;             // details + streaming look-ups in flight for emitted films
  std::chrono::milliseconds tick{120};  // how often the ranking is refreshed while exploring
};

// The seed's early-stop target for a requested count: count + max(5, count / 2).
int stop_target(int count);

// Runs one recommendation job: profile (Letterboxd or the request's export), identification and
// details in priority order, ranking refreshed as seeds are explored, the current top annotated
// (details, streaming) and emitted as it forms, then the final ranking. Stops early when
// `cancelled` answers true (the result is then marked cancelled and holds what was ranked so
// far). Never throws for upstream failures: they end up in JobResult::error or in logs.
boost::asio::awaitable<JobResult> run_recommend_job(JobRequest request, JobServices services,
                                                    JobSettings settings, JobEvents& events,
                                                    std::function<bool()> cancelled = {});

}  // namespace lbrec::pipeline
