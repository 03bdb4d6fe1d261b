// What instances share through a real redis-server: the cache level (values, ages, expiry), the
// per-client limits, and the outbound pacing; and how each behaves when Redis goes away (a miss,
// an in-process decision, the local bucket; never an error).

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/redis_pacer.hpp"
#include "server/redis_rate_limiter.hpp"
#include "store/redis_cache.hpp"
#include "store/tiered_cache.hpp"
#include "support/redis_rig.hpp"

namespace lbrec {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::RedisServer;

// Two instances' connections to one redis-server.
class RedisSharedStateTest : public testing::RedisRig {
 protected:
  void SetUp() override {
    testing::RedisRig::SetUp();
    if (IsSkipped()) return;
    server.start();
    a_link = client(server.unix_url());
    b_link = client(server.unix_url());
    connect(*a_link);
    connect(*b_link);
  }
  void TearDown() override {
    if (a_link) a_link->stop();
    if (b_link) b_link->stop();
  }
  // Redis dies; the clients notice.
  void lose_redis() {
    server.kill(SIGKILL);
    run(pause_for(milliseconds(100)));
  }
  static asio::awaitable<void> pause_for(milliseconds d);

  RedisServer server;
  std::unique_ptr<store::RedisClient> a_link, b_link;
};

asio::awaitable<void> RedisSharedStateTest::pause_for(milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}

TEST_F(RedisSharedStateTest, TwoInstancesShareCacheEntriesWithTheirAgeAndExpiry) {
  core::FakeClock clock;  // both instances read the same wall clock
  store::RedisCache a_redis(*a_link, clock), b_redis(*b_link, clock);
  store::TieredCache a(100, clock, &a_redis, "redis"), b(100, clock, &b_redis, "redis");

  run(a.put("profile:ann", "snapshot", seconds(600)));
  clock.advance(seconds(42));
  auto hit = run(b.get("profile:ann"));
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->value, "snapshot");
  EXPECT_EQ(hit->age(clock), seconds(42));  // B judges freshness by A's store time
  const auto left = std::chrono::duration_cast<seconds>(hit->expires_at - clock.wall_now());
  EXPECT_GE(left.count(), 595);  // Redis' own TTL, copied into B's memory level
  EXPECT_LE(left.count(), 600);
  ASSERT_EQ(b.counts().size(), 1u);
  EXPECT_EQ(b.counts()[0].second_hits, 1u);

  run(a.erase("profile:ann"));
  EXPECT_FALSE(run(b_redis.get("profile:ann")).has_value());

  // Redis gone: reads miss and writes are dropped, nothing throws, the memory level still works.
  lose_redis();
  run(b.put("tmdb:details:7", "d", seconds(60)));
  EXPECT_TRUE(run(b.get("tmdb:details:7")).has_value());  // from memory
  EXPECT_FALSE(run(b_redis.get("tmdb:details:7")).has_value());
}

TEST_F(RedisSharedStateTest, TheSixthRequestAcrossTwoInstancesIsRefused) {
  server::RedisRateLimiter a(*a_link), b(*b_link);
  const core::RateLimit five_a_minute{5, seconds(60)};
  for (int i = 0; i < 5; ++i) {
    auto& limiter = i % 2 == 0 ? a : b;
    const auto d = run(limiter.hit("/api/recommend", "10.0.0.1", five_a_minute));
    ASSERT_TRUE(d.has_value());
    EXPECT_TRUE(d->allowed) << "request " << i + 1;
    EXPECT_EQ(d->remaining, 4 - i);
  }
  const auto sixth = run(b.hit("/api/recommend", "10.0.0.1", five_a_minute));
  ASSERT_TRUE(sixth.has_value());
  EXPECT_FALSE(sixth->allowed);
  EXPECT_GE(sixth->retry_after.count(), 59);
  EXPECT_LE(sixth->retry_after.count(), 60);
  // Other clients and other routes have windows of their own.
  EXPECT_TRUE(run(a.hit("/api/recommend", "10.0.0.2", five_a_minute))->allowed);
  EXPECT_TRUE(run(a.hit("/api/result", "10.0.0.1", five_a_minute))->allowed);
  // A short window ends and lets the client in again.
  const core::RateLimit one_a_second{1, seconds(1)};
  EXPECT_TRUE(run(a.hit("/api/get_pages", "10.0.0.1", one_a_second))->allowed);
  EXPECT_FALSE(run(b.hit("/api/get_pages", "10.0.0.1", one_a_second))->allowed);
  run(pause_for(milliseconds(1100)));
  EXPECT_TRUE(run(b.hit("/api/get_pages", "10.0.0.1", one_a_second))->allowed);

  lose_redis();
  EXPECT_FALSE(run(a.hit("/api/recommend", "10.0.0.1", five_a_minute)).has_value())
      << "Redis away: the in-process limiter must decide";
}

TEST_F(RedisSharedStateTest, TwoInstancesShareOnePaceAndEveryHoldOff) {
  // 10 requests/s, no burst: 100 ms between any two requests of either instance.
  app::RedisPacer a(*a_link, io.get_executor(), "lbrec:pace:test", 10.0, 1.0);
  app::RedisPacer b(*b_link, io.get_executor(), "lbrec:pace:test", 10.0, 1.0);
  const auto first = run(a.reserve());
  const auto second = run(b.reserve());
  const auto third = run(a.reserve());
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->count(), 0);
  // Booked slots, on Redis' clock: about 100 ms and 200 ms from now (the calls take a little).
  EXPECT_GE(*second, milliseconds(80));
  EXPECT_LE(*second, milliseconds(100));
  EXPECT_GE(*third, milliseconds(180));
  EXPECT_LE(*third, milliseconds(200));

  b.hold_off(seconds(2));  // B heard a 429
  run(pause_for(milliseconds(50)));
  const auto after_hold = run(a.reserve());
  ASSERT_TRUE(after_hold.has_value());
  EXPECT_GE(*after_hold, milliseconds(1800));
  EXPECT_LE(*after_hold, milliseconds(2100));

  lose_redis();
  EXPECT_FALSE(run(a.reserve()).has_value()) << "Redis away: the local bucket must pace";
}

}  // namespace
}  // namespace lbrec
