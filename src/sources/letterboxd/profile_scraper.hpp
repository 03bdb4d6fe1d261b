#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/profile.hpp"
#include "sources/letterboxd/letterboxd_fetcher.hpp"

namespace lbrec::sources::letterboxd {

// Films read from one page of a member's /films/ grid, before the profile is complete.
using FilmsSeen = std::function<void(const std::vector<domain::WatchedFilm>&)>;

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
  // `on_films`, when given, hears the films of each /films/ page as soon as it is parsed (in any
  // page order), so a caller can start on them before the whole profile is read.
  boost::asio::awaitable<ScrapeOutcome> scrape(std::string username, FilmsSeen on_films = {});

 private:
  LetterboxdFetcher& fetcher_;
};

}  // namespace lbrec::sources::letterboxd
