#include "net/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>

#include "core/strings.hpp"

namespace lbrec::net {

using std::chrono::nanoseconds;

AttemptOutcome classify_status(long status) {
  if (status == 429) return AttemptOutcome::kThrottled;
  if (status == 403) return AttemptOutcome::kBlocked;
  if (status == 408 || status == 425 || (status >= 500 && status <= 599)) {
    return status == 501 || status == 505 ? AttemptOutcome::kPermanent : AttemptOutcome::kTransient;
  }
  return AttemptOutcome::kSuccess;
}

nanoseconds RetryPolicy::delay(int attempt, AttemptOutcome outcome,
                               std::optional<nanoseconds> retry_after, double jitter) const {
  attempt = std::max(1, attempt);
  if (outcome == AttemptOutcome::kThrottled) {
    if (retry_after) return std::min(*retry_after, max_retry_after);
    return std::min(throttle * attempt, max_delay);
  }
  const double factor = std::ldexp(1.0, std::min(attempt - 1, 20));
  const double capped =
      std::min(static_cast<double>(base.count()) * factor, static_cast<double>(max_delay.count()));
  const double j = 0.5 + 0.5 * std::clamp(jitter, 0.0, 1.0);
  return nanoseconds(static_cast<std::int64_t>(capped * j));
}

std::optional<nanoseconds> parse_retry_after(std::string_view value,
                                             core::Clock::System::time_point now) {
  value = core::trim(value);
  if (value.empty()) return std::nullopt;
  if (const auto seconds = core::parse_int(value)) {
    if (*seconds < 0) return std::nullopt;
    return std::chrono::seconds(std::min<long long>(*seconds, 86400 * 7));
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  char month[4] = {};
  char zone[4] = {};
  char weekday[4] = {};
  const std::string text(value);
  if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", weekday, &tm.tm_mday, month,
                  &tm.tm_year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, zone) != 8 ||
      std::string_view(zone) != "GMT") {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto it = std::find(kMonths.begin(), kMonths.end(), std::string_view(month));
  if (it == kMonths.end() || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_mon = static_cast<int>(it - kMonths.begin());
  tm.tm_year -= 1900;
  const std::time_t when = timegm(&tm);
  const auto target = core::Clock::System::from_time_t(when);
  if (target <= now) return nanoseconds(0);
  return std::chrono::duration_cast<nanoseconds>(target - now);
}

}  // namespace lbrec::net
