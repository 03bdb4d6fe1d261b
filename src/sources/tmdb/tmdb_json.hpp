#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/movie.hpp"

namespace lbrec::sources::tmdb {

// Pure readers of TMDB v3 JSON (docs/upstreams/tmdb-and-streaming.md §2). They accept what TMDB
// really sends: whole numbers printed either way (8 / 8.0), nulls for paths and ids, "" dates,
// omitted keys. A body that is not the expected JSON object is kParseError.

struct SearchPage {
  std::vector<domain::MovieSummary> results;  // TV items (media_type "tv") are left out
  int page = 1;
  int total_pages = 0;
  int total_results = 0;
};

// /3/search/movie (and any other paged movie list).
core::Result<SearchPage> parse_search_page(std::string_view body);

// /3/movie/{id} with append_to_response=credits,external_ids,keywords,similar,recommendations,
// watch/providers (each appended part is optional).
core::Result<domain::MovieDetails> parse_details(std::string_view body);

// One list item (search, similar, recommendations, find) as a summary; nullopt without an id.
std::optional<domain::MovieSummary> parse_summary(const boost::json::object& item);

// TMDB's error envelope: {"success":false,"status_code":N,"status_message":"..."}.
struct TmdbErrorBody {
  int status_code = 0;
  std::string status_message;
};
std::optional<TmdbErrorBody> parse_error_body(std::string_view body);

}  // namespace lbrec::sources::tmdb
