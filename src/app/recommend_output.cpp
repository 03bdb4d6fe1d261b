#include "app/recommend_output.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "core/strings.hpp"

namespace lbrec::app {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr std::string_view kEllipsis = "…";
constexpr int kDefaultWidth = 120;
constexpr int kDefaultProgressWidth = 80;
constexpr int kBarCells = 10;
constexpr std::string_view kGap = "  ";

struct CodePoint {
  char32_t value = kReplacement;
  std::size_t length = 1;  // bytes consumed
  bool valid = false;
};

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. An invalid sequence
// consumes one byte, so the text after it is read as it was meant.
CodePoint decode(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return {b0, 1, true};
  std::size_t length = 0;
  char32_t value = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2, value = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3, value = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4, value = b0 & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return {};
    value = (value << 6) | (b & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {value, length, true};
}

bool is_control(char32_t c, bool keep_line_breaks) {
  if (keep_line_breaks && (c == '\r' || c == '\n')) return false;
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

bool is_bidi_control(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string sanitize(std::string_view text, bool keep_line_breaks) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode(text, i);
    if (!cp.valid) {
      core::append_utf8(kReplacement, out);
    } else if (is_control(cp.value, keep_line_breaks) || is_bidi_control(cp.value)) {
      out += ' ';
    } else {
      out.append(text.substr(i, cp.length));
    }
    i += cp.length;
  }
  return out;
}

struct Range {
  char32_t first;
  char32_t last;
};

bool in(const Range* begin, const Range* end, char32_t c) {
  return std::any_of(begin, end, [c](const Range& r) { return c >= r.first && c <= r.last; });
}

// East Asian Width W and F blocks (Hangul Jamo, CJK, kana, Hangul syllables, fullwidth forms,
// emoji), abridged to whole blocks: enough to align film titles, not a full wcwidth.
constexpr std::array<Range, 18> kWide = {{{0x1100, 0x115F},
                                          {0x2329, 0x232A},
                                          {0x2E80, 0x303E},
                                          {0x3041, 0x33FF},
                                          {0x3400, 0x4DBF},
                                          {0x4E00, 0x9FFF},
                                          {0xA000, 0xA4CF},
                                          {0xA960, 0xA97F},
                                          {0xAC00, 0xD7A3},
                                          {0xF900, 0xFAFF},
                                          {0xFE10, 0xFE19},
                                          {0xFE30, 0xFE6F},
                                          {0xFF00, 0xFF60},
                                          {0xFFE0, 0xFFE6},
                                          {0x1F300, 0x1F64F},
                                          {0x1F900, 0x1F9FF},
                                          {0x20000, 0x2FFFD},
                                          {0x30000, 0x3FFFD}}};

// Combining marks and zero-width characters (ZWSP, ZWNJ, ZWJ, LRM, RLM, variation selectors).
constexpr std::array<Range, 8> kZero = {{{0x0300, 0x036F},
                                         {0x0483, 0x0489},
                                         {0x1AB0, 0x1AFF},
                                         {0x1DC0, 0x1DFF},
                                         {0x200B, 0x200F},
                                         {0x20D0, 0x20FF},
                                         {0xFE00, 0xFE0F},
                                         {0xFE20, 0xFE2F}}};

int width_of(const CodePoint& cp) {
  if (!cp.valid) return 1;
  if (in(kZero.data(), kZero.data() + kZero.size(), cp.value)) return 0;
  if (in(kWide.data(), kWide.data() + kWide.size(), cp.value)) return 2;
  return 1;
}

// `text` cut to at most `width` columns, ending in "…" when something was cut.
std::string fit(std::string_view text, int width) {
  if (display_width(text) <= width) return std::string(text);
  if (width <= 0) return {};
  const int room = width - 1;  // the ellipsis takes one column
  std::string out;
  int used = 0;
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode(text, i);
    const int w = width_of(cp);
    if (used + w > room) break;
    out.append(text.substr(i, cp.length));
    used += w;
    i += cp.length;
  }
  out += kEllipsis;
  return out;
}

void pad_to(std::string& out, std::string_view cell, int width, bool right) {
  const int spaces = std::max(0, width - display_width(cell));
  if (right) out.append(static_cast<std::size_t>(spaces), ' ');
  out += cell;
  if (!right) out.append(static_cast<std::size_t>(spaces), ' ');
}

std::string year_text(const domain::Recommendation& rec) {
  const auto year = rec.movie.year();
  return year ? std::to_string(*year) : std::string();
}

std::string streaming_cell(const domain::Recommendation& rec) {
  if (!rec.streaming) return "-";
  if (rec.streaming->lookup_failed) return "?";
  const auto stream = rec.streaming->stream_names();
  if (!stream.empty()) return fmt::format("{}", fmt::join(stream, ", "));
  const auto rent = rec.streaming->rent_names();
  if (!rent.empty()) return "rent: " + fmt::format("{}", fmt::join(rent, ", "));
  return "-";
}

std::string rating_cell(const domain::MovieSummary& movie) {
  // TMDB reports 0 for a film nobody has voted on; that is no rating, not a bad one.
  if (!std::isfinite(movie.vote_average) || (movie.vote_count == 0 && movie.vote_average == 0))
    return "-";
  return fmt::format("{:.1f}", movie.vote_average);
}

struct Column {
  std::string_view header;
  bool right = false;  // numbers are right-aligned
  int min_width = 0;   // 0: never narrowed
};

constexpr std::array<Column, 7> kColumns = {{{"#", true, 0},
                                             {"Title", false, 12},
                                             {"Year", false, 0},
                                             {"Director", false, 8},
                                             {"TMDB", true, 0},
                                             {"Streaming", false, 9},
                                             {"Reason", false, 8}}};

void end_line(std::string& out) {
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  out += '\n';
}

std::string csv_field(std::string_view text) {
  std::string clean = sanitize(text, /*keep_line_breaks=*/true);
  if (clean.find_first_of(",\"\r\n") == std::string::npos) return clean;
  std::string out = "\"";
  for (char c : clean) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string sanitize_text(std::string_view text) {
  return sanitize(text, /*keep_line_breaks=*/false);
}

int display_width(std::string_view text) {
  int width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const CodePoint cp = decode(text, i);
    width += width_of(cp);
    i += cp.length;
  }
  return width;
}

std::string format_table(const std::vector<domain::Recommendation>& recs,
                         const FormatOptions& options) {
  constexpr std::size_t n = kColumns.size();
  std::vector<std::array<std::string, n>> rows;
  rows.reserve(recs.size());
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const domain::Recommendation& rec = recs[i];
    rows.push_back({std::to_string(i + 1), sanitize_text(rec.movie.title), year_text(rec),
                    sanitize_text(fmt::format("{}", fmt::join(rec.directors, ", "))),
                    rating_cell(rec.movie), sanitize_text(streaming_cell(rec)),
                    sanitize_text(rec.reason)});
  }

  std::array<int, n> widths{};
  for (std::size_t c = 0; c < n; ++c) {
    widths[c] = display_width(kColumns[c].header);
    for (const auto& row : rows)
      widths[c] = std::max(widths[c], display_width(row[c]));
  }
  const int max_width = options.max_width > 0 ? options.max_width : kDefaultWidth;
  int total = static_cast<int>(kGap.size() * (n - 1));
  for (int w : widths)
    total += w;
  // Narrow the widest flexible column one column at a time, so space is taken from whichever
  // column has the most to give and short columns keep their full text.
  while (total > max_width) {
    std::size_t widest = n;
    for (std::size_t c = 0; c < n; ++c) {
      const int floor = std::max(kColumns[c].min_width, display_width(kColumns[c].header));
      if (kColumns[c].min_width == 0 || widths[c] <= floor) continue;
      if (widest == n || widths[c] > widths[widest]) widest = c;
    }
    if (widest == n) break;  // every column at its minimum: wider than asked beats unreadable
    --widths[widest];
    --total;
  }

  std::string out;
  const auto emit = [&](const auto& cells) {
    std::string line;
    for (std::size_t c = 0; c < n; ++c) {
      if (c > 0) line += kGap;
      pad_to(line, fit(cells[c], widths[c]), widths[c], kColumns[c].right);
    }
    end_line(line);
    out += line;
  };
  std::array<std::string_view, n> header;
  std::array<std::string, n> rule;
  for (std::size_t c = 0; c < n; ++c) {
    header[c] = kColumns[c].header;
    rule[c] = std::string(static_cast<std::size_t>(widths[c]), '-');
  }
  emit(header);
  emit(rule);
  for (const auto& row : rows)
    emit(row);
  return out;
}

std::string format_csv(const std::vector<domain::Recommendation>& recs) {
  std::string out = "Title,Year,tmdbID,Directors\n";
  for (const domain::Recommendation& rec : recs) {
    out += csv_field(rec.movie.title);
    out += ',';
    out += year_text(rec);
    out += ',';
    out += std::to_string(rec.movie.tmdb_id);
    out += ',';
    out += csv_field(fmt::format("{}", fmt::join(rec.directors, ", ")));
    out += '\n';
  }
  return out;
}

std::string render_progress(const pipeline::Progress& progress, int width, bool tty) {
  const auto part = [](int done, int of) {
    if (of <= 0) return 0.0;
    return std::clamp(static_cast<double>(done) / of, 0.0, 1.0);
  };
  const double fraction = 0.5 * part(progress.identified, progress.films) +
                          0.5 * part(progress.seeds_explored, progress.seeds);
  const std::string text = fmt::format(
      "pages {} · films {}/{} identified · seeds {}/{} explored · {} rec{}", progress.pages,
      progress.identified, progress.films, progress.seeds_explored, progress.seeds,
      progress.recommendations, progress.recommendations == 1 ? "" : "s");
  if (!tty) {
    return fmt::format("[{:3d}%] {}\n", static_cast<int>(std::floor(fraction * 100)), text);
  }
  const int filled = static_cast<int>(std::floor(fraction * kBarCells));
  std::string line = "[";
  line.append(static_cast<std::size_t>(filled), '#');
  line.append(static_cast<std::size_t>(kBarCells - filled), '.');
  line += "] ";
  line += text;
  // The last column stays free: some terminals wrap as soon as it is written, and a wrapped line
  // cannot be rewritten with "\r".
  const int columns = (width > 0 ? width : kDefaultProgressWidth) - 1;
  return "\r" + fit(line, columns) + "\x1b[K";
}

}  // namespace lbrec::app
