#pragma once

#include <string>

#include "fake_http.hpp"
#include "faults.hpp"

namespace lbrec::fakeworld {

// What an upstream answers under a fault, as the real services do (docs/upstreams/): Cloudflare's
// challenge and rate-limit pages for Letterboxd, TMDB's error JSON, GraphQL errors for JustWatch.
// Only faults that produce a complete reply are handled here (not truncate or reset).
FakeReply fault_reply(Family family, FaultKind kind, int retry_after_s);

// `normal` with its body corrupted the way a broken upstream or proxy would corrupt it.
FakeReply malformed_reply(FakeReply normal);

// The clearance cookie the JavaScript challenge sets, and whether a Cookie header carries it.
std::string clearance_cookie_value(std::uint64_t seed);
bool has_clearance(std::string_view cookie_header, std::string_view value);
// The JavaScript challenge page: a browser runs the script, gets the cookie and reloads.
FakeReply js_challenge_reply(std::string_view cookie_value);

}  // namespace lbrec::fakeworld
