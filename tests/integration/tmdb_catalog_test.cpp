// TMDB client and catalogue against the fake world: both auth styles, a rejected key, 429 storms,
// 5xx, 404s, odd fields, non-Latin titles, remakes, TV entries, whole profiles and the caches.

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <map>
#include <set>

#include "fakeworld/fake_world_server.hpp"
#include "net/gather.hpp"
#include "support/loopback_world.hpp"
#include "support/tmdb_rig.hpp"

namespace lbrec::sources::tmdb {
namespace {

namespace asio = boost::asio;
using fakeworld::Family;
using fakeworld::FaultKind;
using fakeworld::FaultRule;
using lbrec::testing::letterboxd_ref;
using lbrec::testing::run;
using lbrec::testing::TmdbRig;
using Outcome = Identification::Outcome;

class TmdbCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 7, .films = 3000, .users = 20}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    server_->faults().clear();
    rig_ = std::make_unique<TmdbRig>(io_, server_->base_url(), fakeworld::kFakeTmdbApiKey);
  }
  static const fakeworld::World& world() { return server_->world(); }
  static std::uint64_t tmdb_requests() { return server_->stats().family_total("tmdb"); }

  // The first film that satisfies `pred` (a movie TMDB knows).
  template <typename Pred>
  static const fakeworld::Film& find_film(Pred pred) {
    for (const auto& f : world().films()) {
      if (!f.is_tv && pred(f)) return f;
    }
    ADD_FAILURE() << "the fake world has no such film";
    return world().films().front();
  }

  core::Result<domain::MovieDetails> details(int id) { return run(io_, rig_->catalog.details(id)); }
  core::Result<Identification> identify(const domain::FilmRef& ref) {
    return run(io_, rig_->catalog.identify(ref));
  }
  std::vector<core::Result<Identification>> identify_all(const std::vector<domain::FilmRef>& refs) {
    std::vector<asio::awaitable<core::Result<Identification>>> tasks;
    for (const auto& r : refs)
      tasks.push_back(rig_->catalog.identify(r));
    return run(io_, net::gather(std::move(tasks)));
  }

  static fakeworld::FakeWorldServer* server_;
  asio::io_context io_;
  std::unique_ptr<TmdbRig> rig_;
};
fakeworld::FakeWorldServer* TmdbCatalogTest::server_ = nullptr;

TEST_F(TmdbCatalogTest, BothCredentialStylesReadTheSameFilm) {
  const auto& film = find_film([](const auto& f) { return f.vote_count > 100; });
  TmdbRig bearer(io_, server_->base_url(), fakeworld::kFakeTmdbToken);
  const auto by_key = details(film.tmdb_id);
  const auto by_token = run(io_, bearer.catalog.details(film.tmdb_id));
  ASSERT_TRUE(by_key.has_value()) << by_key.error().message;
  ASSERT_TRUE(by_token.has_value()) << by_token.error().message;
  EXPECT_EQ(*by_key, *by_token);
  EXPECT_EQ(by_key->summary.title, film.title);
  EXPECT_EQ(rig_->tmdb.credential().kind(), TmdbCredential::Kind::kApiKey);
  EXPECT_EQ(bearer.tmdb.credential().kind(), TmdbCredential::Kind::kBearer);
}

TEST_F(TmdbCatalogTest, OneDetailsCallCarriesDirectorNeighboursAndProviders) {
  const auto& film = find_film([&](const auto& f) {
    return f.has_director_credit && !world().recommendations(f.index).empty() &&
           !world().offers(f.index, "US").empty();
  });
  const auto before = tmdb_requests();
  const auto d = details(film.tmdb_id);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(tmdb_requests() - before, 1u);
  ASSERT_FALSE(d->directors.empty());
  EXPECT_EQ(d->directors[0].name, world().people()[film.director_ids[0]].name);
  const auto similar = world().similar(film.index);
  ASSERT_FALSE(d->similar.empty());
  EXPECT_EQ(d->similar[0].tmdb_id, world().films()[similar[0]].tmdb_id);
  EXPECT_EQ(d->similar.size(), std::min<std::size_t>(20, similar.size()));
  EXPECT_EQ(d->recommendations[0].tmdb_id,
            world().films()[world().recommendations(film.index)[0]].tmdb_id);
  ASSERT_TRUE(d->providers.contains("US"));
  EXPECT_EQ(d->providers.at("US").size(), world().offers(film.index, "US").size());
  EXPECT_EQ(d->runtime, film.runtime);
}

TEST_F(TmdbCatalogTest, RejectedKeyWarnsOnceFailsClearlyAndStopsCalling) {
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(32);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  const std::string bad_key = "0123456789abcdef0123456789abcdef";
  TmdbRig bad(io_, server_->base_url(), bad_key);
  const auto before = tmdb_requests();
  const auto first = run(io_, bad.catalog.details(550));
  const auto second = run(io_, bad.catalog.identify(letterboxd_ref(world().films()[3])));
  spdlog::set_default_logger(previous);

  ASSERT_FALSE(first.has_value());
  EXPECT_EQ(first.error().code, core::ErrorCode::kUnauthorized);
  EXPECT_NE(first.error().message.find("TMDB_KEY"), std::string::npos);
  EXPECT_EQ(first.error().message.find(bad_key), std::string::npos);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, core::ErrorCode::kUnauthorized);
  EXPECT_EQ(tmdb_requests() - before, 1u);  // known bad: nothing more is sent
  EXPECT_TRUE(bad.tmdb.key_rejected());
  const auto lines = sink->last_formatted();
  ASSERT_EQ(lines.size(), 1u);  // one warning, however many calls fail
  EXPECT_NE(lines[0].find("tmdb_key_rejected"), std::string::npos);
  EXPECT_EQ(lines[0].find(bad_key), std::string::npos);

  TmdbRig bad_token(io_, server_->base_url(), "eyJhbGciOiJIUzI1NiJ9.e30.forged");
  const auto forged = run(io_, bad_token.catalog.details(550));
  ASSERT_FALSE(forged.has_value());
  EXPECT_EQ(forged.error().code, core::ErrorCode::kUnauthorized);
}

TEST_F(TmdbCatalogTest, RateLimitStormWithRetryAfterIsWaitedOut) {
  const auto& film = find_film([](const auto&) { return true; });
  server_->faults().set(Family::kTmdb,
                        FaultRule{FaultKind::kRateLimit, 1.0, 3, 0, /*retry_after_s=*/7});
  const auto d = details(film.tmdb_id);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->summary.tmdb_id, film.tmdb_id);
  ASSERT_EQ(rig_->slept.size(), 3u);
  for (const auto wait : rig_->slept)
    EXPECT_EQ(wait, std::chrono::seconds(7));  // TMDB's Retry-After, not our own backoff
}

TEST_F(TmdbCatalogTest, RateLimitStormWithoutRetryAfterBacksOff) {
  const auto& film = find_film([](const auto&) { return true; });
  server_->faults().set(Family::kTmdb, FaultRule{FaultKind::kRateLimit, 1.0, 3, 0, -1});
  const auto d = details(film.tmdb_id);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(rig_->slept.size(), 3u);
  EXPECT_LT(rig_->slept[0], rig_->slept[1]);  // growing waits
  EXPECT_LT(rig_->slept[1], rig_->slept[2]);
}

TEST_F(TmdbCatalogTest, EndlessRateLimitingIsAClearRetryableError) {
  server_->faults().set(Family::kTmdb, FaultRule{FaultKind::kRateLimit, 1.0, -1, 0, 1});
  const auto before = tmdb_requests();
  const auto d = details(world().films()[0].tmdb_id);
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, core::ErrorCode::kRateLimited);
  EXPECT_TRUE(d.error().retryable);
  EXPECT_EQ(tmdb_requests() - before, 5u);  // bounded by the retry policy
}

TEST_F(TmdbCatalogTest, ServerErrorsAndResetsAreRetried) {
  const auto& film = find_film([](const auto&) { return true; });
  for (const FaultKind kind : {FaultKind::kError500, FaultKind::kError503, FaultKind::kReset}) {
    rig_ = std::make_unique<TmdbRig>(io_, server_->base_url(), fakeworld::kFakeTmdbApiKey);
    server_->faults().set(Family::kTmdb, FaultRule{kind, 1.0, 2});
    const auto d = details(film.tmdb_id);
    ASSERT_TRUE(d.has_value()) << fakeworld::to_string(kind) << ": " << d.error().message;
  }
  server_->faults().set(Family::kTmdb, FaultRule{FaultKind::kError503, 1.0, -1});
  rig_ = std::make_unique<TmdbRig>(io_, server_->base_url(), fakeworld::kFakeTmdbApiKey);
  const auto down = details(film.tmdb_id);
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().code, core::ErrorCode::kUnavailable);
  server_->faults().set(Family::kTmdb, FaultRule{FaultKind::kMalformed, 1.0, -1});
  const auto garbled = details(film.tmdb_id);
  ASSERT_FALSE(garbled.has_value());
  EXPECT_EQ(garbled.error().code, core::ErrorCode::kParseError);
}

TEST_F(TmdbCatalogTest, UnknownFilmsAreCachedNegativelyForLess) {
  const int missing = 999999999;
  const auto before = tmdb_requests();
  const auto first = details(missing);
  ASSERT_FALSE(first.has_value());
  EXPECT_EQ(first.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(details(missing).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(tmdb_requests() - before, 1u);  // the second answer came from the negative cache
  rig_->clock.advance(std::chrono::hours(6) + std::chrono::minutes(1));
  EXPECT_EQ(details(missing).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(tmdb_requests() - before, 2u);  // 6 h later TMDB is asked again
}

TEST_F(TmdbCatalogTest, OddFieldsComeThroughAsUnknownNotAsGarbage) {
  const auto& no_poster = find_film([](const auto& f) { return f.poster_path.empty(); });
  const auto& no_runtime = find_film([](const auto& f) { return f.runtime == 0; });
  const auto& no_date = find_film([](const auto& f) { return f.release_date.empty(); });
  const auto& no_director = find_film([](const auto& f) { return !f.has_director_credit; });
  const auto& unvoted = find_film([](const auto& f) { return f.vote_count == 0; });
  auto d = details(no_poster.tmdb_id);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->summary.poster_path, "");
  EXPECT_EQ(domain::poster_url(d->summary.poster_path), "");
  d = details(no_runtime.tmdb_id);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->runtime, 0);
  d = details(no_date.tmdb_id);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->summary.year(), std::nullopt);
  d = details(no_director.tmdb_id);
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->directors.empty());
  d = details(unvoted.tmdb_id);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->summary.vote_count, 0);
  EXPECT_DOUBLE_EQ(d->summary.vote_average, 0.0);
}

TEST_F(TmdbCatalogTest, RemakesResolveToTheRightYear) {
  std::map<std::string, std::vector<const fakeworld::Film*>> by_title;
  for (const auto& f : world().films()) {
    if (!f.is_tv && f.year != 0) by_title[f.title].push_back(&f);
  }
  int remakes = 0;
  for (const auto& [title, films] : by_title) {
    if (films.size() < 2) continue;
    for (const auto* f : films) {
      const auto id = identify(letterboxd_ref(*f));
      ASSERT_TRUE(id.has_value()) << id.error().message;
      ASSERT_EQ(id->outcome, Outcome::kIdentified) << title << " " << f->letterboxd_year;
      EXPECT_EQ(id->movie->tmdb_id, f->tmdb_id) << title << " " << f->letterboxd_year;
      ++remakes;
    }
  }
  EXPECT_GE(remakes, 4);  // the world has remakes to test
}

TEST_F(TmdbCatalogTest, NonLatinTitlesIdentify) {
  int checked = 0;
  for (const auto& f : world().films()) {
    if (f.is_tv || f.original_title == f.title || f.year == 0) continue;
    if (static_cast<unsigned char>(f.original_title[0]) < 0xE0) continue;  // CJK and similar
    domain::FilmRef by_original = letterboxd_ref(f);
    by_original.title = f.original_title;  // as an export in the original language lists it
    for (const auto& ref : {letterboxd_ref(f), by_original}) {
      const auto id = identify(ref);
      ASSERT_TRUE(id.has_value());
      ASSERT_EQ(id->outcome, Outcome::kIdentified) << ref.title;
      EXPECT_EQ(id->movie->tmdb_id, f.tmdb_id) << ref.title;
    }
    if (++checked == 10) break;
  }
  EXPECT_EQ(checked, 10);
}

TEST_F(TmdbCatalogTest, TvEntriesAreReportedNotSearched) {
  const auto& tv = [&]() -> const fakeworld::Film& {
    for (const auto& f : world().films()) {
      if (f.is_tv) return f;
    }
    throw std::runtime_error("no TV entry");
  }();
  domain::FilmRef from_rss = letterboxd_ref(tv);
  from_rss.tmdb_id = tv.tmdb_id;
  from_rss.is_tv = true;  // RSS says tmdb:tvId
  const auto before = tmdb_requests();
  const auto known = identify(from_rss);
  ASSERT_TRUE(known.has_value());
  EXPECT_EQ(known->outcome, Outcome::kTvEntry);
  EXPECT_EQ(tmdb_requests(), before);
  // From a grid page nothing says it is TV: movie search finds no film, so it is not identified
  // rather than mistaken for a film.
  const auto from_grid = identify(letterboxd_ref(tv));
  ASSERT_TRUE(from_grid.has_value());
  EXPECT_NE(from_grid->outcome, Outcome::kIdentified);
}

TEST_F(TmdbCatalogTest, AKnownTmdbIdCostsOneDetailsCallAndNoSearch) {
  const auto& film = find_film([](const auto& f) { return f.year > 0; });
  domain::FilmRef ref = letterboxd_ref(film);
  ref.tmdb_id = film.tmdb_id;
  const auto searches = server_->stats().route_total("tmdb.search");
  const auto before = tmdb_requests();
  const auto id = identify(ref);
  ASSERT_TRUE(id.has_value());
  ASSERT_EQ(id->outcome, Outcome::kIdentified);
  EXPECT_EQ(id->movie->tmdb_id, film.tmdb_id);
  EXPECT_EQ(server_->stats().route_total("tmdb.search"), searches);
  EXPECT_EQ(tmdb_requests() - before, 1u);
  // and it filled the cache
  ASSERT_TRUE(run(io_, rig_->catalog.cached_details(film.tmdb_id)).has_value());
}

TEST_F(TmdbCatalogTest, WholeProfileIdentifiesAccuratelyInAboutOneCallPerFilm) {
  const auto* member = world().user("demo");
  ASSERT_NE(member, nullptr);
  std::vector<domain::FilmRef> refs;
  std::vector<const fakeworld::Film*> truth;
  for (const auto& v : member->films) {
    const auto& f = world().films()[static_cast<std::size_t>(v.film)];
    refs.push_back(letterboxd_ref(f));
    truth.push_back(&f);
  }
  const auto before = tmdb_requests();
  const auto results = identify_all(refs);
  const auto calls = tmdb_requests() - before;
  const IdentifyReport report = summarize(results);
  int wrong = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i] && results[i]->movie && results[i]->movie->tmdb_id != truth[i]->tmdb_id) {
      ++wrong;
      ADD_FAILURE() << "misidentified " << truth[i]->title << " (" << truth[i]->letterboxd_year
                    << ")";
    }
  }
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(wrong, 0);
  EXPECT_GE(report.identified, static_cast<int>(refs.size() * 97 / 100));
  EXPECT_EQ(report.identified + report.not_on_tmdb + report.tv_entries,
            static_cast<int>(refs.size()));
  EXPECT_LE(calls, refs.size() * 11 / 10);  // one search each, a second one only rarely

  // Warm: the same profile again makes no call at all.
  const auto warm_before = tmdb_requests();
  const auto again = summarize(identify_all(refs));
  EXPECT_EQ(tmdb_requests(), warm_before);
  EXPECT_EQ(again.identified, report.identified);
  EXPECT_EQ(again.calls_saved_by_cache, static_cast<int>(refs.size()) - report.tv_entries);
}

TEST_F(TmdbCatalogTest, ConcurrentLookupsOfOneFilmMakeOneCall) {
  const auto& film = find_film([](const auto& f) { return f.year > 0 && f.vote_count > 10; });
  const std::vector<domain::FilmRef> refs(8, letterboxd_ref(film));
  const auto before = tmdb_requests();
  const auto results = identify_all(refs);
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->movie->tmdb_id, film.tmdb_id);
  }
  EXPECT_EQ(tmdb_requests() - before, 1u);
}

TEST_F(TmdbCatalogTest, IdentityIsCachedForThirtyDays) {
  const auto& film = find_film([](const auto& f) { return f.year > 0; });
  ASSERT_TRUE(identify(letterboxd_ref(film)).has_value());
  const auto before = tmdb_requests();
  rig_->clock.advance(std::chrono::hours(24 * 29));
  ASSERT_TRUE(identify(letterboxd_ref(film))->from_cache);
  EXPECT_EQ(tmdb_requests(), before);
  rig_->clock.advance(std::chrono::hours(48));
  EXPECT_FALSE(identify(letterboxd_ref(film))->from_cache);
  EXPECT_GT(tmdb_requests(), before);
}

TEST_F(TmdbCatalogTest, StandaloneWatchProvidersCoverEveryCountry) {
  const auto& film =
      find_film([&](const auto& f) { return !world().offers(f.index, "GB").empty(); });
  const auto table = run(io_, rig_->tmdb.watch_providers(film.tmdb_id));
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_TRUE(table->contains("GB"));
  EXPECT_GE(table->size(), 2u);
}

}  // namespace
}  // namespace lbrec::sources::tmdb
