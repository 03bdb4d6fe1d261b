// A whole recommendation job against the fake world, wired as `lbrec` wires it.

#include "pipeline/recommend_job.hpp"

#include <gtest/gtest.h>

#include <set>

#include "app/services.hpp"
#include "engine/title.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::pipeline {
namespace {

using fakeworld::Family;
using fakeworld::FaultKind;
using fakeworld::FaultRule;

// Records every event with the order it came in.
struct Recorder : JobEvents {
  void log(std::string_view m) override { logs.emplace_back(m); }
  void status(const SeedStatus& s) override {
    statuses.push_back(s);
    order.push_back('s');
  }
  void progress(const Progress& p) override { last = p; }
  void recommendation(const domain::Recommendation& r) override {
    recs.push_back(r);
    order.push_back('r');
  }
  std::vector<std::string> logs;
  std::vector<SeedStatus> statuses;
  std::vector<domain::Recommendation> recs;
  std::string order;  // 's' status, 'r' recommendation
  Progress last;
};

class RecommendJobTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 73, .films = 2500, .users = 20}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { server_->faults().clear(); }

  static core::Config config() {
    core::Config c;
    c.tmdb_key = std::string(fakeworld::kFakeTmdbApiKey);
    c.tmdb_base_url = server_->base_url();
    c.justwatch_url = server_->base_url() + "/graphql";
    c.letterboxd_base_url = server_->base_url();
    c.letterboxd_min_interval_s = 0;
    c.letterboxd_retry_sleep_s = 0;
    c.tmdb_rate_limit = 2000;
    c.browser_path = "/nonexistent";
    return c;
  }
  JobResult run(JobRequest request, Recorder& events, std::function<bool()> cancelled = {},
                core::Config c = config()) {
    app::Services services(c, io_);
    return lbrec::testing::run(
        io_, run_recommend_job(std::move(request), services.job_services(), services.settings,
                               events, std::move(cancelled)));
  }
  static const fakeworld::User& member(std::string_view name) {
    return *server_->world().user(name);
  }
  static std::set<int> seen_ids(const fakeworld::User& u) {
    std::set<int> ids;
    for (const auto& v : u.films)
      ids.insert(server_->world().films()[static_cast<std::size_t>(v.film)].tmdb_id);
    return ids;
  }
  static JobRequest ask(std::string user, int count = 0) {
    JobRequest r;
    r.username = std::move(user);
    r.country = "US";
    r.count = count;
    return r;
  }

  boost::asio::io_context io_;
  static fakeworld::FakeWorldServer* server_;
};

fakeworld::FakeWorldServer* RecommendJobTest::server_ = nullptr;

TEST_F(RecommendJobTest, RanksExplainsAndAnnotatesUnseenFilms) {
  Recorder events;
  const JobResult r = run(ask("demo"), events);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.country_name, "United States");
  EXPECT_GT(r.pages, 1);
  EXPECT_EQ(r.films, static_cast<int>(member("demo").films.size()));
  ASSERT_EQ(r.recommendations.size(), 30u);  // the default list length
  const std::set<int> seen = seen_ids(member("demo"));
  std::set<int> ids;
  for (std::size_t i = 0; i < r.recommendations.size(); ++i) {
    const domain::Recommendation& rec = r.recommendations[i];
    EXPECT_FALSE(seen.contains(rec.movie.tmdb_id)) << rec.movie.title << " was already seen";
    EXPECT_TRUE(ids.insert(rec.movie.tmdb_id).second) << "duplicate " << rec.movie.title;
    EXPECT_GE(rec.movie.vote_average, 7.0);
    EXPECT_FALSE(rec.reason.empty());
    EXPECT_FALSE(rec.because.empty());
    EXPECT_TRUE(rec.detailed) << "every film of the final list has its details";
    ASSERT_TRUE(rec.streaming.has_value()) << "and its streaming look-up";
    EXPECT_EQ(rec.streaming->country, "US");
  }
  EXPECT_FALSE(r.preferences.genres.empty());
  EXPECT_FALSE(r.preferences.decades.empty());
  EXPECT_FALSE(r.preferences.directors.empty());
  // Every film of the final list was also sent as an event, and no event came twice.
  std::set<int> emitted;
  for (const auto& e : events.recs)
    EXPECT_TRUE(emitted.insert(e.movie.tmdb_id).second);
  for (int id : ids)
    EXPECT_TRUE(emitted.contains(id));
  EXPECT_FALSE(events.statuses.empty());
  EXPECT_EQ(events.statuses.front().username, "demo");
  EXPECT_TRUE(events.statuses.front().user_rating.has_value());
  EXPECT_EQ(events.last.recommendations, static_cast<int>(events.recs.size()));
}

TEST_F(RecommendJobTest, AWarmSecondRunGivesTheSameListWithoutAnyUpstreamCall) {
  app::Services services(config(), io_);
  const auto job = [&](Recorder& events) {
    return lbrec::testing::run(io_, run_recommend_job(ask("cinephile"), services.job_services(),
                                                      services.settings, events));
  };
  Recorder cold_events, warm_events;
  const JobResult cold = job(cold_events);
  ASSERT_FALSE(cold.error);
  const auto tmdb = server_->stats().family_total("tmdb");
  const auto justwatch = server_->stats().family_total("justwatch");
  const auto letterboxd = server_->stats().family_total("letterboxd");
  const JobResult warm = job(warm_events);
  ASSERT_FALSE(warm.error);
  EXPECT_EQ(server_->stats().family_total("tmdb"), tmdb);
  EXPECT_EQ(server_->stats().family_total("justwatch"), justwatch);
  EXPECT_EQ(server_->stats().family_total("letterboxd"), letterboxd);
  ASSERT_EQ(warm.recommendations.size(), cold.recommendations.size());
  for (std::size_t i = 0; i < cold.recommendations.size(); ++i) {
    EXPECT_EQ(warm.recommendations[i].movie.tmdb_id, cold.recommendations[i].movie.tmdb_id)
        << "rank " << i + 1 << " changed between runs";
  }
  EXPECT_EQ(warm.preferences, cold.preferences);
}

TEST_F(RecommendJobTest, TheResultMemoAnswersTheSameQuestionAgainAndOnlyThatQuestion) {
  app::Services services(config(), io_);
  JobServices with_memo = services.job_services();
  with_memo.memo = &services.memo;
  const auto job = [&](JobRequest request, Recorder& events) {
    return lbrec::testing::run(
        io_, run_recommend_job(std::move(request), with_memo, services.settings, events));
  };
  Recorder first_events, again_events, other_events;
  const JobResult first = job(ask("exactly72", 8), first_events);
  ASSERT_FALSE(first.error);
  EXPECT_EQ(services.memo.size(), 1u);
  const auto tmdb = server_->stats().family_total("tmdb");
  const JobResult again = job(ask("exactly72", 8), again_events);
  ASSERT_FALSE(again.error);
  EXPECT_EQ(server_->stats().family_total("tmdb"), tmdb);
  ASSERT_EQ(again.recommendations.size(), first.recommendations.size());
  for (std::size_t i = 0; i < first.recommendations.size(); ++i)
    EXPECT_EQ(again.recommendations[i].movie.tmdb_id, first.recommendations[i].movie.tmdb_id);
  EXPECT_EQ(again.preferences, first.preferences);
  // The reused run still streams every recommendation and says what it did.
  EXPECT_EQ(again_events.recs.size(), again.recommendations.size());
  bool said = false;
  for (const auto& line : again_events.logs)
    said |= line.find("reusing") != std::string::npos;
  EXPECT_TRUE(said);
  // Another count is another question.
  const JobResult other = job(ask("exactly72", 5), other_events);
  ASSERT_FALSE(other.error);
  EXPECT_EQ(other.recommendations.size(), 5u);
  EXPECT_EQ(services.memo.size(), 2u);
}

TEST_F(RecommendJobTest, FirstRecommendationsArriveWhileSeedsAreStillExplored) {
  Recorder events;
  const JobResult r = run(ask("cinephile"), events);
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_GT(r.seeds, 20);
  const auto first_rec = events.order.find('r');
  ASSERT_NE(first_rec, std::string::npos);
  // Seeds kept being explored after the first recommendation went out.
  EXPECT_NE(events.order.find('s', first_rec), std::string::npos) << events.order;
}

TEST_F(RecommendJobTest, ACountStopsExplorationEarlyAndReturnsThatMany) {
  Recorder events;
  const JobResult r = run(ask("marathoner", 5), events);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.recommendations.size(), 5u);
  EXPECT_LT(r.identified, r.films) << "films left once the top was settled are not looked up";
}

TEST_F(RecommendJobTest, WatchlistFilmsAreDroppedOrFlagged) {
  const fakeworld::User& u = member("cinephile");
  ASSERT_FALSE(u.watchlist.empty());
  std::set<std::string> watchlist_titles;
  for (int fi : u.watchlist)
    watchlist_titles.insert(
        engine::normalize_title(server_->world().films()[static_cast<std::size_t>(fi)].title));
  Recorder plain_events;
  JobRequest plain = ask("cinephile", 60);
  plain.include_streaming = false;
  const JobResult dropped = run(plain, plain_events);
  ASSERT_FALSE(dropped.error);
  for (const auto& rec : dropped.recommendations) {
    EXPECT_FALSE(rec.on_watchlist);
    EXPECT_FALSE(watchlist_titles.contains(engine::normalize_title(rec.movie.title)))
        << rec.movie.title << " is on the watchlist";
    EXPECT_FALSE(rec.streaming.has_value()) << "streaming was not asked for";
  }
  Recorder kept_events;
  JobRequest keep = plain;
  keep.include_watchlist = true;
  keep.min_rating = 5.0;
  const JobResult kept = run(keep, kept_events);
  ASSERT_FALSE(kept.error);
  int flagged = 0;
  for (const auto& rec : kept.recommendations) {
    flagged += rec.on_watchlist;
    EXPECT_EQ(rec.on_watchlist,
              watchlist_titles.contains(engine::normalize_title(rec.movie.title)));
  }
  EXPECT_GT(flagged, 0) << "a 60-film list with a lower bar includes some watchlisted films";
  bool below_seven = false;
  for (const auto& rec : kept.recommendations)
    below_seven |= rec.movie.vote_average < 7.0;
  EXPECT_TRUE(below_seven) << "min_rating 5.0 lets films under 7.0 in";
}

TEST_F(RecommendJobTest, AnExportProfileNeedsNoLetterboxd) {
  server_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kError503});
  JobRequest request = ask("");
  domain::Profile profile;
  for (const auto& v : member("demo").films) {
    const fakeworld::Film& f = server_->world().films()[static_cast<std::size_t>(v.film)];
    domain::WatchedFilm w;
    w.film.title = f.title;
    if (f.letterboxd_year) w.film.year = f.letterboxd_year;
    if (v.rating) w.rating = v.rating;
    w.liked = v.liked;
    profile.films.push_back(w);
  }
  request.profile = profile;
  request.count = 10;
  Recorder events;
  const JobResult r = run(request, events);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.recommendations.size(), 10u);
  EXPECT_EQ(r.pages, 1);
}

TEST_F(RecommendJobTest, UnknownMembersAndEmptyProfilesAreNotFound) {
  Recorder events;
  const JobResult missing = run(ask("nobody-at-all"), events);
  ASSERT_TRUE(missing.error);
  EXPECT_EQ(missing.error->code, core::ErrorCode::kNotFound);
  const JobResult empty = run(ask("newcomer"), events);
  ASSERT_TRUE(empty.error);
  EXPECT_EQ(empty.error->code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(empty.recommendations.empty());
}

TEST_F(RecommendJobTest, ARejectedKeyEndsTheJobWithAClearError) {
  core::Config c = config();
  c.tmdb_key = "not-the-right-key";
  Recorder events;
  const JobResult r = run(ask("demo"), events, {}, c);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, core::ErrorCode::kUnauthorized);
  for (const std::string& line : events.logs)
    EXPECT_EQ(line.find("not-the-right-key"), std::string::npos);
}

TEST_F(RecommendJobTest, TmdbDownIsAnErrorNotAnEmptyList) {
  server_->faults().set(Family::kTmdb, FaultRule{FaultKind::kError503});
  Recorder events;
  const JobResult r = run(ask("legacy_fan"), events);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, core::ErrorCode::kUnavailable);
}

TEST_F(RecommendJobTest, CancellingStopsTheJobAndMarksIt) {
  Recorder events;
  int asked = 0;
  const JobResult r = run(ask("marathoner"), events, [&] { return ++asked > 200; });
  EXPECT_TRUE(r.cancelled);
  EXPECT_LT(r.identified, r.films);
}

TEST_F(RecommendJobTest, BlockedWithAStaleSnapshotIsMarkedStale) {
  core::Config c = config();
  c.profile_fresh_ttl_s = 0;  // every request refetches; the stale copy stays for 7 days
  app::Services services(c, io_);
  Recorder first_events, second_events;
  JobRequest request = ask("legacy_fan", 5);
  const JobResult live = lbrec::testing::run(
      io_, run_recommend_job(request, services.job_services(), services.settings, first_events));
  ASSERT_FALSE(live.error);
  EXPECT_FALSE(live.stale);
  server_->faults().set(Family::kLetterboxd, FaultRule{FaultKind::kChallenge});
  const JobResult stale = lbrec::testing::run(
      io_, run_recommend_job(request, services.job_services(), services.settings, second_events));
  ASSERT_FALSE(stale.error) << stale.error->message;
  EXPECT_TRUE(stale.stale);
  ASSERT_TRUE(stale.incident.has_value());
  EXPECT_EQ(stale.recommendations.size(), 5u);
}

}  // namespace
}  // namespace lbrec::pipeline
