#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "net/browser_fetch.hpp"
#include "net/circuit_breaker.hpp"
#include "net/fetch_with_retry.hpp"

namespace lbrec::sources::letterboxd {

// The seed's four-tier fetch chain, in C++ terms, tried in this order.
enum class FetchTier {
  kCurl,     // HTTP/1.1 with the seed's browser headers
  kHttp2,    // HTTP/2 with browser headers and the clearance cookies the browser tier earned
  kProxy,    // the same through HTTPS_PROXY / ALL_PROXY, when configured
  kBrowser,  // headless Chromium: runs challenges, returns the rendered page and its cookies
};
std::string_view to_string(FetchTier tier);

struct FetcherSettings {
  std::string base_url = "https://letterboxd.com";
  std::chrono::milliseconds timeout{12000};
  std::string proxy;  // empty: no proxy tier
  // How long the tier that last worked is tried first (a blocked tier is not re-tried for every
  // page of a profile).
  std::chrono::seconds sticky_tier{600};
};

struct FetchedPage {
  long status = 0;
  std::string body;
  std::string url;
  FetchTier tier = FetchTier::kCurl;
};

struct FetchReport {
  // A usable page; or kNotFound (404, or a private route), kBlocked (a bot wall on every tier, or
  // the circuit is open), kRateLimited (429 on every tier), kUnavailable / kUpstreamError.
  core::Result<FetchedPage> page;
  std::vector<net::Attempt> attempts;  // every try on every tier, for the failure summary
};

// Fetches Letterboxd pages through the tiers, under the circuit breaker: a fetch that ends blocked
// or failing on every tier counts as one failure; a page or a definite 404 counts as a success.
class LetterboxdFetcher {
 public:
  LetterboxdFetcher(net::RetryContext retry, net::CircuitBreaker& breaker,
                    net::BrowserTier* browser, FetcherSettings settings);

  // GETs a path such as "/demo/films/page/2/".
  boost::asio::awaitable<FetchReport> fetch(std::string path);

  // Cookies the browser tier earned, as a Cookie header value ("" when none).
  std::string cookie_header() const;

 private:
  struct TierResult;
  boost::asio::awaitable<TierResult> try_http(FetchTier tier, const std::string& url,
                                              std::vector<net::Attempt>& attempts);
  boost::asio::awaitable<TierResult> try_browser(const std::string& url,
                                                 std::vector<net::Attempt>& attempts);
  std::vector<FetchTier> tier_order();
  void remember_working_tier(FetchTier tier);

  net::RetryContext retry_;
  net::CircuitBreaker& breaker_;
  net::BrowserTier* browser_;
  FetcherSettings settings_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> cookies_;  // name -> value, earned by the browser tier
  FetchTier preferred_ = FetchTier::kCurl;
  core::Clock::Steady::time_point preferred_until_{};
};

}  // namespace lbrec::sources::letterboxd
