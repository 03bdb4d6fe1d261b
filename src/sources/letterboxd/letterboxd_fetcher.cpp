#include "sources/letterboxd/letterboxd_fetcher.hpp"

#include <fmt/format.h>

#include "sources/letterboxd/page_signals.hpp"

namespace lbrec::sources::letterboxd {

namespace {

// The seed's browser headers (infra/http.py: a Chrome 122 user agent and navigation headers).
std::vector<std::pair<std::string, std::string>> browser_headers() {
  return {
      {"User-Agent",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/122.0.0.0 Safari/537.36"},
      {"Accept",
       "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
      {"Accept-Language", "en-US,en;q=0.9"},
      {"Referer", "https://letterboxd.com/"},
      {"Sec-Fetch-Dest", "document"},
      {"Sec-Fetch-Mode", "navigate"},
      {"Sec-Fetch-Site", "same-origin"},
      {"Upgrade-Insecure-Requests", "1"},
      {"DNT", "1"},
  };
}

// What a tier's answer means for the chain.
enum class Verdict { kPage, kNotFound, kEscalate, kFail };

// Judges a response (from any tier) by its status and content.
Verdict judge(long status, PageBlock block) {
  if (block != PageBlock::kNone) return Verdict::kEscalate;
  if (status >= 200 && status < 300) return Verdict::kPage;
  if (status == 404 || status == 403) return Verdict::kNotFound;  // a 403 without a wall: private
  if (status == 429 || status >= 500) return Verdict::kEscalate;
  return Verdict::kFail;
}

}  // namespace

std::string_view to_string(FetchTier tier) {
  switch (tier) {
    case FetchTier::kCurl:
      return "curl";
    case FetchTier::kHttp2:
      return "http2";
    case FetchTier::kProxy:
      return "proxy";
    case FetchTier::kBrowser:
      return "browser";
  }
  return "curl";
}

struct LetterboxdFetcher::TierResult {
  Verdict verdict = Verdict::kEscalate;
  long status = 0;
  PageBlock block = PageBlock::kNone;
  FetchedPage page;
  core::Error error;
};

LetterboxdFetcher::LetterboxdFetcher(net::RetryContext retry, net::CircuitBreaker& breaker,
                                     net::BrowserTier* browser, FetcherSettings settings)
    : retry_(std::move(retry)),
      breaker_(breaker),
      browser_(browser),
      settings_(std::move(settings)) {}

std::string LetterboxdFetcher::cookie_header() const {
  std::lock_guard lock(mutex_);
  std::string header;
  for (const auto& [name, value] : cookies_) {
    if (!header.empty()) header += "; ";
    header += name + "=" + value;
  }
  return header;
}

std::vector<FetchTier> LetterboxdFetcher::tier_order() {
  std::vector<FetchTier> all = {FetchTier::kCurl, FetchTier::kHttp2};
  if (!settings_.proxy.empty()) all.push_back(FetchTier::kProxy);
  if (browser_ != nullptr) all.push_back(FetchTier::kBrowser);
  std::lock_guard lock(mutex_);
  if (retry_.clock.now() >= preferred_until_) preferred_ = FetchTier::kCurl;
  // Start at the tier that last worked; the ones before it were blocked moments ago.
  const auto it = std::find(all.begin(), all.end(), preferred_);
  if (it != all.end()) all.erase(all.begin(), it);
  return all;
}

void LetterboxdFetcher::remember_working_tier(FetchTier tier) {
  std::lock_guard lock(mutex_);
  preferred_ = tier;
  preferred_until_ = retry_.clock.now() + settings_.sticky_tier;
}

boost::asio::awaitable<LetterboxdFetcher::TierResult> LetterboxdFetcher::try_http(
    FetchTier tier, const std::string& url, std::vector<net::Attempt>& attempts) {
  net::HttpRequest request;
  request.url = url;
  request.timeout = settings_.timeout;
  request.headers = browser_headers();
  if (tier != FetchTier::kCurl) {
    request.http2 = true;
    if (const std::string cookies = cookie_header(); !cookies.empty()) {
      request.headers.emplace_back("Cookie", cookies);
    }
  }
  if (tier == FetchTier::kProxy) request.proxy = settings_.proxy;
  std::string source(to_string(tier));
  net::RetriedFetch fetched =
      co_await net::fetch_with_retry(retry_, std::move(request), std::move(source));
  attempts.insert(attempts.end(), fetched.attempts.begin(), fetched.attempts.end());
  TierResult r;
  if (!fetched.result) {
    // Transport failures already had their retries; a block may show up as resets too.
    r.verdict = fetched.result.error().code == core::ErrorCode::kInvalidInput ? Verdict::kFail
                                                                              : Verdict::kEscalate;
    r.error = fetched.result.error();
    co_return r;
  }
  const net::HttpResponse& response = *fetched.result;
  r.status = response.status;
  r.block = detect_block(static_cast<int>(response.status), response.header("cf-mitigated"),
                         response.body);
  r.verdict = judge(response.status, r.block);
  r.page = FetchedPage{response.status, response.body,
                       response.effective_url.empty() ? url : response.effective_url, tier};
  co_return r;
}

boost::asio::awaitable<LetterboxdFetcher::TierResult> LetterboxdFetcher::try_browser(
    const std::string& url, std::vector<net::Attempt>& attempts) {
  TierResult r;
  auto loaded = co_await browser_->fetch(url);
  net::Attempt attempt{static_cast<int>(attempts.size()) + 1, 0, "browser", {}};
  if (!loaded) {
    attempt.error = loaded.error().message;
    attempts.push_back(attempt);
    r.verdict = Verdict::kEscalate;
    r.error = loaded.error();
    co_return r;
  }
  attempt.status = loaded->status;
  attempts.push_back(attempt);
  r.status = loaded->status;
  r.block = detect_block(static_cast<int>(loaded->status), "", loaded->html);
  r.verdict = judge(loaded->status, r.block);
  if (r.verdict == Verdict::kPage) {
    // Clearance earned by the browser lets the HTTP/2 tier through next time.
    std::lock_guard lock(mutex_);
    for (const net::BrowserCookie& c : loaded->cookies)
      cookies_[c.name] = c.value;
  }
  r.page =
      FetchedPage{loaded->status, std::move(loaded->html), loaded->final_url, FetchTier::kBrowser};
  co_return r;
}

boost::asio::awaitable<FetchReport> LetterboxdFetcher::fetch(std::string path) {
  FetchReport report;
  if (!breaker_.allow()) {
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(breaker_.retry_after());
    report.page = core::fail(
        core::ErrorCode::kBlocked,
        fmt::format("live Letterboxd fetching is paused for {} s after repeated failures",
                    wait.count() + 1),
        true);
    co_return report;
  }
  const std::string url = settings_.base_url + path;
  TierResult last;
  bool walled = false;     // some tier met a challenge or a bare 403
  bool throttled = false;  // some tier was told to slow down
  for (FetchTier tier : tier_order()) {
    // Plain statements around co_await: GCC 12 mishandles co_await inside ?: and temporaries.
    if (tier == FetchTier::kBrowser) {
      last = co_await try_browser(url, report.attempts);
    } else {
      last = co_await try_http(tier, url, report.attempts);
    }
    walled |= last.block == PageBlock::kChallenge;
    throttled |= last.block == PageBlock::kRateLimited || last.status == 429;
    if (last.verdict == Verdict::kEscalate) continue;
    if (last.verdict == Verdict::kPage) {
      breaker_.record_success(last.status);
      // A page the browser got through earned cookies: HTTP/2 with them is far cheaper next time.
      remember_working_tier(
          tier == FetchTier::kBrowser && !cookie_header().empty() ? FetchTier::kHttp2 : tier);
      report.page = std::move(last.page);
      co_return report;
    }
    if (last.verdict == Verdict::kNotFound) {
      breaker_.record_success(last.status);
      report.page = core::fail(core::ErrorCode::kNotFound, last.status == 403
                                                               ? "that Letterboxd page is private"
                                                               : "no such Letterboxd page");
      co_return report;
    }
    break;  // kFail: another tier will not change the answer
  }
  breaker_.record_failure(last.status);
  const std::string summary = net::summarize(report.attempts);
  if (last.verdict == Verdict::kFail) {
    report.page =
        core::fail(last.error.message.empty() ? core::ErrorCode::kUpstreamError : last.error.code,
                   fmt::format("Letterboxd answered {}: {}", last.status, summary));
  } else if (walled) {
    // The wall is the cause even when a later tier failed differently (say, a dead proxy).
    report.page = core::fail(core::ErrorCode::kBlocked,
                             "Letterboxd blocked every fetch tier: " + summary, true);
  } else if (throttled) {
    report.page =
        core::fail(core::ErrorCode::kRateLimited, "Letterboxd is throttling us: " + summary, true);
  } else {
    report.page =
        core::fail(core::ErrorCode::kUnavailable, "Letterboxd is unreachable: " + summary, true);
  }
  co_return report;
}

}  // namespace lbrec::sources::letterboxd
