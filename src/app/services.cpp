#include "app/services.hpp"

#include <spdlog/spdlog.h>

namespace lbrec::app {

pipeline::JobSettings job_settings(const core::Config& config) {
  pipeline::JobSettings s;
  s.similar_results_per_film = config.similar_results_per_film;
  s.min_recommend_rating = config.min_recommend_rating;
  return s;
}

std::unique_ptr<store::RedisClient> connect_redis(const std::string& url,
                                                  boost::asio::any_io_executor executor) {
  if (url.empty()) return nullptr;
  auto parsed = store::parse_redis_url(url);
  if (!parsed) {
    spdlog::warn("event=redis_not_used reason=\"{}\" mode=in_process", parsed.error().message);
    return nullptr;
  }
  spdlog::info("event=redis url={}", parsed->redacted());
  return std::make_unique<store::RedisClient>(std::move(executor), std::move(*parsed));
}

Services::Services(const core::Config& config, boost::asio::io_context& io)
    : executor(io.get_executor()),
      redis(connect_redis(config.redis_url, executor)),
      caches(config, redis.get()),
      letterboxd(config, io, caches.cache()),
      tmdb(config, io, caches.cache()),
      settings(job_settings(config)),
      memo(core::RealClock::instance()) {
  if (!redis) return;
  tmdb_pacer =
      std::make_unique<RedisPacer>(*redis, executor, "lbrec:pace:tmdb", config.tmdb_rate_limit,
                                   std::max(1.0, config.tmdb_rate_limit / 5));
  tmdb.tmdb_gate.share(tmdb_pacer.get());
  if (config.letterboxd_min_interval_s > 0) {
    letterboxd_pacer = std::make_unique<RedisPacer>(*redis, executor, "lbrec:pace:letterboxd",
                                                    1.0 / config.letterboxd_min_interval_s,
                                                    static_cast<double>(config.letterboxd_burst));
    letterboxd.gate.share(letterboxd_pacer.get());
  }
}

void Services::stop() {
  if (redis) redis->stop();
}

pipeline::JobServices Services::job_services() {
  return pipeline::JobServices{&letterboxd.profiles, tmdb.catalog, tmdb.streaming};
}

}  // namespace lbrec::app
