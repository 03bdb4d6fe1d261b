#pragma once

#include <boost/asio/io_context.hpp>

#include "app/cache_stack.hpp"
#include "app/letterboxd_stack.hpp"
#include "app/redis_pacer.hpp"
#include "app/tmdb_stack.hpp"
#include "core/config.hpp"
#include "pipeline/recommend_job.hpp"
#include "pipeline/result_memo.hpp"
#include "store/redis_client.hpp"

namespace lbrec::app {

// Everything a recommendation job needs, built once from the configuration: the Letterboxd and
// TMDB/streaming stacks on one shared cache, and the job settings.
struct Services {
  Services(const core::Config& config, boost::asio::io_context& io);

  pipeline::JobServices job_services();
  // Closes the connections that would keep the io_context running (Redis).
  void stop();

  // REDIS_URL's connection (null without it): the cache, limits and breaker shared between
  // instances. Connects in the background; while Redis is away everything runs in-process.
  boost::asio::any_io_executor executor;  // the io_context everything runs on
  std::unique_ptr<store::RedisClient> redis;
  CacheStack caches;  // shared by both stacks
  LetterboxdStack letterboxd;
  TmdbStack tmdb;
  // The upstreams' pacing shared between instances through Redis (null without it).
  std::unique_ptr<RedisPacer> tmdb_pacer;
  std::unique_ptr<RedisPacer> letterboxd_pacer;
  pipeline::JobSettings settings;
  // Finished results for the long-running service (the one-shot CLI has no use for it).
  pipeline::ResultMemo memo;
};

// REDIS_URL's client, connecting in the background; null when unset or unusable (logged once).
std::unique_ptr<store::RedisClient> connect_redis(const std::string& url,
                                                  boost::asio::any_io_executor executor);

// The job settings a configuration asks for (SIMILAR_RESULTS_PER_FILM, MIN_RECOMMEND_RATING).
pipeline::JobSettings job_settings(const core::Config& config);

}  // namespace lbrec::app
