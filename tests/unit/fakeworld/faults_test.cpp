// FaultInjector: command-line and JSON rules, seeded rates, counted faults, latency.

#include "fakeworld/faults.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "fakeworld/world.hpp"

namespace lbrec::fakeworld {
namespace {

constexpr std::array<FaultKind, 9> kAllKinds = {
    FaultKind::kNone,      FaultKind::kChallenge, FaultKind::kRateLimit,
    FaultKind::kError500,  FaultKind::kError503,  FaultKind::kTruncate,
    FaultKind::kMalformed, FaultKind::kReset,     FaultKind::kJsChallenge};

TEST(FaultInjector, NamesRoundTrip) {
  for (FaultKind k : kAllKinds) {
    const auto parsed = parse_fault_kind(to_string(k));
    ASSERT_TRUE(parsed.has_value()) << to_string(k);
    EXPECT_EQ(*parsed, k);
  }
  EXPECT_EQ(to_string(FaultKind::kRateLimit), "ratelimit");
  EXPECT_EQ(to_string(FaultKind::kJsChallenge), "js_challenge");
  EXPECT_FALSE(parse_fault_kind("RateLimit").has_value());
  EXPECT_FALSE(parse_fault_kind("").has_value());
  for (Family f : kFamilies) {
    const auto parsed = parse_family(to_string(f));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, f);
  }
  EXPECT_EQ(to_string(Family::kJustWatch), "justwatch");
  EXPECT_FALSE(parse_family("all").has_value());
  EXPECT_FALSE(parse_family("TMDB").has_value());
  for (Markup m : {Markup::kLegacy, Markup::kLazyPoster, Markup::kCurrent}) {
    EXPECT_EQ(parse_markup(to_string(m)), m);
  }
  EXPECT_FALSE(parse_markup("modern").has_value());
}

TEST(FaultInjector, StartsClearAndCanBeCleared) {
  FaultInjector faults(1);
  for (Family f : kFamilies) {
    const auto d = faults.decide(f);
    EXPECT_EQ(d.kind, FaultKind::kNone);
    EXPECT_EQ(d.latency_ms, 0);
  }
  ASSERT_TRUE(faults.apply_flag("tmdb:error500"));
  EXPECT_EQ(faults.decide(Family::kTmdb).kind, FaultKind::kError500);
  faults.clear();
  EXPECT_EQ(faults.decide(Family::kTmdb).kind, FaultKind::kNone);
}

TEST(FaultInjector, ApplyFlagAcceptsTheDocumentedForms) {
  FaultInjector faults(1);
  ASSERT_TRUE(faults.apply_flag("letterboxd:challenge"));
  EXPECT_EQ(faults.rule(Family::kLetterboxd).kind, FaultKind::kChallenge);
  EXPECT_EQ(faults.rule(Family::kLetterboxd).rate, 1.0);

  ASSERT_TRUE(faults.apply_flag("tmdb:ratelimit:0.25"));
  EXPECT_EQ(faults.rule(Family::kTmdb).kind, FaultKind::kRateLimit);
  EXPECT_DOUBLE_EQ(faults.rule(Family::kTmdb).rate, 0.25);

  ASSERT_TRUE(faults.apply_flag("justwatch:latency=250"));
  EXPECT_EQ(faults.rule(Family::kJustWatch).latency_ms, 250);
  EXPECT_EQ(faults.rule(Family::kJustWatch).kind, FaultKind::kNone);
  // Latency and a fault on the same family combine.
  ASSERT_TRUE(faults.apply_flag("justwatch:reset"));
  EXPECT_EQ(faults.rule(Family::kJustWatch).latency_ms, 250);
  EXPECT_EQ(faults.rule(Family::kJustWatch).kind, FaultKind::kReset);
  // Other families are untouched.
  EXPECT_EQ(faults.rule(Family::kLetterboxd).kind, FaultKind::kChallenge);

  const auto described = faults.describe();
  EXPECT_EQ(described.at("tmdb").at("fault").as_string(), "ratelimit");
  EXPECT_EQ(described.at("justwatch").at("latency_ms").as_int64(), 250);
}

TEST(FaultInjector, ApplyFlagRejectsBadForms) {
  FaultInjector faults(1);
  for (const char* bad :
       {"", "tmdb", "tmdb:", "nope:reset", "all:reset", "TMDB:reset", "tmdb:bogus",
        "tmdb:reset:1.5", "tmdb:reset:-0.1", "tmdb:reset:half", "tmdb:reset:0.5:9",
        "tmdb:latency=", "tmdb:latency=-5", "tmdb:latency=abc", "tmdb:latency=60001"}) {
    const auto r = faults.apply_flag(bad);
    EXPECT_FALSE(r.has_value()) << "accepted '" << bad << "'";
    if (!r) {
      EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput) << bad;
    }
  }
  for (Family f : kFamilies) {
    EXPECT_EQ(faults.rule(f).kind, FaultKind::kNone);
    EXPECT_EQ(faults.rule(f).latency_ms, 0);
  }
}

TEST(FaultInjector, ApplyJsonSetsOneOrAllFamilies) {
  FaultInjector faults(1);
  ASSERT_TRUE(faults.apply_json(boost::json::object{{"family", "tmdb"},
                                                    {"fault", "ratelimit"},
                                                    {"rate", 0.5},
                                                    {"count", 3},
                                                    {"latency_ms", 40},
                                                    {"retry_after", -1}}));
  const FaultRule r = faults.rule(Family::kTmdb);
  EXPECT_EQ(r.kind, FaultKind::kRateLimit);
  EXPECT_DOUBLE_EQ(r.rate, 0.5);
  EXPECT_EQ(r.remaining, 3);
  EXPECT_EQ(r.latency_ms, 40);
  EXPECT_EQ(r.retry_after_s, -1);
  EXPECT_EQ(faults.rule(Family::kLetterboxd).kind, FaultKind::kNone);

  ASSERT_TRUE(faults.apply_json(boost::json::object{{"family", "all"}, {"fault", "error503"}}));
  for (Family f : kFamilies) {
    const FaultRule all = faults.rule(f);
    EXPECT_EQ(all.kind, FaultKind::kError503);
    EXPECT_EQ(all.rate, 1.0);
    EXPECT_EQ(all.remaining, -1);
    EXPECT_EQ(all.latency_ms, 0);
    EXPECT_EQ(all.retry_after_s, 2);
  }
  // Integer rates are numbers too.
  ASSERT_TRUE(faults.apply_json(
      boost::json::object{{"family", "letterboxd"}, {"fault", "truncate"}, {"rate", 1}}));
  EXPECT_EQ(faults.rule(Family::kLetterboxd).kind, FaultKind::kTruncate);
  // No fault named: clears the family's fault.
  ASSERT_TRUE(faults.apply_json(boost::json::object{{"family", "letterboxd"}, {"latency_ms", 5}}));
  EXPECT_EQ(faults.rule(Family::kLetterboxd).kind, FaultKind::kNone);
  EXPECT_EQ(faults.rule(Family::kLetterboxd).latency_ms, 5);
}

TEST(FaultInjector, ApplyJsonRejectsBadSpecs) {
  FaultInjector faults(1);
  const std::vector<boost::json::object> bad = {
      {{"family", "nope"}, {"fault", "reset"}},
      {{"fault", "reset"}},
      {{"family", "tmdb"}, {"fault", "explode"}},
      {{"family", "tmdb"}, {"fault", "reset"}, {"rate", 1.5}},
      {{"family", "tmdb"}, {"fault", "reset"}, {"rate", -0.5}},
      {{"family", "tmdb"}, {"fault", "reset"}, {"rate", "half"}},
      {{"family", "tmdb"}, {"fault", "reset"}, {"count", "3"}},
      {{"family", "tmdb"}, {"fault", "reset"}, {"count", 2.5}},
      {{"family", "tmdb"}, {"fault", "reset"}, {"count", 1e12}},
      {{"family", "tmdb"}, {"fault", "reset"}, {"count", -2}},
      {{"family", "tmdb"}, {"fault", "reset"}, {"latency_ms", -1}},
      {{"family", "tmdb"}, {"fault", "reset"}, {"latency_ms", 60001}},
      {{"family", "tmdb"}, {"fault", "ratelimit"}, {"retry_after", true}},
      {{"family", "tmdb"}, {"fault", "ratelimit"}, {"retry_after", 1e12}},
  };
  for (const auto& spec : bad) {
    const auto r = faults.apply_json(spec);
    EXPECT_FALSE(r.has_value()) << "accepted " << boost::json::serialize(spec);
    if (!r) {
      EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
    }
  }
  for (Family f : kFamilies) {
    EXPECT_EQ(faults.rule(f).kind, FaultKind::kNone);
  }
}

TEST(FaultInjector, DecideHonoursTheRate) {
  FaultInjector faults(99);
  faults.set(Family::kLetterboxd, {.kind = FaultKind::kError503, .rate = 0.3});
  std::vector<FaultKind> first;
  int hits = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto d = faults.decide(Family::kLetterboxd);
    first.push_back(d.kind);
    EXPECT_TRUE(d.kind == FaultKind::kNone || d.kind == FaultKind::kError503);
    hits += d.kind == FaultKind::kError503 ? 1 : 0;
  }
  EXPECT_GT(hits, 240);
  EXPECT_LT(hits, 360);
  // The same seed draws the same sequence.
  FaultInjector again(99);
  again.set(Family::kLetterboxd, {.kind = FaultKind::kError503, .rate = 0.3});
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(again.decide(Family::kLetterboxd).kind, first[static_cast<std::size_t>(i)]) << i;
  }

  FaultInjector never(5);
  never.set(Family::kTmdb, {.kind = FaultKind::kReset, .rate = 0.0});
  FaultInjector always(5);
  always.set(Family::kTmdb, {.kind = FaultKind::kReset, .rate = 1.0});
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(never.decide(Family::kTmdb).kind, FaultKind::kNone);
    EXPECT_EQ(always.decide(Family::kTmdb).kind, FaultKind::kReset);
  }
}

TEST(FaultInjector, RemainingCountsDownToNone) {
  FaultInjector faults(3);
  ASSERT_TRUE(faults.apply_json(
      boost::json::object{{"family", "justwatch"}, {"fault", "error500"}, {"count", 4}}));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(faults.decide(Family::kJustWatch).kind, FaultKind::kError500) << i;
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(faults.decide(Family::kJustWatch).kind, FaultKind::kNone) << i;
  }
  EXPECT_EQ(faults.rule(Family::kJustWatch).remaining, 0);
  // Counted faults with a rate: exactly K faults, however many draws it takes.
  FaultInjector rated(4);
  rated.set(Family::kTmdb, {.kind = FaultKind::kMalformed, .rate = 0.5, .remaining = 7});
  int fired = 0;
  for (int i = 0; i < 500; ++i)
    fired += rated.decide(Family::kTmdb).kind == FaultKind::kMalformed ? 1 : 0;
  EXPECT_EQ(fired, 7);
  // Other families are not consumed.
  EXPECT_EQ(rated.decide(Family::kLetterboxd).kind, FaultKind::kNone);
}

TEST(FaultInjector, LatencyAndRetryAfterAreCarried) {
  FaultInjector faults(8);
  faults.set(Family::kTmdb, {.kind = FaultKind::kRateLimit,
                             .rate = 1.0,
                             .remaining = 1,
                             .latency_ms = 120,
                             .retry_after_s = 7});
  const auto first = faults.decide(Family::kTmdb);
  EXPECT_EQ(first.kind, FaultKind::kRateLimit);
  EXPECT_EQ(first.latency_ms, 120);
  EXPECT_EQ(first.retry_after_s, 7);
  // The fault is used up; the latency stays.
  const auto second = faults.decide(Family::kTmdb);
  EXPECT_EQ(second.kind, FaultKind::kNone);
  EXPECT_EQ(second.latency_ms, 120);
  // Latency alone.
  ASSERT_TRUE(faults.apply_flag("letterboxd:latency=33"));
  const auto d = faults.decide(Family::kLetterboxd);
  EXPECT_EQ(d.kind, FaultKind::kNone);
  EXPECT_EQ(d.latency_ms, 33);
}

}  // namespace
}  // namespace lbrec::fakeworld
