#pragma once

#include <curl/curl.h>

#include <map>
#include <string>
#include <vector>

namespace lbrec::testing {

// One HTTP exchange as a test sees it.
struct Fetched {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names; last value wins
  double seconds = 0;

  std::string header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct FetchOptions {
  std::string method = "GET";
  std::string body;
  std::vector<std::string> headers;  // "Name: value"
  long timeout_ms = 10000;
};

// A blocking libcurl client for tests; one instance keeps its connection alive between calls.
// Redirects are not followed.
class CurlFetch {
 public:
  CurlFetch();
  ~CurlFetch();
  CurlFetch(const CurlFetch&) = delete;
  CurlFetch& operator=(const CurlFetch&) = delete;

  Fetched fetch(const std::string& url, const FetchOptions& options = {});

 private:
  CURL* curl_;
};

}  // namespace lbrec::testing
