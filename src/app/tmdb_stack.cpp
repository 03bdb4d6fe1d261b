#include "app/tmdb_stack.hpp"

#include <algorithm>

#include "app/retry_context.hpp"

namespace lbrec::app {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr int kMaxConnectionsPerHost = 20;
constexpr int kJustWatchConcurrency = 8;

milliseconds timeout_of(double seconds) {
  return duration_cast<milliseconds>(seconds_to_ns(seconds));
}

net::RetryPolicy upstream_retry_policy() {
  net::RetryPolicy policy;
  policy.max_attempts = 5;  // a 429 storm is waited out a few times before a film is given up
  policy.base = std::chrono::milliseconds(250);
  policy.throttle = std::chrono::seconds(1);
  policy.max_retry_after = std::chrono::seconds(30);
  return policy;
}

}  // namespace

TmdbStack::TmdbStack(const core::Config& c, boost::asio::io_context& io, store::Cache& cache)
    : client(io.get_executor(),
             net::HttpClientOptions{kMaxConnectionsPerHost, 2 * kMaxConnectionsPerHost,
                                    static_cast<long>(std::max(c.http_pool_maxsize, 2))}),
      // A burst of a fifth of a second's allowance keeps the first calls immediate without
      // letting a cold profile overshoot TMDB's per-second limit.
      tmdb_bucket(std::make_shared<net::TokenBucket>(
          c.tmdb_rate_limit, std::max(1.0, c.tmdb_rate_limit / 5), core::RealClock::instance())),
      tmdb_gate(kMaxConnectionsPerHost, tmdb_bucket, net::timer_sleep()),
      justwatch_gate(kJustWatchConcurrency, nullptr, net::timer_sleep()),
      tmdb(real_retry_context(client, tmdb_gate, upstream_retry_policy()),
           sources::tmdb::TmdbSettings{c.tmdb_base_url,
                                       sources::tmdb::TmdbCredential::detect(c.tmdb_key),
                                       timeout_of(c.tmdb_http_timeout)}),
      catalog(tmdb, cache, sources::tmdb::CatalogSettings{}, core::RealClock::instance()),
      justwatch(
          real_retry_context(client, justwatch_gate, upstream_retry_policy()),
          sources::streaming::JustWatchSettings{c.justwatch_url, timeout_of(c.tmdb_http_timeout)}),
      streaming(
          &justwatch, [this](int tmdb_id) { return tmdb.watch_providers(tmdb_id); }, cache,
          [&c] {
            sources::streaming::StreamingSettings s;
            s.justwatch_enabled = c.justwatch_enabled;
            return s;
          }(),
          core::RealClock::instance()) {}

}  // namespace lbrec::app
