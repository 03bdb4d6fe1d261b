#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "core/error.hpp"
#include "domain/recommendation.hpp"
#include "pipeline/job.hpp"

namespace lbrec::pipeline {

// The seed's JSON shapes (see "Fetch Async Result"): same field names and types, plus lbrec's
// extras. Pure functions: no I/O, no configuration. The server adds `request_id` itself.

// The sentence the seed sends with a payload built from a stale profile snapshot.
inline constexpr std::string_view kStaleHint =
    "Showing last successful profile snapshot because live Letterboxd scraping was blocked or "
    "throttled.";

// One entry of `recommendations`. The seed's fields: tmdb_id, title, original_title, year (a
// string, "" when unknown), director (names joined with ", "), genres, poster (URL or null),
// rating_tmdb, runtime (null when unknown), streaming (names of the providers that stream it;
// empty unless `include_streaming` and looked up), reason. lbrec's extras: score, because,
// vote_count, popularity, release_date, on_watchlist, streaming_offers, streaming_rent,
// streaming_source, streaming_lookup_failed.
boost::json::object recommendation_json(const domain::Recommendation& rec, bool include_streaming);

// The `preferences` block: genres, directors, decades and their `_weighted` counterparts.
boost::json::object preferences_json(const domain::Preferences& prefs);

// The whole payload of a finished job (the caller sends error_payload(*result.error) instead when
// the job failed). The stale block (data_freshness, hint, incident) appears only when
// `result.stale`; streaming_attribution only with `include_streaming`.
boost::json::object result_payload(const JobResult& result, bool include_streaming);

// `{"error": ..., "hint": ..., "code": ...}` for a failed request or job: user-facing sentences
// chosen by the error's kind. Only kInvalidInput carries the error's own message (ours, written
// for the user); other kinds never echo it, so upstream bodies and credentials cannot leak.
boost::json::object error_payload(const core::Error& error);

}  // namespace lbrec::pipeline
