#include "faults.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/strings.hpp"

namespace lbrec::fakeworld {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 9> kKinds = {{
    {FaultKind::kNone, "none"},
    {FaultKind::kChallenge, "challenge"},
    {FaultKind::kRateLimit, "ratelimit"},
    {FaultKind::kError500, "error500"},
    {FaultKind::kError503, "error503"},
    {FaultKind::kTruncate, "truncate"},
    {FaultKind::kMalformed, "malformed"},
    {FaultKind::kReset, "reset"},
    {FaultKind::kJsChallenge, "js_challenge"},
}};

std::string kinds_list() {
  std::string s;
  for (const auto& [k, name] : kKinds)
    s += (s.empty() ? "" : ", ") + std::string(name);
  return s;
}

}  // namespace

std::string_view to_string(Family family) {
  switch (family) {
    case Family::kLetterboxd:
      return "letterboxd";
    case Family::kTmdb:
      return "tmdb";
    case Family::kJustWatch:
      return "justwatch";
  }
  return "letterboxd";
}

std::optional<Family> parse_family(std::string_view text) {
  for (Family f : kFamilies) {
    if (to_string(f) == text) return f;
  }
  return std::nullopt;
}

std::string_view to_string(FaultKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "none";
}

std::optional<FaultKind> parse_fault_kind(std::string_view text) {
  for (const auto& [k, name] : kKinds) {
    if (name == text) return k;
  }
  return std::nullopt;
}

void FaultInjector::set(Family family, const FaultRule& rule) {
  std::lock_guard lock(mutex_);
  rules_[static_cast<std::size_t>(family)] = rule;
}

void FaultInjector::clear() {
  std::lock_guard lock(mutex_);
  rules_ = {};
}

FaultRule FaultInjector::rule(Family family) const {
  std::lock_guard lock(mutex_);
  return rules_[static_cast<std::size_t>(family)];
}

FaultInjector::Decision FaultInjector::decide(Family family) {
  std::lock_guard lock(mutex_);
  FaultRule& r = rules_[static_cast<std::size_t>(family)];
  Decision d{r.latency_ms, FaultKind::kNone, r.retry_after_s};
  if (r.kind == FaultKind::kNone || r.remaining == 0) return d;
  if (r.rate < 1.0 && !rng_.chance(r.rate)) return d;
  if (r.remaining > 0) --r.remaining;
  d.kind = r.kind;
  return d;
}

core::Result<void> FaultInjector::apply_json(const boost::json::object& spec) {
  const auto text = [&](const char* key) -> std::string {
    const auto* v = spec.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  const auto number = [&](const char* key, double fallback) -> std::optional<double> {
    const auto* v = spec.if_contains(key);
    if (v == nullptr) return fallback;
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    if (v->is_double()) return v->get_double();
    return std::nullopt;
  };
  const std::string family = text("family");
  const auto kind = parse_fault_kind(text("fault").empty() ? "none" : text("fault"));
  if (!kind) {
    return core::fail(core::ErrorCode::kInvalidInput,
                      fmt::format("fault must be one of {}", kinds_list()));
  }
  const auto rate = number("rate", 1.0);
  const auto count = number("count", -1);
  const auto latency = number("latency_ms", 0);
  const auto retry_after = number("retry_after", 2);
  // Range checks keep the int conversions below defined (a huge JSON number is not an int).
  const bool count_ok = count && *count >= -1 && *count <= 1e9 && *count == std::floor(*count);
  const bool retry_ok = retry_after && *retry_after >= -86400 && *retry_after <= 86400;
  if (!rate || *rate < 0 || *rate > 1 || !count_ok || !latency || *latency < 0 ||
      *latency > 60000 || !retry_ok) {
    return core::fail(core::ErrorCode::kInvalidInput,
                      "rate must be 0..1, count a whole number (-1: unlimited), latency_ms "
                      "0..60000, retry_after -86400..86400");
  }
  const FaultRule rule{*kind, *rate, static_cast<int>(*count), static_cast<int>(*latency),
                       static_cast<int>(*retry_after)};
  if (family == "all") {
    for (Family f : kFamilies)
      set(f, rule);
    return {};
  }
  const auto fam = parse_family(family);
  if (!fam)
    return core::fail(core::ErrorCode::kInvalidInput,
                      "family must be letterboxd, tmdb, justwatch or all");
  set(*fam, rule);
  return {};
}

core::Result<void> FaultInjector::apply_flag(std::string_view flag) {
  const auto parts = core::split(flag, ':');
  const auto fam = parts.empty() ? std::nullopt : parse_family(parts[0]);
  if (!fam || parts.size() < 2 || parts.size() > 3) {
    return core::fail(
        core::ErrorCode::kInvalidInput,
        fmt::format("--fault takes family:fault[:rate] or family:latency=MS (family: letterboxd, "
                    "tmdb, justwatch; fault: {}), got '{}'",
                    kinds_list(), flag));
  }
  FaultRule r = rule(*fam);
  if (parts[1].starts_with("latency=")) {
    const auto ms = core::parse_int(parts[1].substr(8));
    if (!ms || *ms < 0 || *ms > 60000)
      return core::fail(core::ErrorCode::kInvalidInput, "latency must be 0..60000 ms");
    r.latency_ms = static_cast<int>(*ms);
  } else {
    const auto kind = parse_fault_kind(parts[1]);
    if (!kind)
      return core::fail(core::ErrorCode::kInvalidInput,
                        fmt::format("unknown fault '{}'; use one of {}", parts[1], kinds_list()));
    r.kind = *kind;
    if (parts.size() == 3) {
      const auto rate = core::parse_double(parts[2]);
      if (!rate || *rate < 0 || *rate > 1)
        return core::fail(core::ErrorCode::kInvalidInput, "fault rate must be 0..1");
      r.rate = *rate;
    }
  }
  set(*fam, r);
  return {};
}

boost::json::object FaultInjector::describe() const {
  std::lock_guard lock(mutex_);
  boost::json::object out;
  for (Family f : kFamilies) {
    const FaultRule& r = rules_[static_cast<std::size_t>(f)];
    out[to_string(f)] = boost::json::object{{"fault", to_string(r.kind)},
                                            {"rate", r.rate},
                                            {"remaining", r.remaining},
                                            {"latency_ms", r.latency_ms},
                                            {"retry_after", r.retry_after_s}};
  }
  return out;
}

}  // namespace lbrec::fakeworld
