#pragma once

#include <string>

#include "core/error.hpp"
#include "world.hpp"

namespace lbrec::fakeworld {

// A member's Letterboxd account export as a ZIP (docs/upstreams/letterboxd.md §10): the real file
// names and headers, UTF-8, CRLF, RFC 4180 quoting, boxd.it URIs. `nested` puts every file under
// one folder "letterboxd-<user>-<date>/", as some importers expect.
core::Result<std::string> export_zip(const World& world, const User& user, bool nested = false);

// One CSV field quoted as RFC 4180 requires (only when it holds a comma, quote, CR or LF).
std::string csv_field(std::string_view value);

}  // namespace lbrec::fakeworld
