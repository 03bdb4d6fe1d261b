#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/recommendation.hpp"
#include "pipeline/job.hpp"

namespace lbrec::app {

// Pure formatting for `lbrec recommend`: no I/O, no terminal queries; the caller measures the
// terminal and decides where the text goes.

struct FormatOptions {
  int max_width = 120;  // total line width in terminal columns; <= 0 means unknown (120)
};

// Text that is safe to print on a terminal: valid UTF-8 (each invalid byte becomes U+FFFD) in
// which every control character (C0, DEL, C1) and every bidirectional embedding, override or
// isolate control is replaced by a space, so a hostile title cannot move the cursor, rewrite the
// line or reorder what is shown.
std::string sanitize_text(std::string_view text);

// Terminal columns taken by `text`: one per code point, two for East Asian wide and fullwidth
// characters, none for combining marks and zero-width characters. Invalid bytes count one each.
int display_width(std::string_view text);

// The ranking as an aligned table: #, Title, Year, Director, TMDB (one decimal; "-" without
// votes), Streaming, Reason; a header row and a separator row, then one line per film, each ending
// in "\n". Cells are sanitised; when the table would be wider than `max_width`, the widest of
// Title, Director, Streaming and Reason gives way first, and cut cells end in "…". Streaming lists
// the services that stream the film, "rent: A, B" when it can only be rented or bought, "?" when
// the lookup failed and "-" when it streams nowhere or was not looked up.
std::string format_table(const std::vector<domain::Recommendation>& recs,
                         const FormatOptions& options = {});

// A list Letterboxd can import: `Title,Year,tmdbID,Directors`, one row per film ("\n" line ends),
// RFC 4180 quoting (fields with a comma, quote, CR or LF are quoted, quotes doubled). Year is empty
// when unknown; directors are joined with ", ". Control characters other than CR and LF become
// spaces, so the file is safe to print on a terminal too.
std::string format_csv(const std::vector<domain::Recommendation>& recs);

// One progress line. With `tty`: "\r[#####.....] pages 14 · films 640/1000 identified · seeds
// 23/150 explored · 8 recs\x1b[K", cut to fit in `width` - 1 columns (80 when `width` <= 0) so it
// never wraps. Without `tty`: "[ 42%] pages 14 · …\n" with no control character but the final
// newline. The bar is half identification (identified/films), half exploration
// (seeds_explored/seeds).
std::string render_progress(const pipeline::Progress& progress, int width, bool tty);

}  // namespace lbrec::app
