#pragma once

#include <string>

#include "fake_http.hpp"
#include "world.hpp"

namespace lbrec::fakeworld {

inline constexpr int kFilmsPerPage = 72;      // /films/, /likes/films/ (12 x 6)
inline constexpr int kWatchlistPerPage = 28;  // /watchlist/ (7 x 4)
inline constexpr int kRssItems = 50;

// Serves letterboxd.com as documented in docs/upstreams/letterboxd.md: member film grids in the
// member's markup generation, likes, watchlist, RSS, film pages and their JSON, /tmdb/<id>/
// redirects and 404 pages. Sets `route` to a short name for request counters.
FakeReply serve_letterboxd(const World& world, const FakeRequest& request, std::string& route);

// "Title (YYYY)", or the bare title when the year is unknown (Letterboxd's data-item-name).
std::string display_name(const Film& film);

}  // namespace lbrec::fakeworld
