// Streaming availability against the fake world on loopback: JustWatch first, TMDB's
// watch/providers when JustWatch fails, is disabled or does not list the film; cached answers;
// JustWatch's own circuit breaker.

#include "sources/streaming/streaming_service.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "fakeworld/fake_world_server.hpp"
#include "sources/streaming/provider_names.hpp"
#include "sources/streaming/tmdb_providers_json.hpp"
#include "store/tiered_cache.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::sources::streaming {
namespace {

namespace asio = boost::asio;
using fakeworld::Family;
using fakeworld::FaultKind;
using fakeworld::FaultRule;
using std::chrono::hours;
using std::chrono::seconds;

// TMDB's watch/providers of the fake world, as the TMDB client will provide it.
asio::awaitable<core::Result<domain::ProviderTable>> fetch_tmdb_providers(net::HttpClient* client,
                                                                          std::string base_url,
                                                                          int tmdb_id) {
  net::HttpRequest request;
  request.url = fmt::format("{}/3/movie/{}/watch/providers?api_key={}", base_url, tmdb_id,
                            fakeworld::kFakeTmdbApiKey);
  core::Result<net::HttpResponse> response = co_await client->fetch(std::move(request));
  if (!response) co_return tl::unexpected(response.error());
  if (response->status == 404) co_return core::fail(core::ErrorCode::kNotFound, "tmdb: 404");
  if (response->status != 200) {
    co_return core::fail(core::ErrorCode::kUnavailable,
                         fmt::format("tmdb: HTTP {}", response->status));
  }
  co_return parse_watch_providers_body(response->body);
}

// The fake world's offers as lbrec shows them: names normalised, streams first, within a type in
// the source's order (JustWatch: the world's order; TMDB: by display priority).
std::vector<domain::StreamingOffer> expected_offers(const fakeworld::World& world, int film,
                                                    std::string_view country, bool by_priority) {
  std::vector<fakeworld::Offer> offers = world.offers(film, country);
  if (by_priority) {
    std::stable_sort(offers.begin(), offers.end(),
                     [](const fakeworld::Offer& a, const fakeworld::Offer& b) {
                       return a.provider->display_priority < b.provider->display_priority;
                     });
  }
  std::vector<domain::StreamingOffer> out;
  for (const fakeworld::Offer& o : offers) {
    out.push_back(domain::StreamingOffer{normalize_provider_name(o.provider->name), o.provider->id,
                                         *domain::parse_monetization(o.type)});
  }
  domain::order_offers(out);
  return out;
}

FilmKey key_of(const fakeworld::Film& f) {
  return FilmKey{f.tmdb_id, f.title, f.year ? std::optional<int>(f.year) : std::nullopt};
}

class StreamingServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = lbrec::testing::start_world({.seed = 47, .films = 1500, .users = 5}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    server_->faults().clear();
    make_service(server_->base_url() + "/graphql", StreamingSettings{});
  }
  void make_service(const std::string& justwatch_url, StreamingSettings settings,
                    bool with_tmdb = true) {
    settings.breaker_threshold = 3;
    settings.breaker_cooldown = seconds(300);
    net::RetryPolicy policy;
    policy.max_attempts = 2;
    justwatch_ = std::make_unique<JustWatchClient>(
        lbrec::testing::fake_retry_context(client_, gate_, policy, clock_),
        JustWatchSettings{justwatch_url, std::chrono::milliseconds(5000)});
    TmdbProvidersFn tmdb;
    if (with_tmdb) {
      tmdb = [client = &client_, base = server_->base_url()](int id) {
        return fetch_tmdb_providers(client, base, id);
      };
    }
    service_ = std::make_unique<StreamingService>(justwatch_.get(), std::move(tmdb), cache_,
                                                  settings, clock_);
  }
  domain::Availability ask(const FilmKey& film, const std::string& country,
                           std::optional<domain::ProviderTable> known = std::nullopt) {
    return lbrec::testing::run(io_, service_->availability(film, country, std::move(known)));
  }
  static const fakeworld::World& world() { return server_->world(); }
  static std::uint64_t justwatch_requests() { return server_->stats().family_total("justwatch"); }
  static std::uint64_t tmdb_requests() { return server_->stats().family_total("tmdb"); }

  // Movies JustWatch's search finds by their title (among its first five hits) that have offers
  // in `country` (or none, when `with_offers` is false).
  static std::vector<int> findable_films(std::string_view country, bool with_offers,
                                         std::size_t count) {
    std::vector<int> out;
    for (const fakeworld::Film& f : world().films()) {
      if (f.is_tv || f.year == 0) continue;
      if (world().offers(f.index, country).empty() == with_offers) continue;
      auto hits = world().search(f.title, 0, 0);
      if (hits.size() > 5) hits.resize(5);
      if (std::find(hits.begin(), hits.end(), f.index) == hits.end()) continue;
      out.push_back(f.index);
      if (out.size() == count) break;
    }
    EXPECT_EQ(out.size(), count) << "the fake world has too few such films";
    return out;
  }
  static const fakeworld::Film& film(int index) {
    return world().films()[static_cast<std::size_t>(index)];
  }

  static fakeworld::FakeWorldServer* server_;
  asio::io_context io_;
  net::HttpClient client_{io_.get_executor()};
  net::HostGate gate_{6, nullptr, net::timer_sleep()};
  core::FakeClock clock_;
  store::TieredCache cache_{1000, clock_};
  std::unique_ptr<JustWatchClient> justwatch_;
  std::unique_ptr<StreamingService> service_;
};

fakeworld::FakeWorldServer* StreamingServiceTest::server_ = nullptr;

TEST_F(StreamingServiceTest, JustWatchAnswersInTheUnitedStatesAndChile) {
  for (const char* country : {"US", "CL"}) {
    const auto films = findable_films(country, true, 3);
    for (const int index : films) {
      const auto jw_before = justwatch_requests();
      const auto tmdb_before = tmdb_requests();
      const domain::Availability a = ask(key_of(film(index)), country);
      EXPECT_EQ(a.country, country);
      EXPECT_EQ(a.source, domain::StreamingSource::kJustWatch) << film(index).title;
      EXPECT_FALSE(a.lookup_failed);
      ASSERT_FALSE(a.offers.empty());
      EXPECT_EQ(a.offers, expected_offers(world(), index, country, false)) << film(index).title;
      EXPECT_EQ(justwatch_requests(), jw_before + 1);
      EXPECT_EQ(tmdb_requests(), tmdb_before);
    }
  }
  EXPECT_EQ(service_->justwatch_calls(), 6u);
  EXPECT_EQ(justwatch_->calls(), 6u);
  EXPECT_EQ(service_->tmdb_fallbacks(), 0u);
  EXPECT_EQ(service_->tmdb_calls(), 0u);
}

TEST_F(StreamingServiceTest, CountryCodesAreReadInAnyCase) {
  const int index = findable_films("CL", true, 1).at(0);
  const domain::Availability a = ask(key_of(film(index)), "cl");
  EXPECT_EQ(a.country, "CL");
  EXPECT_EQ(a.offers, expected_offers(world(), index, "CL", false));
}

TEST_F(StreamingServiceTest, AFilmJustWatchListsWithoutOffersStreamsNowhere) {
  const int index = findable_films("US", false, 1).at(0);
  const domain::Availability a = ask(key_of(film(index)), "US");
  EXPECT_EQ(a.source, domain::StreamingSource::kJustWatch);
  EXPECT_FALSE(a.lookup_failed);
  EXPECT_TRUE(a.offers.empty());
  EXPECT_EQ(service_->tmdb_calls(), 0u);
}

TEST_F(StreamingServiceTest, SecondAskIsACacheHitUntilSixHoursPass) {
  const int index = findable_films("US", true, 1).at(0);
  const domain::Availability first = ask(key_of(film(index)), "US");
  ASSERT_EQ(first.source, domain::StreamingSource::kJustWatch);
  const auto jw_before = justwatch_requests();
  clock_.advance(hours(6) - seconds(1));
  const domain::Availability second = ask(key_of(film(index)), "us");
  EXPECT_EQ(second.offers, first.offers);
  EXPECT_EQ(second.source, domain::StreamingSource::kJustWatch);
  EXPECT_EQ(second.country, "US");
  EXPECT_EQ(service_->cache_hits(), 1u);
  EXPECT_EQ(justwatch_requests(), jw_before);
  EXPECT_EQ(service_->justwatch_calls(), 1u);
  clock_.advance(seconds(2));
  const domain::Availability third = ask(key_of(film(index)), "US");
  EXPECT_EQ(third.offers, first.offers);
  EXPECT_EQ(service_->cache_hits(), 1u);
  EXPECT_EQ(justwatch_requests(), jw_before + 1);
  // Another country is another entry.
  ask(key_of(film(index)), "CL");
  EXPECT_EQ(service_->justwatch_calls(), 3u);
}

TEST_F(StreamingServiceTest, FailedLookupsAreCachedForTwoHours) {
  make_service(server_->base_url() + "/graphql", StreamingSettings{}, /*with_tmdb=*/false);
  server_->faults().set(Family::kJustWatch, FaultRule{FaultKind::kError503});
  const int index = findable_films("US", true, 1).at(0);
  const domain::Availability first = ask(key_of(film(index)), "US");
  EXPECT_TRUE(first.lookup_failed);
  EXPECT_EQ(first.source, domain::StreamingSource::kNone);
  EXPECT_TRUE(first.offers.empty());
  EXPECT_EQ(service_->justwatch_calls(), 1u);
  clock_.advance(hours(2) - seconds(1));
  EXPECT_TRUE(ask(key_of(film(index)), "US").lookup_failed);
  EXPECT_EQ(service_->cache_hits(), 1u);
  EXPECT_EQ(service_->justwatch_calls(), 1u);
  // After two hours JustWatch is asked again, and now it answers.
  server_->faults().clear();
  clock_.advance(seconds(2));
  const domain::Availability later = ask(key_of(film(index)), "US");
  EXPECT_FALSE(later.lookup_failed);
  EXPECT_EQ(later.source, domain::StreamingSource::kJustWatch);
  EXPECT_EQ(later.offers, expected_offers(world(), index, "US", false));
  EXPECT_EQ(service_->justwatch_calls(), 2u);
}

// JustWatch failing in each way: TMDB answers, and after three failures JustWatch's breaker opens
// and it is not asked any more.
class StreamingFallbackTest : public StreamingServiceTest,
                              public ::testing::WithParamInterface<FaultKind> {};

TEST_P(StreamingFallbackTest, TmdbAnswersAndTheBreakerStopsJustWatchCalls) {
  server_->faults().set(Family::kJustWatch, FaultRule{GetParam()});
  const auto films = findable_films("US", true, 5);
  const auto jw_before = justwatch_requests();
  std::uint64_t jw_when_opened = 0;
  for (std::size_t i = 0; i < films.size(); ++i) {
    const domain::Availability a = ask(key_of(film(films[i])), "US");
    EXPECT_EQ(a.source, domain::StreamingSource::kTmdb);
    EXPECT_FALSE(a.lookup_failed);
    EXPECT_EQ(a.offers, expected_offers(world(), films[i], "US", true)) << film(films[i]).title;
    EXPECT_EQ(service_->justwatch_calls(), std::min<std::uint64_t>(i + 1, 3));
    if (i == 2) jw_when_opened = justwatch_requests();
  }
  EXPECT_TRUE(service_->justwatch_breaker().snapshot().letterboxd_circuit_open);
  EXPECT_EQ(justwatch_->calls(), 3u);
  // While the circuit is open JustWatch sees nothing.
  EXPECT_EQ(justwatch_requests(), jw_when_opened);
  // 429s and 5xx are retried once (max_attempts 2); malformed bodies are not. (libcurl itself
  // may resend a request whose reused connection was reset.)
  const std::uint64_t per_call = GetParam() == FaultKind::kMalformed ? 1 : 2;
  if (GetParam() == FaultKind::kReset) {
    EXPECT_GE(justwatch_requests() - jw_before, 3 * per_call);
  } else {
    EXPECT_EQ(justwatch_requests() - jw_before, 3 * per_call);
  }
  EXPECT_EQ(service_->tmdb_calls(), 5u);
  EXPECT_EQ(service_->tmdb_fallbacks(), 5u);
}

INSTANTIATE_TEST_SUITE_P(Faults, StreamingFallbackTest,
                         ::testing::Values(FaultKind::kError503, FaultKind::kError500,
                                           FaultKind::kReset, FaultKind::kMalformed,
                                           FaultKind::kRateLimit),
                         [](const ::testing::TestParamInfo<FaultKind>& param) {
                           std::string name(fakeworld::to_string(param.param));
                           std::erase_if(name, [](char c) { return !std::isalnum(c); });
                           return name;
                         });

TEST_F(StreamingServiceTest, AClosedPortOpensTheBreakerAndAFailedProbeKeepsItOpen) {
  std::uint16_t closed = 0;
  {
    asio::ip::tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
    closed = acceptor.local_endpoint().port();
  }
  make_service(fmt::format("http://127.0.0.1:{}/graphql", closed), StreamingSettings{});
  const auto films = findable_films("US", true, 5);
  for (const int index : films) {
    const domain::Availability a = ask(key_of(film(index)), "US");
    EXPECT_EQ(a.source, domain::StreamingSource::kTmdb);
    EXPECT_EQ(a.offers, expected_offers(world(), index, "US", true));
  }
  EXPECT_EQ(justwatch_->calls(), 3u);
  EXPECT_TRUE(service_->justwatch_breaker().snapshot().letterboxd_circuit_open);

  // Once the cooldown has passed one probe goes out; it fails again, so the circuit stays open.
  clock_.advance(seconds(301));
  cache_.memory().erase(fmt::format("streaming:{}:US", film(films[0]).tmdb_id));
  EXPECT_EQ(ask(key_of(film(films[0])), "US").source, domain::StreamingSource::kTmdb);
  EXPECT_EQ(justwatch_->calls(), 4u);
  EXPECT_TRUE(service_->justwatch_breaker().snapshot().letterboxd_circuit_open);
}

TEST_F(StreamingServiceTest, JustWatchIsAskedAgainAfterTheCooldown) {
  server_->faults().set(Family::kJustWatch, FaultRule{FaultKind::kError503});
  const auto films = findable_films("CL", true, 4);
  for (int i = 0; i < 3; ++i)
    ask(key_of(film(films[static_cast<std::size_t>(i)])), "CL");
  ASSERT_TRUE(service_->justwatch_breaker().snapshot().letterboxd_circuit_open);
  server_->faults().clear();
  const auto jw_before = justwatch_requests();
  // Still open: TMDB is primary.
  EXPECT_EQ(ask(key_of(film(films[3])), "CL").source, domain::StreamingSource::kTmdb);
  EXPECT_EQ(justwatch_requests(), jw_before);
  clock_.advance(seconds(301));
  cache_.memory().erase(fmt::format("streaming:{}:CL", film(films[3]).tmdb_id));
  const domain::Availability a = ask(key_of(film(films[3])), "CL");
  EXPECT_EQ(a.source, domain::StreamingSource::kJustWatch);
  EXPECT_EQ(a.offers, expected_offers(world(), films[3], "CL", false));
  EXPECT_FALSE(service_->justwatch_breaker().snapshot().letterboxd_circuit_open);
}

TEST_F(StreamingServiceTest, DisabledJustWatchIsNeverAsked) {
  StreamingSettings settings;
  settings.justwatch_enabled = false;
  make_service(server_->base_url() + "/graphql", settings);
  const auto jw_before = justwatch_requests();
  for (const int index : findable_films("CL", true, 3)) {
    const domain::Availability a = ask(key_of(film(index)), "CL");
    EXPECT_EQ(a.source, domain::StreamingSource::kTmdb);
    EXPECT_EQ(a.offers, expected_offers(world(), index, "CL", true));
  }
  EXPECT_EQ(justwatch_requests(), jw_before);
  EXPECT_EQ(justwatch_->calls(), 0u);
  EXPECT_EQ(service_->justwatch_calls(), 0u);
  EXPECT_EQ(service_->tmdb_calls(), 3u);
}

TEST_F(StreamingServiceTest, AKnownTmdbTableCostsNoTmdbCall) {
  server_->faults().set(Family::kJustWatch, FaultRule{FaultKind::kError503});
  const int index = findable_films("US", true, 1).at(0);
  const domain::ProviderTable known = {{"US", {{"Netflix", 8, domain::Monetization::kFlatrate}}},
                                       {"CL", {{"Max", 1899, domain::Monetization::kFlatrate}}}};
  const auto tmdb_before = tmdb_requests();
  const domain::Availability a = ask(key_of(film(index)), "US", known);
  EXPECT_EQ(a.source, domain::StreamingSource::kTmdb);
  EXPECT_EQ(a.offers, known.at("US"));
  // A country the table does not list streams nowhere, as far as TMDB knows.
  const domain::Availability gb = ask(key_of(film(index)), "GB", known);
  EXPECT_EQ(gb.source, domain::StreamingSource::kTmdb);
  EXPECT_FALSE(gb.lookup_failed);
  EXPECT_TRUE(gb.offers.empty());
  EXPECT_EQ(service_->tmdb_calls(), 0u);
  EXPECT_EQ(service_->tmdb_fallbacks(), 2u);
  EXPECT_EQ(tmdb_requests(), tmdb_before);
}

TEST_F(StreamingServiceTest, UnknownCountryAsksNobody) {
  const int index = findable_films("US", true, 1).at(0);
  const auto jw_before = justwatch_requests();
  const auto tmdb_before = tmdb_requests();
  for (const char* country : {"XX", "", "USA", "u"}) {
    const domain::Availability a = ask(key_of(film(index)), country);
    EXPECT_TRUE(a.lookup_failed) << country;
    EXPECT_EQ(a.source, domain::StreamingSource::kNone);
    EXPECT_TRUE(a.offers.empty());
  }
  EXPECT_EQ(justwatch_requests(), jw_before);
  EXPECT_EQ(tmdb_requests(), tmdb_before);
  EXPECT_EQ(service_->justwatch_calls(), 0u);
  EXPECT_EQ(cache_.memory().size(), 0u);
}

TEST_F(StreamingServiceTest, TvEntriesAndUnknownIdsStreamNowhere) {
  const auto tv = std::find_if(world().films().begin(), world().films().end(),
                               [](const fakeworld::Film& f) { return f.is_tv; });
  ASSERT_NE(tv, world().films().end());
  const auto tmdb_before = tmdb_requests();
  // JustWatch's search has no such movie; TMDB's movie endpoint answers 404.
  const domain::Availability a = ask(key_of(*tv), "US");
  EXPECT_EQ(a.source, domain::StreamingSource::kTmdb);
  EXPECT_FALSE(a.lookup_failed);
  EXPECT_TRUE(a.offers.empty());
  const domain::Availability b = ask(FilmKey{999999999, "Zzyzx Qwrtp", 1990}, "US");
  EXPECT_EQ(b.source, domain::StreamingSource::kTmdb);
  EXPECT_FALSE(b.lookup_failed);
  EXPECT_TRUE(b.offers.empty());
  EXPECT_EQ(service_->justwatch_calls(), 2u);
  EXPECT_EQ(service_->tmdb_calls(), 2u);
  EXPECT_EQ(tmdb_requests(), tmdb_before + 2);
}

TEST_F(StreamingServiceTest, WithoutATmdbIdTheTitleAndYearFindTheFilm) {
  const int index = findable_films("US", true, 1).at(0);
  FilmKey key = key_of(film(index));
  key.tmdb_id = 0;
  ASSERT_TRUE(key.year.has_value());
  key.year = *key.year + 1;  // Letterboxd's year may be a festival premiere's
  const domain::Availability a = ask(key, "US");
  EXPECT_EQ(a.source, domain::StreamingSource::kJustWatch);
  EXPECT_EQ(a.offers, expected_offers(world(), index, "US", false));
}

TEST_F(StreamingServiceTest, ConcurrentIdenticalLookupsShareOneCall) {
  const int index = findable_films("US", true, 1).at(0);
  const auto jw_before = justwatch_requests();
  std::vector<domain::Availability> results;
  for (int i = 0; i < 6; ++i) {
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          results.push_back(co_await service_->availability(key_of(film(index)), "US"));
        },
        asio::detached);
  }
  io_.run();
  ASSERT_EQ(results.size(), 6u);
  for (const auto& r : results)
    EXPECT_EQ(r.offers, expected_offers(world(), index, "US", false));
  EXPECT_EQ(service_->justwatch_calls(), 1u);
  EXPECT_EQ(justwatch_requests(), jw_before + 1);
}

TEST_F(StreamingServiceTest, ClientClassifiesJustWatchFailures) {
  const auto search = [&](std::string country) {
    return lbrec::testing::run(io_, justwatch_->search("Anything", std::move(country)));
  };
  const std::vector<std::pair<FaultKind, core::ErrorCode>> cases = {
      {FaultKind::kRateLimit, core::ErrorCode::kRateLimited},
      {FaultKind::kError503, core::ErrorCode::kUnavailable},
      {FaultKind::kError500, core::ErrorCode::kUnavailable},
      {FaultKind::kReset, core::ErrorCode::kUnavailable},
      {FaultKind::kMalformed, core::ErrorCode::kParseError}};
  for (const auto& [fault, code] : cases) {
    server_->faults().set(Family::kJustWatch, FaultRule{fault});
    const auto r = search("US");
    ASSERT_FALSE(r.has_value()) << fakeworld::to_string(fault);
    EXPECT_EQ(r.error().code, code) << fakeworld::to_string(fault) << ": " << r.error().message;
  }
  server_->faults().clear();
  // The fake answers an invalid country the way JustWatch does: a GraphQL "errors" list.
  const auto invalid = search("U1");
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().code, core::ErrorCode::kUpstreamError);
  const auto fine = search("US");
  ASSERT_TRUE(fine.has_value()) << fine.error().message;
  EXPECT_LE(fine->size(), 5u);
  EXPECT_EQ(justwatch_->calls(), cases.size() + 2);
}

}  // namespace
}  // namespace lbrec::sources::streaming
