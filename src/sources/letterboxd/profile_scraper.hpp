#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/profile.hpp"
#include "sources/letterboxd/letterboxd_fetcher.hpp"

namespace lbrec::sources::letterboxd {

struct ScrapeOutcome {
  // The member's films and watchlist; kNotFound for an unknown member; kBlocked, kRateLimited or
  // kUnavailable when the first page could not be fetched; kParseError for unknown markup.
  core::Result<domain::Profile> profile;
  int pages = 0;  // /films/ pages (the seed's get_pages)
  // False when a later page, the watchlist, or the film count disagreed: such a profile may be
  // shown once but must not be cached (the seed's scrape validation).
  bool complete = true;
  std::vector<std::string> problems;  // one line per page that failed, for logs
};

// Reads a member's profile from Letterboxd pages: the first /films/ page (for the page count),
// then the other pages at once (the fetcher's gate paces them), the watchlist, and the RSS feed
// for the TMDB ids of recent diary entries (best effort). Films appear once, in grid order.
class ProfileScraper {
 public:
  explicit ProfileScraper(LetterboxdFetcher& fetcher) : fetcher_(fetcher) {}

  // The number of /films/ pages, from the first page alone.
  boost::asio::awaitable<core::Result<int>> page_count(std::string username);
  boost::asio::awaitable<ScrapeOutcome> scrape(std::string username);

 private:
  LetterboxdFetcher& fetcher_;
};

}  // namespace lbrec::sources::letterboxd
