#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "rng.hpp"

namespace lbrec::fakeworld {

// The upstream a request belongs to; faults and counters are kept per family.
enum class Family { kLetterboxd = 0, kTmdb = 1, kJustWatch = 2 };
inline constexpr std::array<Family, 3> kFamilies = {Family::kLetterboxd, Family::kTmdb,
                                                    Family::kJustWatch};
std::string_view to_string(Family family);
std::optional<Family> parse_family(std::string_view text);

enum class FaultKind {
  kNone,
  kChallenge,  // 403 + cf-mitigated: challenge + "Just a moment..." page
  kRateLimit,  // 429 (Retry-After unless retry_after_s < 0)
  kError500,
  kError503,
  kTruncate,     // Content-Length of the full body, half the body sent, connection closed
  kMalformed,    // 200 with a corrupted body (cut JSON, broken markup)
  kReset,        // connection reset without a response
  kJsChallenge,  // 403 challenge whose script sets a clearance cookie; only a browser gets through
};
std::string_view to_string(FaultKind kind);
std::optional<FaultKind> parse_fault_kind(std::string_view text);

struct FaultRule {
  FaultKind kind = FaultKind::kNone;
  double rate = 1.0;      // share of requests affected, 0..1
  int remaining = -1;     // affect at most this many more requests; -1: no limit
  int latency_ms = 0;     // added to every request of the family
  int retry_after_s = 2;  // for kRateLimit; < 0 sends no Retry-After
};

// Per-family fault rules, shared by the server's connections and its admin endpoint.
class FaultInjector {
 public:
  struct Decision {
    int latency_ms = 0;
    FaultKind kind = FaultKind::kNone;
    int retry_after_s = 2;
  };

  explicit FaultInjector(std::uint64_t seed) : rng_(Rng::derive(seed, "faults")) {}

  void set(Family family, const FaultRule& rule);
  void clear();
  FaultRule rule(Family family) const;
  // What to do to the next request of a family (consumes one of `remaining` when a fault fires).
  Decision decide(Family family);
  // Applies a JSON rule {"family","fault","rate","count","latency_ms","retry_after"}; family
  // "all" sets every family.
  core::Result<void> apply_json(const boost::json::object& spec);
  // Applies a command-line rule "family:fault[:rate]" or "family:latency=MS".
  core::Result<void> apply_flag(std::string_view flag);
  boost::json::object describe() const;

 private:
  mutable std::mutex mutex_;
  std::array<FaultRule, 3> rules_{};
  Rng rng_;
};

}  // namespace lbrec::fakeworld
