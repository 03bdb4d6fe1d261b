#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace lbrec::net {

struct BrowserCookie {
  std::string name;
  std::string value;
  std::string domain;
  std::string path;
};

struct BrowserPage {
  long status = 0;   // HTTP status of the final main document (0 when unknown)
  std::string html;  // the rendered DOM
  std::string final_url;
  std::vector<BrowserCookie> cookies;  // cookies the browser holds for the page's URL
};

struct BrowserOptions {
  std::string executable = "/usr/bin/chromium";
  std::chrono::milliseconds timeout{20000};  // CAMOUFOX_TIMEOUT: the whole load, challenge included
  // Page titles meaning "still behind a challenge": the load goes on until the title changes
  // (a JavaScript challenge reloads the page once its cookie is set) or the timeout.
  std::vector<std::string> challenge_titles = {"Just a moment..."};
};

// Loads `url` in a fresh headless Chromium (its own temporary profile, no sandbox, no background
// networking), driven over the DevTools protocol on --remote-debugging-pipe, and returns the
// rendered page with its cookies. Blocking: call it off the I/O thread. Errors: kUnavailable when
// Chromium is missing or cannot start, kUnavailable (retryable) on timeout.
core::Result<BrowserPage> load_in_browser(const std::string& url, const BrowserOptions& options);

// The fetch tier around load_in_browser: at most `max_concurrent` browsers at once; a request that
// finds them all busy is refused at once (kUnavailable, "browser busy") rather than queued, so the
// caller can fall back to a stale snapshot. Loads run on a small thread pool.
class BrowserTier {
 public:
  BrowserTier(BrowserOptions options, int max_concurrent);
  ~BrowserTier();

  boost::asio::awaitable<core::Result<BrowserPage>> fetch(std::string url);
  bool available() const;  // the executable exists and the cap is above zero
  int in_use() const { return in_use_.load(); }

 private:
  BrowserOptions options_;
  int max_concurrent_;
  std::atomic<int> in_use_{0};
  boost::asio::thread_pool pool_;
};

}  // namespace lbrec::net
