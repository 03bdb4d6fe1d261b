#include "sources/letterboxd/page_signals.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>

#include "sources/letterboxd/parser_support.hpp"

namespace lbrec::sources::letterboxd {
namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool icontains(std::string_view haystack, std::string_view needle) {
  return !std::ranges::search(haystack, needle, [](char a, char b) {
            return lower(a) == lower(b);
          }).empty();
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::ranges::equal(a, b, [](char x, char y) { return lower(x) == lower(y); });
}

// The text of the first <title> element, found without parsing the document.
std::string_view title_of(std::string_view body) {
  const auto open = std::ranges::search(body, std::string_view("<title"),
                                        [](char a, char b) { return lower(a) == lower(b); });
  if (open.empty()) return {};
  const std::size_t tag_end = body.find('>', static_cast<std::size_t>(open.begin() - body.begin()));
  if (tag_end == std::string_view::npos) return {};
  const std::string_view rest = body.substr(tag_end + 1);
  const auto close = std::ranges::search(rest, std::string_view("</title"),
                                         [](char a, char b) { return lower(a) == lower(b); });
  return detail::trim_text(rest.substr(0, static_cast<std::size_t>(close.begin() - rest.begin())));
}

constexpr std::array<std::string_view, 2> kRateLimitMarkers = {"You are being rate limited",
                                                               "Error 1015"};
constexpr std::array<std::string_view, 6> kChallengeMarkers = {
    "Just a moment...",
    "challenges.cloudflare.com",
    "Enable JavaScript and cookies to continue",
    "verify you are human",
    "checking your browser",
    "used Cloudflare to restrict access"};

bool any_marker(std::string_view body, std::span<const std::string_view> markers) {
  return std::ranges::any_of(markers, [&](std::string_view m) { return icontains(body, m); });
}

}  // namespace

std::string_view to_string(PageBlock block) {
  switch (block) {
    case PageBlock::kNone:
      return "none";
    case PageBlock::kChallenge:
      return "challenge";
    case PageBlock::kRateLimited:
      return "rate_limited";
  }
  return "none";
}

PageBlock detect_block(int http_status, std::string_view cf_mitigated_header,
                       std::string_view body) {
  if (icontains(cf_mitigated_header, "challenge")) return PageBlock::kChallenge;
  if (http_status == 429) return PageBlock::kRateLimited;
  if (http_status >= 400) {
    if (any_marker(body, kRateLimitMarkers)) return PageBlock::kRateLimited;
    if (any_marker(body, kChallengeMarkers)) return PageBlock::kChallenge;
    return PageBlock::kNone;
  }
  if (iequals(title_of(body), "Just a moment...")) return PageBlock::kChallenge;
  return PageBlock::kNone;
}

}  // namespace lbrec::sources::letterboxd
