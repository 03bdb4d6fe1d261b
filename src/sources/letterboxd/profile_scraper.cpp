#include "sources/letterboxd/profile_scraper.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "net/gather.hpp"
#include "sources/letterboxd/grid_parser.hpp"
#include "sources/letterboxd/rss_parser.hpp"

namespace lbrec::sources::letterboxd {

namespace asio = boost::asio;

namespace {

// Letterboxd shows at most this many pages of a grid; a page count beyond it is not believed.
constexpr int kMaxPages = 1000;

std::string page_path(const std::string& base, int page) {
  return page == 1 ? base : fmt::format("{}page/{}/", base, page);
}

// One grid page, fetched and parsed.
asio::awaitable<core::Result<GridPage>> fetch_grid(LetterboxdFetcher& fetcher, std::string path) {
  FetchReport report = co_await fetcher.fetch(std::move(path));
  if (!report.page) co_return tl::unexpected(report.page.error());
  co_return parse_grid_page(report.page->body);
}

std::vector<domain::WatchedFilm> watched_of(const GridPage& page) {
  std::vector<domain::WatchedFilm> films;
  films.reserve(page.items.size());
  for (const GridItem& item : page.items)
    films.push_back(domain::WatchedFilm{item.film, item.rating, item.liked, std::nullopt, false});
  return films;
}

// One grid page, handed to `on_page` as soon as it is parsed.
asio::awaitable<core::Result<GridPage>> fetch_grid_and_tell(LetterboxdFetcher& fetcher,
                                                            std::string path,
                                                            const FilmsSeen* on_page) {
  auto page = co_await fetch_grid(fetcher, std::move(path));
  if (page && on_page != nullptr && *on_page) (*on_page)(watched_of(*page));
  co_return page;
}

// All pages of a grid: the first, then the rest concurrently. Problems on later pages are noted
// and the pages skipped; a failed first page fails the whole grid.
asio::awaitable<core::Result<std::vector<GridPage>>> fetch_all_pages(
    LetterboxdFetcher& fetcher, std::string base, std::vector<std::string>& problems,
    const FilmsSeen* on_page = nullptr) {
  auto first = co_await fetch_grid_and_tell(fetcher, base, on_page);
  if (!first) co_return tl::unexpected(first.error());
  std::vector<GridPage> pages;
  const int count = std::clamp(first->page_count, 1, kMaxPages);
  pages.push_back(std::move(*first));
  std::vector<asio::awaitable<core::Result<GridPage>>> rest;
  for (int p = 2; p <= count; ++p)
    rest.push_back(fetch_grid_and_tell(fetcher, page_path(base, p), on_page));
  std::vector<core::Result<GridPage>> fetched = co_await net::gather(std::move(rest));
  for (std::size_t i = 0; i < fetched.size(); ++i) {
    if (fetched[i]) {
      pages.push_back(std::move(*fetched[i]));
    } else {
      problems.push_back(fmt::format("{} page {}: {}", base, i + 2, fetched[i].error().message));
    }
  }
  co_return pages;
}

// The same, stored through a pointer, for running several grids at once. Coroutine parameters
// are values and pointers on purpose: a coroutine lambda's captures would die with the lambda.
asio::awaitable<bool> grid_into(LetterboxdFetcher& fetcher, std::string base,
                                std::vector<std::string>* problems, const FilmsSeen* on_page,
                                core::Result<std::vector<GridPage>>* out) {
  *out = co_await fetch_all_pages(fetcher, std::move(base), *problems, on_page);
  co_return true;
}

asio::awaitable<bool> fetch_into(LetterboxdFetcher& fetcher, std::string path, FetchReport* out) {
  *out = co_await fetcher.fetch(std::move(path));
  co_return true;
}

}  // namespace

asio::awaitable<core::Result<int>> ProfileScraper::page_count(std::string username) {
  auto first = co_await fetch_grid(fetcher_, fmt::format("/{}/films/", username));
  if (!first) co_return tl::unexpected(first.error());
  co_return std::clamp(first->page_count, 1, kMaxPages);
}

asio::awaitable<ScrapeOutcome> ProfileScraper::scrape(std::string username, FilmsSeen on_films) {
  ScrapeOutcome out;
  const std::string films_base = fmt::format("/{}/films/", username);
  const std::string watchlist_base = fmt::format("/{}/watchlist/", username);
  // The films grid, the watchlist grid and the RSS feed do not depend on each other: asked for
  // together, the gate paces them as one queue instead of three waits in a row.
  std::vector<std::string> watch_problems;
  core::Result<std::vector<GridPage>> film_pages = tl::unexpected(core::Error{});
  core::Result<std::vector<GridPage>> watch_pages = tl::unexpected(core::Error{});
  FetchReport rss;
  {
    std::vector<asio::awaitable<bool>> parts;
    parts.push_back(grid_into(fetcher_, films_base, &out.problems, &on_films, &film_pages));
    parts.push_back(grid_into(fetcher_, watchlist_base, &watch_problems, nullptr, &watch_pages));
    // Recent diary entries carry TMDB ids: one request saves that many searches later.
    parts.push_back(fetch_into(fetcher_, fmt::format("/{}/rss/", username), &rss));
    co_await net::gather(std::move(parts));
  }
  if (!film_pages) {
    out.profile = tl::unexpected(film_pages.error());
    out.complete = false;
    co_return out;
  }
  out.problems.insert(out.problems.end(), watch_problems.begin(), watch_problems.end());
  out.pages = std::clamp(film_pages->front().page_count, 1, kMaxPages);
  const std::optional<int> expected = film_pages->front().total_films;

  domain::Profile profile;
  profile.username = username;
  profile.source = domain::ProfileSource::kScrape;
  std::unordered_set<std::string> seen;
  for (const GridPage& page : *film_pages) {
    for (const GridItem& item : page.items) {
      // A film added while we read can shift one onto the next page: keep the first sighting.
      if (!seen.insert(item.film.slug).second) continue;
      profile.films.push_back(
          domain::WatchedFilm{item.film, item.rating, item.liked, std::nullopt, false});
    }
  }

  if (watch_pages) {
    std::unordered_set<std::string> listed;
    for (const GridPage& page : *watch_pages) {
      for (const GridItem& item : page.items) {
        if (listed.insert(item.film.slug).second) profile.watchlist.push_back(item.film);
      }
    }
  } else {
    out.problems.push_back(fmt::format("{}: {}", watchlist_base, watch_pages.error().message));
  }

  if (rss.page) {
    if (auto entries = parse_rss(rss.page->body)) {
      std::unordered_map<std::string, const RssEntry*> by_slug;
      for (const RssEntry& e : *entries)
        by_slug.emplace(e.film.slug, &e);
      for (domain::WatchedFilm& w : profile.films) {
        const auto it = by_slug.find(w.film.slug);
        if (it == by_slug.end()) continue;
        w.film.tmdb_id = it->second->film.tmdb_id;
        w.film.is_tv = it->second->film.is_tv;
        w.watched_date = it->second->watched_date;
        w.rewatch = it->second->rewatch;
      }
    }
  }

  const int got = static_cast<int>(profile.films.size());
  if (expected && std::abs(*expected - got) > std::max(2, *expected / 100)) {
    out.problems.push_back(
        fmt::format("{}: expected {} films, read {}", films_base, *expected, got));
  }
  out.complete = out.problems.empty();
  out.profile = std::move(profile);
  co_return out;
}

}  // namespace lbrec::sources::letterboxd
