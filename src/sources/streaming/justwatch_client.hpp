#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "net/fetch_with_retry.hpp"
#include "sources/streaming/justwatch_json.hpp"

namespace lbrec::sources::streaming {

struct JustWatchSettings {
  std::string url = "https://apis.justwatch.com/graphql";  // JUSTWATCH_URL
  std::chrono::milliseconds timeout{12000};
};

// JustWatch's unofficial GraphQL API, as simple-justwatch-python-api calls it: one POST per
// search, no credentials, no custom headers beyond the JSON content type.
class JustWatchClient {
 public:
  JustWatchClient(net::RetryContext retry, JustWatchSettings settings);

  // Titles matching `title`, with their offers in `country` (ISO code, upper case), at most
  // `first`. Errors: kUpstreamError (a GraphQL "errors" answer), kParseError (a malformed body),
  // kRateLimited (429 after retries), kUnavailable (other statuses after retries, transport
  // failures).
  boost::asio::awaitable<core::Result<std::vector<JustWatchTitle>>> search(std::string title,
                                                                           std::string country,
                                                                           int first = 5);

  // Searches sent (each may have taken several HTTP attempts).
  std::uint64_t calls() const { return calls_.load(); }

 private:
  net::RetryContext retry_;
  JustWatchSettings settings_;
  std::atomic<std::uint64_t> calls_{0};
};

}  // namespace lbrec::sources::streaming
