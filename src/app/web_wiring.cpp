#include "app/web_wiring.hpp"

#include <cmath>

#include "pipeline/recommend_job.hpp"

namespace lbrec::app {

namespace asio = boost::asio;

namespace {

std::chrono::seconds whole_seconds(double s) {
  return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(s)));
}

// The production job: the pipeline, plus the breaker's state on errors that mean Letterboxd is
// blocking us, so the API can say when to retry. Parameters by value or pointer: this coroutine
// outlives the call that started it.
asio::awaitable<pipeline::JobResult> run_job(Services* services, pipeline::JobRequest request,
                                             pipeline::JobEvents* events,
                                             std::function<bool()> cancelled) {
  pipeline::JobServices with_memo = services->job_services();
  with_memo.memo = &services->memo;
  pipeline::JobResult result = co_await pipeline::run_recommend_job(
      std::move(request), with_memo, services->settings, *events, std::move(cancelled));
  if (result.error && !result.incident) {
    const auto code = result.error->code;
    if (code == core::ErrorCode::kBlocked || code == core::ErrorCode::kRateLimited ||
        code == core::ErrorCode::kUnavailable) {
      result.incident = services->letterboxd.breaker.snapshot();
    }
  }
  co_return result;
}

void add_upstream(const net::HttpClient& client, std::vector<server::Sample>& out) {
  for (const auto& c : client.counts()) {
    out.push_back(
        server::Sample{"lbrec_upstream_requests_total",
                       "Completed upstream HTTP requests by host and status (0: no response)",
                       "counter",
                       {{"host", c.host}, {"status", std::to_string(c.status)}},
                       static_cast<double>(c.count)});
  }
}

}  // namespace

WebWiring wire_web_service(const core::Config& config, Services& services,
                           std::function<std::size_t()> connections) {
  WebWiring w;
  w.runner = [&services](pipeline::JobRequest request, pipeline::JobEvents& events,
                         std::function<bool()> cancelled) {
    return run_job(&services, std::move(request), &events, std::move(cancelled));
  };
  w.hooks.incident = [&services] { return services.letterboxd.breaker.snapshot(); };
  w.hooks.page_count = [&services](std::string username) {
    return services.letterboxd.scraper.page_count(std::move(username));
  };
  w.hooks.collect_metrics = [&services, connections](std::vector<server::Sample>& out) {
    const store::TieredCache& cache = services.caches.cache();
    for (const auto& c : cache.counts()) {
      out.push_back(server::Sample{"lbrec_cache_hits_total",
                                   "Cache hits by namespace and level",
                                   "counter",
                                   {{"namespace", c.space}, {"level", "memory"}},
                                   static_cast<double>(c.memory_hits)});
      if (cache.has_second()) {
        out.push_back(server::Sample{"lbrec_cache_hits_total",
                                     "Cache hits by namespace and level",
                                     "counter",
                                     {{"namespace", c.space}, {"level", cache.second_name()}},
                                     static_cast<double>(c.second_hits)});
      }
      out.push_back(server::Sample{"lbrec_cache_misses_total",
                                   "Cache misses (in every level) by namespace",
                                   "counter",
                                   {{"namespace", c.space}},
                                   static_cast<double>(c.misses)});
    }
    out.push_back(server::Sample{"lbrec_cache_entries",
                                 "Entries in the in-memory cache",
                                 "gauge",
                                 {},
                                 static_cast<double>(cache.memory().size())});
    add_upstream(services.letterboxd.client, out);
    add_upstream(services.tmdb.client, out);
    if (connections) {
      out.push_back(server::Sample{"lbrec_http_connections_open",
                                   "Client connections open now",
                                   "gauge",
                                   {},
                                   static_cast<double>(connections())});
    }
  };

  // Per-client limits: in-process for memory://, else REDIS_URL's connection or one of their own.
  store::RedisClient* limits_redis = nullptr;
  if (config.ratelimit_storage_uri == config.redis_url) {
    limits_redis = services.redis.get();
  } else if (!config.ratelimit_storage_uri.starts_with("memory")) {
    w.ratelimit_redis = connect_redis(config.ratelimit_storage_uri, services.executor);
    limits_redis = w.ratelimit_redis.get();
  }
  if (limits_redis) {
    w.shared_limits = std::make_unique<server::RedisRateLimiter>(*limits_redis);
    w.hooks.shared_rate_limit = [limiter = w.shared_limits.get()](
                                    std::string route, std::string client, server::RateLimit l) {
      return limiter->hit(std::move(route), std::move(client), l);
    };
  }
  if (services.redis) {
    w.breaker_sync = std::make_unique<BreakerSync>(*services.redis, services.letterboxd.breaker);
    w.relay = std::make_unique<server::RedisJobRelay>(*services.redis, services.executor,
                                                      whole_seconds(config.job_result_ttl),
                                                      whole_seconds(config.stream_max_age_s));
  }

  server::WebServiceOptions& o = w.options;
  o.maintenance = [&services] { return services.caches.maintain(); };
  o.relay = w.relay.get();
  o.jobs.max_running = config.pipeline_pool_size;
  o.jobs.result_ttl = whole_seconds(config.job_result_ttl);
  o.jobs.max_events_per_stream = static_cast<std::size_t>(config.sse_queue_maxsize);
  o.jobs.unclaimed_ttl = whole_seconds(config.stream_max_age_s);
  o.api.ratelimit_enabled = config.ratelimit_enabled;
  o.api.limits = {config.ratelimit_recommend, config.ratelimit_get_pages, config.ratelimit_result,
                  config.ratelimit_stream, config.ratelimit_incident_status};
  o.api.trust_proxy = config.trust_proxy;
  o.api.internal_token = config.internal_token;
  o.api.upload_body_limit = static_cast<std::size_t>(config.max_upload_mb) << 20;
  o.api.sse.heartbeat = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::max(1.0, config.sse_heartbeat_s * 1000.0)));
  return w;
}

}  // namespace lbrec::app
