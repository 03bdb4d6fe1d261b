#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/profile.hpp"

namespace lbrec::sources::letterboxd {

// Letterboxd's poster-grid markup generations (docs/upstreams/letterboxd.md §4).
enum class Markup {
  kLegacy,      // §4.4, until ~Aug 2025: li.poster-container > div.film-poster[data-film-*]
  kLazyPoster,  // §4.2, Aug 2025 - Apr 2026: React LazyPoster carrying data-film-id
  kCurrent,     // §4.3, from Apr 2026: LazyPoster, numeric id only in data-postered-identifier
};

// Stable lower-case name ("legacy", "lazyposter", "current").
std::string_view to_string(Markup markup);

// One poster of a grid, with the member's data shown on it.
struct GridItem {
  domain::FilmRef film;       // slug, title, year, letterboxd_id and lid when the markup has them
  std::optional<int> rating;  // half-stars 1..10; nullopt when unrated or not shown (watchlist)
  bool liked = false;
};

// One page of a member's poster grid.
struct GridPage {
  std::vector<GridItem> items;     // in page order
  int page_count = 1;              // from div.pagination (§5); 1 when there is none
  std::optional<int> total_films;  // from the heading tooltip ("79&nbsp;films") when present
  std::optional<Markup> markup;    // generation of the (first) item; nullopt on an empty grid
  std::string owner;               // body@data-owner when present
};

// Parses a /<user>/films/, /<user>/likes/films/ or /<user>/watchlist/ page (any page number) in
// any of the three markup generations. A recognisable grid with no items (empty profile, a page
// past the end) gives an empty `items`; a page that is not recognisably a Letterboxd grid, or
// whose items yield no slug, is a kParseError, never a silent empty profile. Pure: no I/O.
core::Result<GridPage> parse_grid_page(std::string_view html);

// A display name split into its parts.
struct TitleYear {
  std::string title;
  std::optional<int> year;  // nullopt when the name carries none
};

// Splits Letterboxd's "Title (YYYY)" display name (data-item-name, og:title, img alt) with
// ^(.+?)(?:\s*\((\d{4})\))?$ after trimming, so "Nineteen (1984) (2020)" keeps "(1984)".
TitleYear split_title_year(std::string_view display_name);

namespace detail {
// The two paths behind parse_grid_page, exposed so tests can hold them to the same answers: the
// byte scanner (nullopt when it is not sure) and the libxml2 DOM walk (the reference).
std::optional<GridPage> parse_grid_page_fast(std::string_view html);
core::Result<GridPage> parse_grid_page_dom(std::string_view html);
}  // namespace detail

}  // namespace lbrec::sources::letterboxd
