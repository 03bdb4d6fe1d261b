#pragma once

#include <boost/url/url.hpp>
#include <string>
#include <string_view>

#include "net/http_client.hpp"

namespace lbrec::sources::tmdb {

// How TMDB_KEY is sent. A v4 Read Access Token is a JWT and starts with "eyJ" (base64url of
// '{"'): it goes in an Authorization: Bearer header. Anything else is a v3 API key and goes in
// the api_key query parameter. Both give the same v3 access.
class TmdbCredential {
 public:
  enum class Kind { kNone, kApiKey, kBearer };

  TmdbCredential() = default;
  // Detects the kind from the key's shape; surrounding whitespace is ignored.
  static TmdbCredential detect(std::string_view key);

  Kind kind() const { return kind_; }
  bool empty() const { return kind_ == Kind::kNone; }
  // "v3 api_key", "v4 bearer token" or "none": safe to log, never the secret.
  std::string_view describe() const;

  // Adds the credential to a request: the api_key parameter of `url`, or a header of `request`.
  void apply(boost::urls::url& url, net::HttpRequest& request) const;
  // `text` with every occurrence of the secret replaced by "***" (for error messages that might
  // quote a URL).
  std::string redact(std::string_view text) const;

 private:
  Kind kind_ = Kind::kNone;
  std::string secret_;
};

}  // namespace lbrec::sources::tmdb
