#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace lbrec::net {

struct HttpRequest {
  std::string url;
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{12000};
  std::chrono::milliseconds connect_timeout{5000};
  std::size_t max_body_bytes = 16u << 20;  // larger bodies fail with kUpstreamError
  bool follow_redirects = true;            // at most 5, http and https only
  bool http2 = false;                      // ask for HTTP/2 over TLS
  std::string proxy;  // "" = no proxy at all: environment proxies are never used implicitly
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // final response's, lower-case names
  std::string body;
  std::string effective_url;  // after redirects

  // The last value of a header (name in lower case); "" when absent.
  std::string header(std::string_view lower_name) const;
};

struct HttpClientOptions {
  long max_host_connections = 20;   // per upstream host, in flight at once
  long max_total_connections = 64;  // across hosts
  long connection_cache = 20;       // idle connections kept for reuse (HTTP_POOL_MAXSIZE)
};

// Completed transfers to one upstream host with one outcome.
struct UpstreamCount {
  std::string host;
  long status = 0;  // HTTP status; 0: no response (a transport failure)
  std::uint64_t count = 0;
};

// Outbound HTTP for the whole process: libcurl's multi-socket API driven by an Asio executor, one
// awaitable per transfer. Any HTTP status is a response; only transport failures are errors
// (kUnavailable, retryable: connect failures, resets, timeouts; kUpstreamError: truncated or
// oversized bodies; kInvalidInput: unusable URLs or schemes other than http/https).
class HttpClient {
 public:
  explicit HttpClient(boost::asio::any_io_executor executor, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  boost::asio::awaitable<core::Result<HttpResponse>> fetch(HttpRequest request);

  // Transfers completed since start, by host and status (for /metrics). Thread-safe.
  std::vector<UpstreamCount> counts() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace lbrec::net
