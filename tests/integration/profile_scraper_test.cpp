// Whole-profile scraping against the fake world, compared with its ground truth.

#include "sources/letterboxd/profile_scraper.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <set>

#include "fakeworld/fake_world_server.hpp"
#include "support/letterboxd_rig.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::sources::letterboxd {
namespace {

namespace asio = boost::asio;
using fakeworld::Family;
using fakeworld::FaultKind;
using fakeworld::FaultRule;

class ProfileScraperTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 21, .films = 2000, .users = 5}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    server_->faults().clear();
    fetcher_ = lbrec::testing::fake_world_fetcher(client_, gate_, breaker_, clock_,
                                                  server_->base_url(), 2);
    scraper_ = std::make_unique<ProfileScraper>(*fetcher_);
  }

  template <typename T>
  T run(asio::awaitable<T> work) {
    return lbrec::testing::run(io_, std::move(work));
  }

  // Checks a scraped profile against the member's history in the world.
  static void expect_matches_world(const domain::Profile& p, const std::string& name) {
    const fakeworld::World& w = server_->world();
    const fakeworld::User* u = w.user(name);
    ASSERT_NE(u, nullptr);
    ASSERT_EQ(p.films.size(), u->films.size()) << name;
    for (std::size_t i = 0; i < p.films.size(); ++i) {
      const fakeworld::Viewing& v = u->films[i];
      const fakeworld::Film& f = w.films()[static_cast<std::size_t>(v.film)];
      const domain::WatchedFilm& got = p.films[i];
      EXPECT_EQ(got.film.slug, f.slug) << name << " #" << i;
      EXPECT_EQ(got.film.title, f.title) << name << " #" << i;
      EXPECT_EQ(got.film.letterboxd_id, f.lb_id) << name << " #" << i;
      EXPECT_EQ(got.rating.value_or(0), v.rating) << name << " #" << i;
      EXPECT_EQ(got.liked, v.liked) << name << " #" << i;
      if (got.film.tmdb_id) {
        EXPECT_EQ(*got.film.tmdb_id, f.tmdb_id) << name << " #" << i;
      }
    }
    ASSERT_EQ(p.watchlist.size(), u->watchlist.size()) << name;
    for (std::size_t i = 0; i < p.watchlist.size(); ++i) {
      EXPECT_EQ(p.watchlist[i].slug, w.films()[static_cast<std::size_t>(u->watchlist[i])].slug);
    }
  }

  static fakeworld::FakeWorldServer* server_;
  asio::io_context io_;
  net::HttpClient client_{io_.get_executor()};
  net::HostGate gate_{6, nullptr, net::timer_sleep()};
  core::FakeClock clock_;
  net::CircuitBreaker breaker_{5, std::chrono::seconds(180), clock_};
  std::unique_ptr<LetterboxdFetcher> fetcher_;
  std::unique_ptr<ProfileScraper> scraper_;
};

fakeworld::FakeWorldServer* ProfileScraperTest::server_ = nullptr;

TEST_F(ProfileScraperTest, ReadsEveryPageOfEachMarkupGeneration) {
  for (const char* name : {"demo", "legacy_fan", "lazy_poster", "shapeshifter"}) {
    const ScrapeOutcome out = run(scraper_->scrape(name));
    ASSERT_TRUE(out.profile.has_value()) << name << ": " << out.profile.error().message;
    EXPECT_TRUE(out.complete) << name;
    EXPECT_TRUE(out.problems.empty()) << name;
    const fakeworld::User* u = server_->world().user(name);
    EXPECT_EQ(out.pages, std::max<int>(1, (static_cast<int>(u->films.size()) + 71) / 72)) << name;
    expect_matches_world(*out.profile, name);
  }
}

TEST_F(ProfileScraperTest, EachFilmsPageIsHeardBeforeTheProfileIsComplete) {
  std::vector<std::vector<domain::WatchedFilm>> heard;
  const ScrapeOutcome out = run(scraper_->scrape(
      "demo", [&](const std::vector<domain::WatchedFilm>& films) { heard.push_back(films); }));
  ASSERT_TRUE(out.profile.has_value());
  EXPECT_EQ(static_cast<int>(heard.size()), out.pages) << "one call per /films/ page";
  std::multiset<std::string> heard_slugs, profile_slugs;
  for (const auto& page : heard) {
    for (const auto& f : page) {
      heard_slugs.insert(f.film.slug);
      // Ratings and likes come with the page: enough to tell seeds early.
      const auto in_profile =
          std::find_if(out.profile->films.begin(), out.profile->films.end(),
                       [&](const domain::WatchedFilm& w) { return w.film.slug == f.film.slug; });
      ASSERT_NE(in_profile, out.profile->films.end());
      EXPECT_EQ(in_profile->rating, f.rating);
      EXPECT_EQ(in_profile->liked, f.liked);
    }
  }
  for (const auto& f : out.profile->films)
    profile_slugs.insert(f.film.slug);
  EXPECT_EQ(heard_slugs, profile_slugs);
}

TEST_F(ProfileScraperTest, RssAddsTmdbIdsForRecentDiaryEntries) {
  const ScrapeOutcome out = run(scraper_->scrape("demo"));
  ASSERT_TRUE(out.profile.has_value());
  int with_ids = 0;
  for (const auto& f : out.profile->films)
    with_ids += f.film.tmdb_id.has_value();
  EXPECT_GE(with_ids, 30);  // about 50 feed items, most of them diary viewings of distinct films
  EXPECT_LE(with_ids, 50);
}

TEST_F(ProfileScraperTest, EdgeSizedProfiles) {
  for (const char* name : {"newcomer", "one_film", "exactly72", "just73"}) {
    const ScrapeOutcome out = run(scraper_->scrape(name));
    ASSERT_TRUE(out.profile.has_value()) << name << ": " << out.profile.error().message;
    EXPECT_TRUE(out.complete) << name;
    expect_matches_world(*out.profile, name);
  }
  EXPECT_EQ(run(scraper_->page_count("just73")).value_or(0), 2);
  EXPECT_EQ(run(scraper_->page_count("exactly72")).value_or(0), 1);
  EXPECT_EQ(run(scraper_->page_count("newcomer")).value_or(0), 1);
}

TEST_F(ProfileScraperTest, UnknownMemberIsNotFound) {
  const ScrapeOutcome out = run(scraper_->scrape("nobody-here"));
  ASSERT_FALSE(out.profile.has_value());
  EXPECT_EQ(out.profile.error().code, core::ErrorCode::kNotFound);
  EXPECT_FALSE(out.complete);
  EXPECT_EQ(run(scraper_->page_count("nobody-here")).error().code, core::ErrorCode::kNotFound);
}

TEST_F(ProfileScraperTest, BlockedFirstPageFailsTheScrape) {
  server_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kChallenge});
  const ScrapeOutcome out = run(scraper_->scrape("demo"));
  ASSERT_FALSE(out.profile.has_value());
  EXPECT_EQ(out.profile.error().code, core::ErrorCode::kBlocked);
  EXPECT_FALSE(out.complete);
}

TEST_F(ProfileScraperTest, PartialScrapesAreMarkedIncomplete) {
  // Broken pages at random: whenever the first page gets through and a later one does not, the
  // profile must say it is incomplete and which pages failed.
  server_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kMalformed, 0.35});
  int partial = 0;
  for (int attempt = 0; attempt < 12 && partial == 0; ++attempt) {
    const ScrapeOutcome out = run(scraper_->scrape("marathoner"));
    if (!out.profile) continue;
    if (out.problems.empty()) continue;
    ++partial;
    EXPECT_FALSE(out.complete);
    EXPECT_LT(out.profile->films.size(), server_->world().user("marathoner")->films.size());
    EXPECT_NE(out.problems.front().find("/marathoner/"), std::string::npos) << out.problems.front();
  }
  EXPECT_EQ(partial, 1) << "no partial scrape happened in 12 tries";
}

}  // namespace
}  // namespace lbrec::sources::letterboxd
