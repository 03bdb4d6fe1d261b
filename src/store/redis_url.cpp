#include "store/redis_url.hpp"

#include <fmt/format.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>
#include <climits>
#include <optional>

namespace lbrec::store {

namespace {

using core::ErrorCode;

// sizeof(sockaddr_un::sun_path) on Linux, terminating NUL included: hiredis would cut the path.
constexpr std::size_t kMaxSocketPath = 108;

tl::unexpected<core::Error> bad(std::string_view reason) {
  return core::fail(ErrorCode::kConfigError, fmt::format("invalid Redis URL: {}", reason));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
  return out;
}

std::optional<int> parse_db(std::string_view text) {
  int db = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), db);
  if (ec != std::errc() || end != text.data() + text.size() || db < 0) return std::nullopt;
  return db;
}

bool has_control_chars(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

std::string RedisUrl::redacted() const {
  std::string auth;
  if (!password.empty()) auth = fmt::format("{}:***@", username);
  // The user name is not a secret, but without a password it is never sent, so it is not shown.
  std::string out;
  if (transport == Transport::kUnix) {
    out = fmt::format("unix://{}{}", auth, socket_path);
    if (db != 0) out += fmt::format("?db={}", db);
    return out;
  }
  const bool ipv6 = host.find(':') != std::string::npos;
  out = fmt::format("redis://{}{}{}{}:{}", auth, ipv6 ? "[" : "", host, ipv6 ? "]" : "", port);
  if (db != 0) out += fmt::format("/{}", db);
  return out;
}

core::Result<RedisUrl> parse_redis_url(std::string_view text) {
  if (text.empty()) return bad("empty");
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) {
    return bad(
        "not a URL (expected redis://[[user]:password@]host[:port][/db] or "
        "unix:///path/to/redis.sock[?db=N])");
  }
  const boost::urls::url_view& u = *parsed;
  const std::string scheme = lower(u.scheme());

  RedisUrl out;
  if (scheme == "rediss") {
    return core::fail(ErrorCode::kConfigError,
                      "invalid Redis URL: TLS (rediss://) is not supported by this build "
                      "(hiredis 0.14); use redis:// or unix://");
  }
  if (scheme == "unix" || scheme == "redis+unix") {
    out.transport = RedisUrl::Transport::kUnix;
  } else if (scheme != "redis") {
    return bad(fmt::format("unsupported scheme \"{}\" (expected redis, unix or redis+unix)",
                           scheme.substr(0, 20)));
  }
  if (u.has_fragment()) return bad("a fragment (#...) is not allowed");

  if (u.has_userinfo()) {
    if (!u.has_password()) {
      return bad(
          "user info without a password; write redis://:password@host or "
          "redis://user:password@host");
    }
    out.username = u.user();
    out.password = u.password();
    if (has_control_chars(out.username) || has_control_chars(out.password)) {
      return bad("control characters in the user name or password");
    }
  }

  std::optional<int> query_db;
  if (u.has_query()) {
    for (const auto& param : u.params()) {
      if (param.key == "db") {
        query_db = parse_db(param.value);
        if (!param.has_value || !query_db) return bad("db must be a non-negative integer");
      } else if (param.key == "password") {
        if (!param.value.empty()) out.password = param.value;
        if (has_control_chars(out.password)) return bad("control characters in the password");
      } else {
        return bad(fmt::format("unknown query parameter \"{}\" (accepted: db, password)",
                               std::string(param.key).substr(0, 40)));
      }
    }
  }

  const std::string path = u.path();
  if (out.transport == RedisUrl::Transport::kUnix) {
    if (!u.encoded_host().empty() || u.has_port()) {
      return bad("a unix socket URL has no host or port: write unix:///path/to/redis.sock");
    }
    if (path.empty() || path.front() != '/') {
      return bad("a unix socket URL needs an absolute socket path: unix:///path/to/redis.sock");
    }
    if (has_control_chars(path)) return bad("control characters in the socket path");
    if (path.size() >= kMaxSocketPath) {
      return bad(fmt::format("the socket path is longer than {} bytes", kMaxSocketPath - 1));
    }
    out.socket_path = path;
    out.db = query_db.value_or(0);
    return out;
  }

  if (!u.has_authority()) return bad("no host: write redis://host[:port][/db]");
  if (u.host_type() == boost::urls::host_type::ipvfuture) return bad("unsupported IP literal");
  if (!u.encoded_host().empty()) out.host = u.host_address();
  if (has_control_chars(out.host)) return bad("control characters in the host");
  if (u.has_port()) {
    const std::string_view port_text = u.port();
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
        value == 0 || value > 65535) {
      return bad("port must be a number from 1 to 65535");
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  if (!path.empty() && path != "/") {
    const auto db = parse_db(std::string_view(path).substr(1));
    if (!db) return bad("the path must be a database number, as in redis://host:6379/0");
    if (query_db && *query_db != *db) return bad("two different database numbers");
    out.db = *db;
  } else {
    out.db = query_db.value_or(0);
  }
  return out;
}

}  // namespace lbrec::store
