#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace lbrec::store {

// Where and how to reach one Redis server, from a REDIS_URL.
struct RedisUrl {
  enum class Transport { kTcp, kUnix };

  Transport transport = Transport::kTcp;
  std::string host = "localhost";  // kTcp: a name or an IP address (IPv6 without brackets)
  std::uint16_t port = 6379;       // kTcp
  std::string socket_path;         // kUnix: absolute path of the socket
  std::string username;            // "" with a password: `AUTH password` (the default user)
  std::string password;            // "": no AUTH
  int db = 0;                      // SELECT after connecting when not 0

  // The URL with the password replaced by "***": the only form that may be logged or shown.
  std::string redacted() const;

  friend bool operator==(const RedisUrl&, const RedisUrl&) = default;
};

// Parses
//   redis://[[user]:password@]host[:port][/db][?db=N&password=P]
//   unix://[[user]:password@]/path/to/socket[?db=N&password=P]   (also redis+unix://, unix:/path)
// Percent-escapes in the user, password and path are decoded. rediss:// (TLS) is refused: the
// Debian hiredis 0.14 has no TLS. Errors are kConfigError and never quote the password.
core::Result<RedisUrl> parse_redis_url(std::string_view text);

}  // namespace lbrec::store
