#include "store/redis_url.hpp"

#include <gtest/gtest.h>

#include "store/redis_client.hpp"

namespace lbrec::store {
namespace {

using std::chrono::milliseconds;

RedisUrl parse_ok(std::string_view text) {
  auto r = parse_redis_url(text);
  EXPECT_TRUE(r.has_value()) << text << ": " << (r ? "" : r.error().message);
  return r ? *r : RedisUrl{};
}

std::string parse_error(std::string_view text) {
  auto r = parse_redis_url(text);
  EXPECT_FALSE(r.has_value()) << text;
  if (r) return {};
  EXPECT_EQ(r.error().code, core::ErrorCode::kConfigError) << text;
  return r.error().message;
}

TEST(RedisUrl, HostPortAndDatabase) {
  const RedisUrl u = parse_ok("redis://cache.internal:6380/3");
  EXPECT_EQ(u.transport, RedisUrl::Transport::kTcp);
  EXPECT_EQ(u.host, "cache.internal");
  EXPECT_EQ(u.port, 6380);
  EXPECT_EQ(u.db, 3);
  EXPECT_TRUE(u.password.empty());
  EXPECT_TRUE(u.username.empty());
}

TEST(RedisUrl, Defaults) {
  const RedisUrl u = parse_ok("redis://localhost");
  EXPECT_EQ(u.host, "localhost");
  EXPECT_EQ(u.port, 6379);
  EXPECT_EQ(u.db, 0);
  EXPECT_EQ(parse_ok("redis://").host, "localhost");
  EXPECT_EQ(parse_ok("redis://h/").db, 0);
  EXPECT_EQ(parse_ok("REDIS://h:1/2").db, 2);  // the scheme is case-insensitive
}

TEST(RedisUrl, PasswordAndUser) {
  RedisUrl u = parse_ok("redis://:s3cret@h:1/0");
  EXPECT_EQ(u.username, "");
  EXPECT_EQ(u.password, "s3cret");
  u = parse_ok("redis://app:p%40ss%3Aword@h");
  EXPECT_EQ(u.username, "app");
  EXPECT_EQ(u.password, "p@ss:word");  // percent-escapes decoded
  u = parse_ok("redis://h?password=fromquery&db=5");
  EXPECT_EQ(u.password, "fromquery");
  EXPECT_EQ(u.db, 5);
  // An empty password is no password.
  EXPECT_EQ(parse_ok("redis://:@h").password, "");
}

TEST(RedisUrl, Ipv6Literal) {
  const RedisUrl u = parse_ok("redis://[::1]:7000");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 7000);
  EXPECT_EQ(u.redacted(), "redis://[::1]:7000");
}

TEST(RedisUrl, UnixSockets) {
  RedisUrl u = parse_ok("unix:///run/redis/redis.sock");
  EXPECT_EQ(u.transport, RedisUrl::Transport::kUnix);
  EXPECT_EQ(u.socket_path, "/run/redis/redis.sock");
  EXPECT_EQ(u.db, 0);
  u = parse_ok("unix:///tmp/r.sock?db=4");
  EXPECT_EQ(u.db, 4);
  u = parse_ok("redis+unix:///tmp/r.sock?db=1&password=pw");
  EXPECT_EQ(u.transport, RedisUrl::Transport::kUnix);
  EXPECT_EQ(u.password, "pw");
  u = parse_ok("unix://:pw@/tmp/r.sock");
  EXPECT_EQ(u.socket_path, "/tmp/r.sock");
  EXPECT_EQ(u.password, "pw");
  u = parse_ok("unix:/tmp/short.sock");
  EXPECT_EQ(u.socket_path, "/tmp/short.sock");
  EXPECT_EQ(parse_ok("unix:///tmp/a%20b.sock").socket_path, "/tmp/a b.sock");
}

TEST(RedisUrl, TlsIsRefusedClearly) {
  const std::string e = parse_error("rediss://:pw@cache.example:6380");
  EXPECT_NE(e.find("TLS"), std::string::npos) << e;
  EXPECT_NE(e.find("hiredis 0.14"), std::string::npos) << e;
}

TEST(RedisUrl, BadUrlsSayWhy) {
  EXPECT_NE(parse_error("").find("empty"), std::string::npos);
  EXPECT_NE(parse_error("localhost:6379").find("scheme"), std::string::npos);
  EXPECT_NE(parse_error("http://localhost").find("scheme"), std::string::npos);
  EXPECT_NE(parse_error("redis://h:0").find("port"), std::string::npos);
  EXPECT_NE(parse_error("redis://h:70000").find("port"), std::string::npos);
  EXPECT_NE(parse_error("redis://h:abc").find("URL"), std::string::npos);
  EXPECT_NE(parse_error("redis://h/x").find("database"), std::string::npos);
  EXPECT_NE(parse_error("redis://h/-1").find("database"), std::string::npos);
  EXPECT_NE(parse_error("redis://h/1/2").find("database"), std::string::npos);
  EXPECT_NE(parse_error("redis://h/1?db=2").find("database"), std::string::npos);
  EXPECT_NE(parse_error("redis://h?db=x").find("db"), std::string::npos);
  EXPECT_NE(parse_error("redis://h?timeout=3").find("timeout"), std::string::npos);
  EXPECT_NE(parse_error("redis://h#frag").find("fragment"), std::string::npos);
  EXPECT_NE(parse_error("redis://justuser@h").find("password"), std::string::npos);
  EXPECT_NE(parse_error("unix://").find("path"), std::string::npos);
  EXPECT_NE(parse_error("unix://host/tmp/r.sock").find("no host"), std::string::npos);
  EXPECT_NE(parse_error("unix:relative.sock").find("absolute"), std::string::npos);
  EXPECT_NE(parse_error("unix:///" + std::string(200, 'a')).find("longer"), std::string::npos);
}

TEST(RedisUrl, ErrorsNeverQuoteThePassword) {
  for (const char* url : {"redis://:hunter2@h:99999", "redis://u:hunter2@h/x",
                          "rediss://u:hunter2@h", "redis://u:hunter2@h?bogus=1"}) {
    const std::string e = parse_error(url);
    EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;
  }
}

TEST(RedisUrl, RedactedHidesThePasswordOnly) {
  EXPECT_EQ(parse_ok("redis://app:hunter2@h:6380/2").redacted(), "redis://app:***@h:6380/2");
  EXPECT_EQ(parse_ok("redis://:hunter2@h").redacted(), "redis://:***@h:6379");
  EXPECT_EQ(parse_ok("redis://h?password=hunter2").redacted(), "redis://:***@h:6379");
  EXPECT_EQ(parse_ok("redis://h").redacted(), "redis://h:6379");
  EXPECT_EQ(parse_ok("unix://:hunter2@/tmp/r.sock?db=3").redacted(),
            "unix://:***@/tmp/r.sock?db=3");
  // The redacted form parses back to the same place.
  const RedisUrl u = parse_ok("redis://app:hunter2@h:6380/2");
  RedisUrl back = parse_ok(u.redacted());
  back.password = u.password;
  EXPECT_EQ(back, u);
}

TEST(RedisBackoff, DoublesUpToTheCapWithJitterInTheUpperHalf) {
  const milliseconds initial(100), max(5000);
  EXPECT_EQ(reconnect_delay(0, initial, max, 1.0), milliseconds(100));
  EXPECT_EQ(reconnect_delay(1, initial, max, 1.0), milliseconds(200));
  EXPECT_EQ(reconnect_delay(5, initial, max, 1.0), milliseconds(3200));
  EXPECT_EQ(reconnect_delay(6, initial, max, 1.0), milliseconds(5000));
  EXPECT_EQ(reconnect_delay(1000, initial, max, 1.0), milliseconds(5000));
  EXPECT_EQ(reconnect_delay(0, initial, max, 0.5), milliseconds(50));
  EXPECT_EQ(reconnect_delay(40, initial, max, 0.5), milliseconds(2500));
  // Draws outside [0.5, 1] are clamped; the wait is never zero.
  EXPECT_EQ(reconnect_delay(0, initial, max, 0.0), milliseconds(50));
  EXPECT_EQ(reconnect_delay(0, initial, max, 7.0), milliseconds(100));
  EXPECT_GE(reconnect_delay(0, milliseconds(0), milliseconds(0), 0.5).count(), 1);
}

TEST(RedisReplyText, RendersEveryType) {
  const RedisReply r =
      RedisReply::array({RedisReply::nil(), RedisReply::integer_reply(42), RedisReply::string("v"),
                         RedisReply::status("OK"), RedisReply::error("ERR no")});
  EXPECT_EQ(to_string(r), "[nil, 42, \"v\", +OK, -ERR no]");
  EXPECT_TRUE(RedisReply::status("OK").is_ok());
  EXPECT_FALSE(RedisReply::string("OK").is_ok());
}

}  // namespace
}  // namespace lbrec::store
