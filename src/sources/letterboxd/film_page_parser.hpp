#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/profile.hpp"

namespace lbrec::sources::letterboxd {

// What a Letterboxd film page /film/<slug>/ says about the film (docs/upstreams/letterboxd.md §6).
struct FilmPage {
  domain::FilmRef film;  // slug, title, year, letterboxd_id, lid, tmdb_id and is_tv when shown
  std::string imdb_id;   // "tt0133093"; empty when the page links no IMDb entry
  std::vector<std::string> directors;
  std::vector<std::string> genres;       // genres only, never themes
  std::optional<int> runtime;            // minutes
  std::string poster_url;                // JSON-LD image; empty when there is none
  std::optional<double> average_rating;  // 0.5..5 stars
};

// Parses a film page. A page whose og:type is not video.movie (a list, an error page) is
// kNotFound ("not a film page"); unreadable input is kParseError. Pure: no I/O.
core::Result<FilmPage> parse_film_page(std::string_view html);

}  // namespace lbrec::sources::letterboxd
