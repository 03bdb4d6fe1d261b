#include "core/rate_limit.hpp"

#include <fmt/format.h>

#include <initializer_list>
#include <utility>

#include "core/strings.hpp"

namespace lbrec::core {

namespace {

Error invalid(std::string_view text) {
  return Error{ErrorCode::kInvalidInput,
               fmt::format("invalid rate limit '{}': expected N/second|minute|hour|day, "
                           "e.g. 5/minute",
                           text),
               false};
}

}  // namespace

Result<RateLimit> parse_rate_limit(std::string_view text) {
  std::string_view s = trim(text);
  std::size_t cut = s.find('/');
  std::size_t skip = 1;
  if (cut == std::string_view::npos) {
    cut = s.find(" per ");
    skip = 5;
  }
  if (cut == std::string_view::npos) return tl::unexpected(invalid(text));
  const auto count = parse_int(trim(s.substr(0, cut)));
  if (!count || *count <= 0 || *count > 1'000'000'000) {
    return tl::unexpected(invalid(text));
  }
  std::string_view rest = trim(s.substr(cut + skip));
  long long multiple = 1;
  if (const std::size_t space = rest.find(' '); space != std::string_view::npos) {
    const auto n = parse_int(rest.substr(0, space));
    if (!n || *n <= 0 || *n > 1'000'000) return tl::unexpected(invalid(text));
    multiple = *n;
    rest = trim(rest.substr(space + 1));
  }
  const std::string unit = to_lower_ascii(rest);
  long long seconds = 0;
  for (const auto& [name, length] : std::initializer_list<std::pair<std::string_view, long long>>{
           {"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}}) {
    if (unit == name ||
        (unit.size() == name.size() + 1 && unit.starts_with(name) && unit.back() == 's')) {
      seconds = length;
    }
  }
  if (seconds == 0) return tl::unexpected(invalid(text));
  return RateLimit{static_cast<int>(*count), std::chrono::seconds(seconds * multiple)};
}

}  // namespace lbrec::core
