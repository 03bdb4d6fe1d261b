#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/profile.hpp"

namespace lbrec::sources::letterboxd {

// One diary viewing from a member's RSS feed (docs/upstreams/letterboxd.md §8).
struct RssEntry {
  domain::FilmRef film;       // slug, title, year and tmdb_id (is_tv for tmdb:tvId)
  std::optional<int> rating;  // half-stars 1..10; nullopt when unrated
  bool liked = false;
  bool rewatch = false;
  std::string watched_date;  // "YYYY-MM-DD"
  std::string guid;          // "letterboxd-watch-N" or "letterboxd-review-N"
  bool is_review = false;
};

// Parses /<user>/rss/. Items without letterboxd:watchedDate (list activity) are skipped; an empty
// channel gives an empty vector; malformed XML or a document that is not RSS is a kParseError.
core::Result<std::vector<RssEntry>> parse_rss(std::string_view xml);

}  // namespace lbrec::sources::letterboxd
