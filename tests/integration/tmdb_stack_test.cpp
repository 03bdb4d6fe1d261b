// The TMDB and streaming stack as `lbrec` wires it from its configuration, against the fake world.

#include "app/tmdb_stack.hpp"

#include <gtest/gtest.h>

#include "store/tiered_cache.hpp"
#include "support/loopback_world.hpp"
#include "support/tmdb_rig.hpp"

namespace lbrec::app {
namespace {

class TmdbStackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 61, .films = 800, .users = 3}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { server_->faults().clear(); }

  static core::Config config(std::string key) {
    core::Config c;
    c.tmdb_key = std::move(key);
    c.tmdb_base_url = server_->base_url() + "/";  // a trailing slash is tolerated
    c.justwatch_url = server_->base_url() + "/graphql";
    c.tmdb_rate_limit = 200;
    return c;
  }
  // A film with a release year and a director, so identity and details have something to check.
  static const fakeworld::Film& plain_film() {
    for (const fakeworld::Film& f : server_->world().films()) {
      if (!f.is_tv && f.year != 0 && f.has_director_credit && !f.director_ids.empty()) return f;
    }
    throw std::runtime_error("no plain film in the world");
  }

  boost::asio::io_context io_;
  store::TieredCache cache_{10000, core::RealClock::instance()};
  static fakeworld::FakeWorldServer* server_;
};

fakeworld::FakeWorldServer* TmdbStackTest::server_ = nullptr;

TEST_F(TmdbStackTest, BothKeyStylesFromTheConfigurationIdentifyAndDescribeAFilm) {
  const fakeworld::Film& film = plain_film();
  for (std::string_view key : {fakeworld::kFakeTmdbApiKey, fakeworld::kFakeTmdbToken}) {
    store::TieredCache cache(10000, core::RealClock::instance());
    TmdbStack stack(config(std::string(key)), io_, cache);
    auto id =
        lbrec::testing::run(io_, stack.catalog.identify(lbrec::testing::letterboxd_ref(film)));
    ASSERT_TRUE(id.has_value()) << id.error().message;
    ASSERT_TRUE(id->movie.has_value());
    EXPECT_EQ(id->movie->tmdb_id, film.tmdb_id);
    auto details = lbrec::testing::run(io_, stack.catalog.details(film.tmdb_id));
    ASSERT_TRUE(details.has_value()) << details.error().message;
    EXPECT_FALSE(details->directors.empty());
    EXPECT_EQ(stack.tmdb_bucket->rate(), 200);
  }
}

TEST_F(TmdbStackTest, AWrongKeyIsRejectedClearly) {
  TmdbStack stack(config("not-the-key"), io_, cache_);
  auto id = lbrec::testing::run(
      io_, stack.catalog.identify(lbrec::testing::letterboxd_ref(plain_film())));
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, core::ErrorCode::kUnauthorized);
  EXPECT_EQ(id.error().message.find("not-the-key"), std::string::npos);
}

TEST_F(TmdbStackTest, StreamingAsksJustWatchFirstUnlessDisabled) {
  const fakeworld::Film& film = plain_film();
  const sources::streaming::FilmKey key{film.tmdb_id, film.title, film.year};
  {
    TmdbStack stack(config(std::string(fakeworld::kFakeTmdbApiKey)), io_, cache_);
    auto a = lbrec::testing::run(io_, stack.streaming.availability(key, "us"));
    EXPECT_EQ(a.country, "US");
    EXPECT_FALSE(a.lookup_failed);
    EXPECT_EQ(a.source, domain::StreamingSource::kJustWatch);
    EXPECT_EQ(stack.streaming.justwatch_calls(), 1u);
  }
  core::Config off = config(std::string(fakeworld::kFakeTmdbApiKey));
  off.justwatch_enabled = false;
  store::TieredCache cache(10000, core::RealClock::instance());
  TmdbStack stack(off, io_, cache);
  auto a = lbrec::testing::run(io_, stack.streaming.availability(key, "CL"));
  EXPECT_FALSE(a.lookup_failed);
  EXPECT_EQ(a.source, domain::StreamingSource::kTmdb);
  EXPECT_EQ(stack.streaming.justwatch_calls(), 0u);
  EXPECT_EQ(stack.streaming.tmdb_calls(), 1u);
}

}  // namespace
}  // namespace lbrec::app
