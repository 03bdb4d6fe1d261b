#include "sources/streaming/justwatch_client.hpp"

#include <fmt/format.h>

namespace lbrec::sources::streaming {

JustWatchClient::JustWatchClient(net::RetryContext retry, JustWatchSettings settings)
    : retry_(std::move(retry)), settings_(std::move(settings)) {}

boost::asio::awaitable<core::Result<std::vector<JustWatchTitle>>> JustWatchClient::search(
    std::string title, std::string country, int first) {
  ++calls_;
  net::HttpRequest request;
  request.url = settings_.url;
  request.method = "POST";
  request.timeout = settings_.timeout;
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  request.body = search_request_body(title, country, first);
  std::string source = "justwatch";
  net::RetriedFetch fetched =
      co_await net::fetch_with_retry(retry_, std::move(request), std::move(source));
  if (!fetched.result) co_return tl::unexpected(fetched.result.error());
  const net::HttpResponse& response = *fetched.result;
  if (response.status == 429) {
    co_return core::fail(core::ErrorCode::kRateLimited, "justwatch: HTTP 429", true);
  }
  if (response.status < 200 || response.status >= 300) {
    co_return core::fail(core::ErrorCode::kUnavailable,
                         fmt::format("justwatch: HTTP {}", response.status),
                         response.status >= 500);
  }
  co_return parse_search_response(response.body);
}

}  // namespace lbrec::sources::streaming
