// Cached profiles: fresh, stale when blocked, one scrape per stampede, never caching partial
// scrapes.

#include "sources/letterboxd/profile_service.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "fakeworld/fake_world_server.hpp"
#include "store/tiered_cache.hpp"
#include "support/letterboxd_rig.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::sources::letterboxd {
namespace {

namespace asio = boost::asio;
using fakeworld::Family;
using fakeworld::FaultKind;
using fakeworld::FaultRule;
using std::chrono::minutes;

class ProfileServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 31, .films = 1500, .users = 5}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    server_->faults().clear();
    fetcher_ = lbrec::testing::fake_world_fetcher(client_, gate_, breaker_, clock_,
                                                  server_->base_url(), 1);
    scraper_ = std::make_unique<ProfileScraper>(*fetcher_);
    service_ =
        std::make_unique<ProfileService>(*scraper_, cache_, breaker_, ProfileSettings{}, clock_);
  }
  core::Result<ProfileResult> get(const std::string& name) {
    return lbrec::testing::run(io_, service_->get(name));
  }
  static std::uint64_t letterboxd_requests() { return server_->stats().family_total("letterboxd"); }
  static void block() {
    server_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kChallenge});
  }

  static fakeworld::FakeWorldServer* server_;
  asio::io_context io_;
  net::HttpClient client_{io_.get_executor()};
  net::HostGate gate_{6, nullptr, net::timer_sleep()};
  core::FakeClock clock_;
  net::CircuitBreaker breaker_{5, std::chrono::seconds(180), clock_};
  store::TieredCache cache_{100, clock_};
  std::unique_ptr<LetterboxdFetcher> fetcher_;
  std::unique_ptr<ProfileScraper> scraper_;
  std::unique_ptr<ProfileService> service_;
};

fakeworld::FakeWorldServer* ProfileServiceTest::server_ = nullptr;

TEST_F(ProfileServiceTest, FreshSnapshotsAreServedWithoutFetching) {
  auto first = get("demo");
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_FALSE(first->from_cache);
  EXPECT_EQ(first->snapshot.profile.films.size(), server_->world().user("demo")->films.size());
  const auto after_first = letterboxd_requests();
  clock_.advance(minutes(29));
  auto second = get("DEMO");  // usernames are case-insensitive
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->from_cache);
  EXPECT_FALSE(second->stale);
  EXPECT_EQ(second->snapshot.profile.films, first->snapshot.profile.films);
  EXPECT_EQ(letterboxd_requests(), after_first);
  clock_.advance(minutes(2));  // past 30 minutes: scraped again
  auto third = get("demo");
  ASSERT_TRUE(third.has_value());
  EXPECT_FALSE(third->from_cache);
  EXPECT_GT(letterboxd_requests(), after_first);
  EXPECT_EQ(service_->scrapes(), 2u);
}

TEST_F(ProfileServiceTest, ConcurrentRequestsCauseOneScrape) {
  const auto before = letterboxd_requests();
  std::vector<core::Result<ProfileResult>> results;
  for (int i = 0; i < 6; ++i) {
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> { results.push_back(co_await service_->get("cinephile")); },
        asio::detached);
  }
  io_.run();
  ASSERT_EQ(results.size(), 6u);
  for (const auto& r : results)
    ASSERT_TRUE(r.has_value());
  EXPECT_EQ(service_->scrapes(), 1u);
  // One scrape: every /films/ and /watchlist/ page once, plus the RSS feed.
  const fakeworld::User* u = server_->world().user("cinephile");
  const auto film_pages = (u->films.size() + 71) / 72;
  const auto watchlist_pages = std::max<std::size_t>(1, (u->watchlist.size() + 27) / 28);
  EXPECT_EQ(letterboxd_requests() - before, film_pages + watchlist_pages + 1);
}

TEST_F(ProfileServiceTest, BlockedServesTheStaleSnapshotMarked) {
  ASSERT_TRUE(get("demo").has_value());
  clock_.advance(minutes(45));  // no longer fresh
  block();
  auto r = get("demo");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(r->stale);
  ASSERT_TRUE(r->incident.has_value());
  EXPECT_GE(r->incident->letterboxd_consecutive_failures, 1u);
  EXPECT_EQ(r->incident->letterboxd_last_status, 403);
  EXPECT_EQ(r->snapshot.profile.films.size(), server_->world().user("demo")->films.size());
  EXPECT_EQ(r->snapshot_age, minutes(45));
}

TEST_F(ProfileServiceTest, BlockedWithoutASnapshotIsBlocked) {
  block();
  auto r = get("demo");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kBlocked);
}

TEST_F(ProfileServiceTest, SnapshotsOlderThanTheStaleWindowAreNotServed) {
  ASSERT_TRUE(get("demo").has_value());
  clock_.advance(std::chrono::hours(24 * 8));
  block();
  auto r = get("demo");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kBlocked);
}

TEST_F(ProfileServiceTest, UnknownMembersAreNotFound) {
  auto r = get("nobody-here");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
}

TEST_F(ProfileServiceTest, PartialScrapesAreServedOnceAndNotCached) {
  // Broken pages at random; whenever the first page gets through and another does not, the
  // result must be marked partial and must not reach the cache.
  int partial_seen = 0;
  server_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kMalformed, 0.3});
  for (int i = 0; i < 12 && partial_seen == 0; ++i) {
    auto r = get("marathoner");
    if (!r || r->complete) continue;
    ++partial_seen;
    EXPECT_FALSE(r->from_cache);
    EXPECT_FALSE(cache_.memory().get("profile:marathoner").has_value())
        << "a partial scrape was cached";
  }
  EXPECT_EQ(partial_seen, 1) << "no partial scrape in 12 tries";
}

}  // namespace
}  // namespace lbrec::sources::letterboxd
