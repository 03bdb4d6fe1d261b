#pragma once

#include <string_view>

namespace lbrec::sources::letterboxd {

// Why a Letterboxd response cannot be used as a page (docs/upstreams/letterboxd.md §9).
enum class PageBlock {
  kNone,         // not a bot wall: use the page (or its status: 404 = no such user/film)
  kChallenge,    // Cloudflare challenge or access-denied wall: we are blocked, not "private"
  kRateLimited,  // 429 / error 1015: back off and retry later
};

// Stable lower-case name ("none", "challenge", "rate_limited").
std::string_view to_string(PageBlock block);

// Classifies a response from its status, its cf-mitigated header (empty when absent) and body.
// Error statuses are matched on Cloudflare's markers; a 2xx page only counts as a challenge when
// it is one as a whole (title "Just a moment..."), since member-written text may quote markers.
// A Letterboxd 403 without Cloudflare markers (private route) is kNone.
PageBlock detect_block(int http_status, std::string_view cf_mitigated_header,
                       std::string_view body);

}  // namespace lbrec::sources::letterboxd
