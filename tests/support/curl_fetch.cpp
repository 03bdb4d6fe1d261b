#include "support/curl_fetch.hpp"

#include <algorithm>
#include <cctype>

namespace lbrec::testing {
namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* out) {
  const std::string line(data, size * n);
  const std::size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

}  // namespace

CurlFetch::CurlFetch() : curl_(curl_easy_init()) {}
CurlFetch::~CurlFetch() {
  curl_easy_cleanup(curl_);
}

Fetched CurlFetch::fetch(const std::string& url, const FetchOptions& options) {
  Fetched out;
  curl_easy_reset(curl_);
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, options.timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &out.headers);
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, options.method.c_str());
  if (!options.body.empty() || options.method == "POST") {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, options.body.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(options.body.size()));
  }
  curl_slist* headers = nullptr;
  for (const std::string& h : options.headers)
    headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
  out.code = curl_easy_perform(curl_);
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_getinfo(curl_, CURLINFO_TOTAL_TIME, &out.seconds);
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  return out;
}

}  // namespace lbrec::testing
