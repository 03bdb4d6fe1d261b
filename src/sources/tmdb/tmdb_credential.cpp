#include "sources/tmdb/tmdb_credential.hpp"

#include "core/strings.hpp"

namespace lbrec::sources::tmdb {

TmdbCredential TmdbCredential::detect(std::string_view key) {
  TmdbCredential c;
  key = core::trim(key);
  if (key.empty()) return c;
  c.secret_ = std::string(key);
  c.kind_ = key.starts_with("eyJ") ? Kind::kBearer : Kind::kApiKey;
  return c;
}

std::string_view TmdbCredential::describe() const {
  switch (kind_) {
    case Kind::kApiKey:
      return "v3 api_key";
    case Kind::kBearer:
      return "v4 bearer token";
    case Kind::kNone:
      break;
  }
  return "none";
}

void TmdbCredential::apply(boost::urls::url& url, net::HttpRequest& request) const {
  if (kind_ == Kind::kBearer) {
    request.headers.emplace_back("Authorization", "Bearer " + secret_);
  } else if (kind_ == Kind::kApiKey) {
    url.params().append({"api_key", secret_});
  }
}

std::string TmdbCredential::redact(std::string_view text) const {
  std::string out(text);
  if (secret_.empty()) return out;
  for (std::size_t at = out.find(secret_); at != std::string::npos;
       at = out.find(secret_, at + 3)) {
    out.replace(at, secret_.size(), "***");
  }
  return out;
}

}  // namespace lbrec::sources::tmdb
