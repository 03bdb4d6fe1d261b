#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.hpp"
#include "domain/profile.hpp"

namespace lbrec::sources::letterboxd {

// Caps on what one uploaded export may cost. The byte caps on uncompressed data are enforced
// while decompressing, so a ZIP bomb stops at the cap without the memory its declared size asks.
struct ExportLimits {
  std::size_t max_archive_bytes = 64u << 20;  // the upload itself
  std::size_t max_entry_bytes = 32u << 20;    // any one file, uncompressed
  std::size_t max_total_bytes = 128u << 20;   // all files, uncompressed
  std::size_t max_entries = 20000;
  std::size_t max_rows = 200000;  // per CSV
};

// Reads an export ZIP (files at the root, or all under one folder) into a profile whose films are
// every watched film with its latest rating and like, plus the watchlist
// (docs/upstreams/letterboxd.md §10).
//
// - films: watched.csv rows in file order (oldest first); films that only ratings.csv,
//   likes/films.csv or diary.csv name are appended after them, in that order. Films are keyed by
//   their URI: https://boxd.it/<code> gives FilmRef::lid, https://letterboxd.com/film/<slug>/
//   gives FilmRef::slug; any other URI leaves both empty and the film is keyed by Name and Year.
// - rating: ratings.csv (the latest Date wins when a film repeats); otherwise the latest diary
//   entry's. Ratings are 0.5..5 in half steps, written "4" or "4.5"; anything else is an error
//   naming the file and line.
// - diary.csv URIs name diary entries, not films, so diary rows match films by exact Name and
//   Year; a row matching two films is ignored. The latest entry (Watched Date, then Date, then
//   file order) gives watched_date, rewatch and, failing ratings.csv, the rating.
// - profile.csv's Username (empty if absent); watchlist.csv in file order, duplicates dropped.
//
// Every failure is kInvalidInput: not a ZIP, over a limit, no watched.csv or ratings.csv, a known
// file without its required columns, malformed CSV, or a bad Year, Rating or Watched Date (the
// message names the file and line). Entries that are not regular files, encrypted entries under
// names we do not read, absolute paths and paths with ".." are ignored. Never throws; pure apart
// from libarchive.
core::Result<domain::Profile> read_export_zip(std::string_view zip_bytes,
                                              const ExportLimits& limits = {});

}  // namespace lbrec::sources::letterboxd
