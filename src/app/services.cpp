#include "app/services.hpp"

namespace lbrec::app {

pipeline::JobSettings job_settings(const core::Config& config) {
  pipeline::JobSettings s;
  s.similar_results_per_film = config.similar_results_per_film;
  s.min_recommend_rating = config.min_recommend_rating;
  return s;
}

Services::Services(const core::Config& config, boost::asio::io_context& io)
    : caches(config, io),
      letterboxd(config, io, caches.cache()),
      tmdb(config, io, caches.cache()),
      settings(job_settings(config)),
      memo(core::RealClock::instance()) {}

pipeline::JobServices Services::job_services() {
  return pipeline::JobServices{&letterboxd.profiles, tmdb.catalog, tmdb.streaming};
}

}  // namespace lbrec::app
