#include "sources/tmdb/tmdb_client.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "sources/streaming/tmdb_providers_json.hpp"

namespace lbrec::sources::tmdb {

namespace asio = boost::asio;
using core::ErrorCode;

namespace {

std::string trimmed_base(std::string base) {
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base;
}

// TMDB's own words for a failure, when the body is its error envelope.
std::string tmdb_message(const net::HttpResponse& response) {
  if (auto e = parse_error_body(response.body); e && !e->status_message.empty())
    return fmt::format(" (status_code {}: {})", e->status_code, e->status_message);
  return {};
}

}  // namespace

TmdbClient::TmdbClient(net::RetryContext retry, TmdbSettings settings)
    : retry_(std::move(retry)), settings_(std::move(settings)) {
  settings_.base_url = trimmed_base(std::move(settings_.base_url));
}

core::Error TmdbClient::rejected_key_error() const {
  return core::Error{ErrorCode::kUnauthorized,
                     fmt::format("TMDB rejected the configured TMDB_KEY ({}); check the key",
                                 settings_.credential.describe()),
                     false};
}

asio::awaitable<core::Result<net::HttpResponse>> TmdbClient::get(
    std::string path, std::vector<std::pair<std::string, std::string>> params) {
  if (settings_.credential.empty()) {
    co_return core::fail(ErrorCode::kUnauthorized, "TMDB_KEY is not set");
  }
  if (key_rejected_.load()) co_return tl::unexpected(rejected_key_error());

  const std::string target = settings_.base_url + "/3/" + path;
  spdlog::debug("event=tmdb_request path={}", path);
  auto parsed = boost::urls::parse_uri(target);  // a view of `target`, copied into `url` below
  if (!parsed) co_return core::fail(ErrorCode::kConfigError, "TMDB_BASE_URL is not a URL");
  boost::urls::url url = *parsed;
  for (const auto& [name, value] : params)
    url.params().append({name, value});
  net::HttpRequest request;
  request.timeout = settings_.timeout;
  request.headers.emplace_back("Accept", "application/json");
  settings_.credential.apply(url, request);
  request.url = std::string(url.buffer());

  std::string source = "tmdb";
  net::RetriedFetch fetched =
      co_await net::fetch_with_retry(retry_, std::move(request), std::move(source));
  requests_ += fetched.attempts.size();
  if (!fetched.result) {
    core::Error e = fetched.result.error();
    e.message = "TMDB unreachable: " + settings_.credential.redact(e.message);
    co_return tl::unexpected(std::move(e));
  }
  const net::HttpResponse& response = *fetched.result;
  const long status = response.status;
  if (status >= 200 && status < 300) co_return std::move(*fetched.result);
  if (status == 401) {
    if (!key_rejected_.exchange(true)) {
      spdlog::warn("event=tmdb_key_rejected credential=\"{}\" status=401{}",
                   settings_.credential.describe(), tmdb_message(response));
    }
    co_return tl::unexpected(rejected_key_error());
  }
  if (status == 404) {
    co_return core::fail(ErrorCode::kNotFound, "TMDB has no such resource");
  }
  if (status == 429) {
    co_return core::fail(ErrorCode::kRateLimited,
                         fmt::format("TMDB kept answering 429 after {} attempts{}",
                                     fetched.attempts.size(), tmdb_message(response)),
                         true);
  }
  if (status >= 500) {
    co_return core::fail(
        ErrorCode::kUnavailable,
        fmt::format("TMDB answered {} after {} attempts", status, fetched.attempts.size()), true);
  }
  co_return core::fail(ErrorCode::kUpstreamError,
                       fmt::format("TMDB answered {}{}", status, tmdb_message(response)));
}

asio::awaitable<core::Result<SearchPage>> TmdbClient::search(std::string query,
                                                             std::optional<int> year,
                                                             YearFilter filter) {
  std::vector<std::pair<std::string, std::string>> params{{"query", query},
                                                          {"include_adult", "false"}};
  if (year && filter == YearFilter::kYear) params.emplace_back("year", std::to_string(*year));
  if (year && filter == YearFilter::kPrimaryReleaseYear)
    params.emplace_back("primary_release_year", std::to_string(*year));
  std::string path = "search/movie";
  auto response = co_await get(std::move(path), std::move(params));
  if (!response) co_return tl::unexpected(response.error());
  co_return parse_search_page(response->body);
}

asio::awaitable<core::Result<domain::MovieDetails>> TmdbClient::details(int tmdb_id) {
  std::vector<std::pair<std::string, std::string>> params{
      {"append_to_response", std::string(kDetailsAppend)}};
  std::string path = fmt::format("movie/{}", tmdb_id);
  auto response = co_await get(std::move(path), std::move(params));
  if (!response) co_return tl::unexpected(response.error());
  co_return parse_details(response->body);
}

asio::awaitable<core::Result<domain::ProviderTable>> TmdbClient::watch_providers(int tmdb_id) {
  std::string path = fmt::format("movie/{}/watch/providers", tmdb_id);
  std::vector<std::pair<std::string, std::string>> no_params;
  auto response = co_await get(std::move(path), std::move(no_params));
  if (!response) co_return tl::unexpected(response.error());
  co_return streaming::parse_watch_providers_body(response->body);
}

}  // namespace lbrec::sources::tmdb
