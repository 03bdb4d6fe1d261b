#include "app/letterboxd_stack.hpp"

#include "app/retry_context.hpp"

namespace lbrec::app {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

net::RetryContext retry_context(const core::Config& c, net::HttpClient& client,
                                net::HostGate& gate) {
  net::RetryPolicy policy;
  policy.base = seconds_to_ns(c.letterboxd_retry_sleep_s);
  policy.throttle = seconds_to_ns(c.letterboxd_throttle_sleep_s);
  return real_retry_context(client, gate, policy);
}

std::unique_ptr<net::BrowserTier> browser_tier(const core::Config& c) {
  net::BrowserOptions options;
  options.executable = c.browser_path;
  options.timeout = duration_cast<milliseconds>(seconds_to_ns(c.camoufox_timeout));
  auto tier = std::make_unique<net::BrowserTier>(options, c.camoufox_max_concurrent);
  if (!tier->available()) return nullptr;
  return tier;
}

sources::letterboxd::FetcherSettings fetcher_settings(const core::Config& c) {
  sources::letterboxd::FetcherSettings s;
  s.base_url = c.letterboxd_base_url;
  while (!s.base_url.empty() && s.base_url.back() == '/')
    s.base_url.pop_back();
  s.timeout = duration_cast<milliseconds>(seconds_to_ns(c.letterboxd_http_timeout));
  s.proxy = c.letterboxd_proxy;
  return s;
}

}  // namespace

LetterboxdStack::LetterboxdStack(const core::Config& c, boost::asio::io_context& io,
                                 store::Cache& cache)
    : client(io.get_executor(), net::HttpClientOptions{static_cast<long>(c.scrape_pool_size),
                                                       static_cast<long>(c.http_pool_maxsize) * 4,
                                                       static_cast<long>(c.http_pool_maxsize)}),
      bucket(c.letterboxd_min_interval_s > 0
                 ? std::make_shared<net::TokenBucket>(1.0 / c.letterboxd_min_interval_s,
                                                      static_cast<double>(c.letterboxd_burst),
                                                      core::RealClock::instance())
                 : nullptr),
      gate(c.scrape_pool_size, bucket, net::timer_sleep()),
      breaker(c.letterboxd_circuit_failure_threshold,
              seconds_to_ns(c.letterboxd_circuit_cooldown_s), core::RealClock::instance()),
      browser(browser_tier(c)),
      fetcher(retry_context(c, client, gate), breaker, browser.get(), fetcher_settings(c)),
      scraper(fetcher),
      profiles(scraper, cache, breaker,
               sources::letterboxd::ProfileSettings{
                   std::chrono::seconds(static_cast<std::int64_t>(c.profile_fresh_ttl_s)),
                   std::chrono::seconds(static_cast<std::int64_t>(c.profile_stale_ttl_s))},
               core::RealClock::instance()) {}

}  // namespace lbrec::app
