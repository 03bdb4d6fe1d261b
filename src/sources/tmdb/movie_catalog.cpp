#include "sources/tmdb/movie_catalog.hpp"

#include <fmt/format.h>

#include "engine/title.hpp"
#include "sources/tmdb/movie_codec.hpp"

namespace lbrec::sources::tmdb {

namespace asio = boost::asio;
using core::ErrorCode;

namespace {

// Stored for "TMDB has nothing": a negative entry, cached for a shorter time.
constexpr std::string_view kMiss = "-";

std::string details_key(int tmdb_id) {
  return fmt::format("tmdb:movie:{}", tmdb_id);
}

Identification identified(domain::MovieSummary movie, MatchKind match, bool from_cache) {
  return Identification{Identification::Outcome::kIdentified, std::move(movie), match, from_cache};
}

Identification not_on_tmdb(bool from_cache) {
  Identification id;
  id.from_cache = from_cache;
  return id;
}

}  // namespace

std::string identity_key(const domain::FilmRef& film) {
  if (!film.slug.empty()) return "tmdb:film:" + film.slug;
  return fmt::format("tmdb:title:{}:{}", engine::normalize_title(film.title),
                     film.year.value_or(0));
}

IdentifyReport summarize(const std::vector<core::Result<Identification>>& results) {
  IdentifyReport r;
  for (const auto& result : results) {
    if (!result) {
      ++r.failed;
      continue;
    }
    if (result->from_cache) ++r.calls_saved_by_cache;
    switch (result->outcome) {
      case Identification::Outcome::kIdentified:
        ++r.identified;
        break;
      case Identification::Outcome::kNotOnTmdb:
        ++r.not_on_tmdb;
        break;
      case Identification::Outcome::kTvEntry:
        ++r.tv_entries;
        break;
    }
  }
  return r;
}

MovieCatalog::MovieCatalog(TmdbClient& client, store::Cache& cache, CatalogSettings settings,
                           const core::Clock& clock)
    : client_(client), cache_(cache), settings_(settings), clock_(clock) {}

asio::awaitable<core::Result<Identification>> MovieCatalog::identify(domain::FilmRef film) {
  if (film.is_tv) {
    Identification tv;
    tv.outcome = Identification::Outcome::kTvEntry;
    co_return tv;
  }
  std::string key = identity_key(film);
  if (auto entry = co_await cache_.get(key)) {
    if (entry->value == kMiss) {
      ++cache_hits_;
      co_return not_on_tmdb(true);
    }
    if (auto movie = decode_summary(entry->value)) {
      ++cache_hits_;
      co_return identified(std::move(*movie), MatchKind::kExact, true);
    }
  }
  std::function<asio::awaitable<core::Result<Identification>>()> work = [this, key, film] {
    return resolve(key, film);
  };
  co_return co_await identify_flights_.run(key, std::move(work));
}

asio::awaitable<core::Result<Identification>> MovieCatalog::resolve(std::string key,
                                                                    domain::FilmRef film) {
  core::Result<Identification> result = not_on_tmdb(false);
  bool resolved = false;
  if (film.tmdb_id) {
    // The source named the film: its details call identifies it and fills the details cache.
    auto details = co_await this->details(*film.tmdb_id);
    if (details) {
      result = identified(details->summary, MatchKind::kExact, false);
      resolved = true;
    } else if (details.error().code != ErrorCode::kNotFound) {
      co_return tl::unexpected(details.error());
    }
  }
  if (!resolved) {
    result = co_await search(film);
    if (!result) co_return result;
  }
  if (result->movie) {
    co_await cache_.put(std::move(key), encode_summary(*result->movie), settings_.identity_ttl);
  } else {
    co_await cache_.put(std::move(key), std::string(kMiss), settings_.identity_miss_ttl);
  }
  co_return result;
}

asio::awaitable<core::Result<Identification>> MovieCatalog::search(domain::FilmRef film) {
  if (engine::normalize_title(film.title).empty()) co_return not_on_tmdb(false);
  // TMDB's `year` matches every release date in the year (festival premieres included), so it
  // finds at least what primary_release_year would; only when it finds nothing safe does a
  // title-only search look a year either side.
  if (film.year) {
    std::string query = film.title;
    auto page = co_await client_.search(std::move(query), film.year, YearFilter::kYear);
    if (!page) co_return tl::unexpected(page.error());
    if (auto match = pick_match(film.title, film.year, page->results))
      co_return identified(std::move(match->movie), match->kind, false);
  }
  std::string query = film.title;
  auto page = co_await client_.search(std::move(query), std::nullopt, YearFilter::kNone);
  if (!page) co_return tl::unexpected(page.error());
  if (auto match = pick_match(film.title, film.year, page->results))
    co_return identified(std::move(match->movie), match->kind, false);
  co_return not_on_tmdb(false);
}

asio::awaitable<std::optional<domain::MovieDetails>> MovieCatalog::cached_details(int tmdb_id) {
  const auto entry = co_await cache_.get(details_key(tmdb_id));
  if (!entry || entry->value == kMiss) co_return std::nullopt;
  auto details = decode_details(entry->value);
  if (!details) co_return std::nullopt;
  co_return std::move(*details);
}

asio::awaitable<core::Result<domain::MovieDetails>> MovieCatalog::details(int tmdb_id) {
  std::string key = details_key(tmdb_id);
  if (auto entry = co_await cache_.get(key)) {
    if (entry->value == kMiss) {
      ++cache_hits_;
      co_return core::fail(ErrorCode::kNotFound, fmt::format("TMDB has no movie {}", tmdb_id));
    }
    if (auto details = decode_details(entry->value)) {
      ++cache_hits_;
      co_return std::move(*details);
    }
  }
  std::function<asio::awaitable<core::Result<domain::MovieDetails>>()> work = [this, tmdb_id] {
    return fetch_details(tmdb_id);
  };
  co_return co_await details_flights_.run(std::move(key), std::move(work));
}

asio::awaitable<core::Result<domain::MovieDetails>> MovieCatalog::fetch_details(int tmdb_id) {
  auto details = co_await client_.details(tmdb_id);
  if (details) {
    co_await cache_.put(details_key(tmdb_id), encode_details(*details), settings_.details_ttl);
  } else if (details.error().code == ErrorCode::kNotFound) {
    co_await cache_.put(details_key(tmdb_id), std::string(kMiss), settings_.details_miss_ttl);
    co_return core::fail(ErrorCode::kNotFound, fmt::format("TMDB has no movie {}", tmdb_id));
  }
  co_return details;
}

}  // namespace lbrec::sources::tmdb
