#pragma once

// A Letterboxd fetcher aimed at a fake world, on a fake clock whose sleeps are skipped: shared by
// the fetcher, scraper and profile-service integration tests.

#include <memory>
#include <string>

#include "sources/letterboxd/letterboxd_fetcher.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::testing {

inline std::unique_ptr<sources::letterboxd::LetterboxdFetcher> fake_world_fetcher(
    net::HttpClient& client, net::HostGate& gate, net::CircuitBreaker& breaker,
    core::FakeClock& clock, const std::string& base_url, int max_attempts,
    net::BrowserTier* browser = nullptr, std::string proxy = "") {
  net::RetryPolicy policy;
  policy.max_attempts = max_attempts;
  sources::letterboxd::FetcherSettings settings;
  settings.base_url = base_url;
  settings.timeout = std::chrono::milliseconds(5000);
  settings.proxy = std::move(proxy);
  return std::make_unique<sources::letterboxd::LetterboxdFetcher>(
      fake_retry_context(client, gate, policy, clock), breaker, browser, settings);
}

}  // namespace lbrec::testing
