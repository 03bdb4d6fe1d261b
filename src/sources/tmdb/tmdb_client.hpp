#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "domain/movie.hpp"
#include "net/fetch_with_retry.hpp"
#include "sources/tmdb/tmdb_credential.hpp"
#include "sources/tmdb/tmdb_json.hpp"

namespace lbrec::sources::tmdb {

// What one details call folds in (append_to_response; TMDB allows 20): the director, IMDb id,
// keywords, both neighbour lists and every country's providers, so a film never needs a second
// call.
inline constexpr std::string_view kDetailsAppend =
    "credits,external_ids,keywords,similar,recommendations,watch/providers";

struct TmdbSettings {
  std::string base_url = "https://api.themoviedb.org";  // TMDB_BASE_URL, without /3
  TmdbCredential credential;                            // from TMDB_KEY
  std::chrono::milliseconds timeout{12000};             // TMDB_HTTP_TIMEOUT
};

// How a search narrows by year (TMDB: `year` matches any release date in the year,
// `primary_release_year` only the primary one).
enum class YearFilter { kNone, kYear, kPrimaryReleaseYear };

// TMDB v3 over the shared HTTP machinery: pacing and the 20-connection cap come from the
// RetryContext's HostGate; 429s wait Retry-After (or back off) and hold off the whole gate; 5xx
// and timeouts are retried. Errors: kUnauthorized when TMDB rejects the key (after the first
// rejection no further request is sent), kNotFound for 404, kRateLimited when 429s outlast the
// retries, kUnavailable for 5xx and transport failures, kParseError for unreadable JSON. The key
// never appears in an error message or log line.
class TmdbClient {
 public:
  TmdbClient(net::RetryContext retry, TmdbSettings settings);

  boost::asio::awaitable<core::Result<SearchPage>> search(std::string query,
                                                          std::optional<int> year,
                                                          YearFilter filter);
  // Details with kDetailsAppend folded in.
  boost::asio::awaitable<core::Result<domain::MovieDetails>> details(int tmdb_id);
  // The standalone watch/providers of a film (every country).
  boost::asio::awaitable<core::Result<domain::ProviderTable>> watch_providers(int tmdb_id);

  // HTTP requests sent, retries included.
  std::uint64_t requests() const { return requests_.load(); }
  bool key_rejected() const { return key_rejected_.load(); }
  const TmdbCredential& credential() const { return settings_.credential; }

 private:
  boost::asio::awaitable<core::Result<net::HttpResponse>> get(
      std::string path, std::vector<std::pair<std::string, std::string>> params);
  core::Error rejected_key_error() const;

  net::RetryContext retry_;
  TmdbSettings settings_;
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<bool> key_rejected_{false};
};

}  // namespace lbrec::sources::tmdb
