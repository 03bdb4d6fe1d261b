#include "sources/letterboxd/profile_service.hpp"

#include "core/strings.hpp"

namespace lbrec::sources::letterboxd {

namespace asio = boost::asio;

ProfileService::ProfileService(ProfileScraper& scraper, store::Cache& cache,
                               net::CircuitBreaker& breaker, ProfileSettings settings,
                               const core::Clock& clock)
    : scraper_(scraper), cache_(cache), breaker_(breaker), settings_(settings), clock_(clock) {}

asio::awaitable<core::Result<ProfileResult>> ProfileService::get(std::string username,
                                                                 FilmsSeen on_films) {
  // Letterboxd usernames are case-insensitive: one cache entry per member.
  std::string key = "profile:" + core::to_lower_ascii(username);
  if (auto entry = co_await cache_.get(key); entry && entry->age(clock_) < settings_.fresh_ttl) {
    if (auto snapshot = decode_snapshot(entry->value)) {
      ProfileResult r;
      r.snapshot = std::move(*snapshot);
      r.from_cache = true;
      r.snapshot_age = entry->age(clock_);
      co_return r;
    }
  }
  std::function<asio::awaitable<core::Result<ProfileResult>>()> work =
      [this, key, username, on_films = std::move(on_films)] {
        return refresh(key, username, on_films);
      };
  co_return co_await flights_.run(key, std::move(work));
}

asio::awaitable<core::Result<ProfileResult>> ProfileService::refresh(std::string key,
                                                                     std::string username,
                                                                     FilmsSeen on_films) {
  ScrapeOutcome scraped = co_await scraper_.scrape(username, std::move(on_films));
  if (scraped.profile) {
    ProfileResult r;
    r.snapshot = ProfileSnapshot{std::move(*scraped.profile), scraped.pages};
    r.complete = scraped.complete;
    if (scraped.complete)
      co_await cache_.put(key, encode_snapshot(r.snapshot), settings_.stale_ttl);
    co_return r;
  }
  const core::Error error = scraped.profile.error();
  const bool live_failure = error.code == core::ErrorCode::kBlocked ||
                            error.code == core::ErrorCode::kRateLimited ||
                            error.code == core::ErrorCode::kUnavailable;
  if (live_failure) {
    if (auto entry = co_await cache_.get(key); entry && entry->age(clock_) < settings_.stale_ttl) {
      if (auto snapshot = decode_snapshot(entry->value)) {
        ProfileResult r;
        r.snapshot = std::move(*snapshot);
        r.stale = true;
        r.from_cache = true;
        r.incident = breaker_.snapshot();
        r.snapshot_age = entry->age(clock_);
        co_return r;
      }
    }
  }
  co_return tl::unexpected(error);
}

}  // namespace lbrec::sources::letterboxd
