#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "domain/movie.hpp"

namespace lbrec::sources::tmdb {

// Compact JSON for what the TMDB cache stores, and back. Decoding rejects text of another shape or
// version (a corrupt or foreign cache entry is a miss, never a crash).
boost::json::value summary_to_json(const domain::MovieSummary& summary);
core::Result<domain::MovieSummary> summary_from_json(const boost::json::value& value);

std::string encode_summary(const domain::MovieSummary& summary);
core::Result<domain::MovieSummary> decode_summary(std::string_view text);

std::string encode_details(const domain::MovieDetails& details);
core::Result<domain::MovieDetails> decode_details(std::string_view text);

}  // namespace lbrec::sources::tmdb
