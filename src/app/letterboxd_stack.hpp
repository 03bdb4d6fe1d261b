#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "core/config.hpp"
#include "net/browser_fetch.hpp"
#include "net/circuit_breaker.hpp"
#include "net/host_gate.hpp"
#include "net/http_client.hpp"
#include "sources/letterboxd/letterboxd_fetcher.hpp"
#include "sources/letterboxd/profile_scraper.hpp"
#include "sources/letterboxd/profile_service.hpp"
#include "store/cache.hpp"

namespace lbrec::app {

// Everything that reads Letterboxd profiles, built from the configuration: the HTTP client and
// its per-host gate (SCRAPE_POOL_SIZE, LETTERBOXD_MIN_INTERVAL_S), retries, the circuit breaker,
// the fetch tiers (proxy and headless browser when available), and the profile service on the
// shared cache.
struct LetterboxdStack {
  LetterboxdStack(const core::Config& config, boost::asio::io_context& io, store::Cache& cache);

  net::HttpClient client;
  std::shared_ptr<net::TokenBucket> bucket;
  net::HostGate gate;
  net::CircuitBreaker breaker;
  std::unique_ptr<net::BrowserTier> browser;  // null when Chromium is missing or disabled
  sources::letterboxd::LetterboxdFetcher fetcher;
  sources::letterboxd::ProfileScraper scraper;
  sources::letterboxd::ProfileService profiles;
};

}  // namespace lbrec::app
