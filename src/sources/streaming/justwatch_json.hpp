#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/streaming.hpp"

namespace lbrec::sources::streaming {

// One search hit of JustWatch's GraphQL API, with its offers in the country searched.
struct JustWatchTitle {
  int tmdb_id = 0;  // content.externalIds.tmdbId (a string upstream); 0 when absent or unreadable
  std::string title;
  std::optional<int> year;  // content.originalReleaseYear
  std::string object_type;  // "MOVIE", "SHOW" ...
  // FLATRATE/FREE/ADS/RENT/BUY offers (CINEMA and unknown types dropped), names normalised,
  // streams first, no repeated name within a type.
  std::vector<domain::StreamingOffer> offers;

  friend bool operator==(const JustWatchTitle&, const JustWatchTitle&) = default;
};

// The JSON body of one GetSearchTitles POST (simple-justwatch's operation and variables) asking
// for `first` titles matching `title`, with their best offers in `country` (upper-case ISO code).
std::string search_request_body(std::string_view title, std::string_view country, int first);

// Reads a GetSearchTitles response: the nodes of data.popularTitles.edges. kUpstreamError when
// the response carries a top-level "errors" list; kParseError when it is not JSON or has no
// edges list. Nodes that are not objects are skipped.
core::Result<std::vector<JustWatchTitle>> parse_search_response(std::string_view body);

}  // namespace lbrec::sources::streaming
