// `lbrec recommend` output: the table, the importable CSV and the progress line.

#include "app/recommend_output.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lbrec::app {
namespace {

using domain::Monetization;

domain::Recommendation rec(std::string title, std::string date, std::vector<std::string> directors,
                           double rating = 7.5) {
  domain::Recommendation r;
  r.movie.tmdb_id = 100;
  r.movie.title = std::move(title);
  r.movie.release_date = std::move(date);
  r.movie.vote_average = rating;
  r.directors = std::move(directors);
  r.reason = "Since you liked Arrival";
  return r;
}

domain::Availability offers(std::vector<domain::StreamingOffer> list) {
  domain::Availability a;
  a.country = "US";
  a.offers = std::move(list);
  a.source = domain::StreamingSource::kJustWatch;
  return a;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The terminal column at which `needle` starts in `line`.
int column_of(const std::string& line, const std::string& needle) {
  const std::size_t at = line.find(needle);
  EXPECT_NE(at, std::string::npos) << needle << " not in " << line;
  return display_width(std::string_view(line).substr(0, at));
}

// True when `text` holds a control character other than the `allowed` ones (C0, DEL or C1,
// UTF-8 encoded) or anything that is not UTF-8 (a lone 0x9B byte is CSI to some terminals).
bool has_control(std::string_view text, std::string_view allowed = "\n") {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t length = b < 0x80                 ? 1
                         : b >= 0xC2 && b <= 0xDF ? 2
                         : b >= 0xE0 && b <= 0xEF ? 3
                         : b >= 0xF0 && b <= 0xF4 ? 4
                                                  : 0;
    if (length == 0 || i + length > text.size()) return true;
    char32_t cp = length == 1 ? b : b & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return true;
      cp = (cp << 6) | (c & 0x3F);
    }
    const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    if (control && (cp >= 0x80 || allowed.find(static_cast<char>(cp)) == std::string_view::npos))
      return true;
    i += length;
  }
  return false;
}

TEST(HasControl, TheTestsOwnCheckerSeesEveryKind) {
  EXPECT_FALSE(has_control("Amélie 千と千尋の神隠し Мастер\n"));
  EXPECT_TRUE(has_control("a\x1b"));
  EXPECT_TRUE(has_control("a\r"));
  EXPECT_TRUE(has_control("a\x7f"));
  EXPECT_TRUE(has_control("a\xc2\x9b"));
  EXPECT_TRUE(has_control("a\x9b"));
  EXPECT_TRUE(has_control("a\n", ""));
}

TEST(DisplayWidth, CountsCodePointsWideCharactersTwiceAndCombiningMarksNotAtAll) {
  EXPECT_EQ(display_width("Blade Runner"), 12);
  EXPECT_EQ(display_width("Amélie"), 6);
  EXPECT_EQ(display_width("Ame\u0301lie"), 6);  // e + combining acute
  EXPECT_EQ(display_width("Мастер и Маргарита"), 18);
  EXPECT_EQ(display_width("千と千尋の神隠し"), 16);
  EXPECT_EQ(display_width("기생충"), 6);
  EXPECT_EQ(display_width("\xff"), 1);  // an invalid byte shows as one replacement character
}

TEST(SanitizeText, ReplacesEveryControlCharacterWithASpace) {
  EXPECT_EQ(sanitize_text("a\x1b[2Jb"), "a [2Jb");
  EXPECT_EQ(sanitize_text("a\rb\nc\td\x07"), "a b c d ");
  EXPECT_EQ(sanitize_text("a\x7f"), "a ");
  EXPECT_EQ(sanitize_text("a\xc2\x9b"
                          "31mb"),
            "a 31mb");                                 // C1 CSI, UTF-8 encoded
  EXPECT_EQ(sanitize_text("a\x9b"), "a\xef\xbf\xbd");  // a raw CSI byte is invalid UTF-8
  EXPECT_EQ(sanitize_text("a\u202eb"), "a b");         // right-to-left override
  EXPECT_EQ(sanitize_text("Amélie 千と千尋"), "Amélie 千と千尋");  // text is left alone
}

TEST(FormatTable, ColumnsLineUpWithAccentedAndCjkTitles) {
  std::vector<domain::Recommendation> recs = {
      rec("Amélie", "2001-04-25", {"Jean-Pierre Jeunet"}, 7.9),
      rec("千と千尋の神隠し", "2001-07-20", {"宮崎駿"}, 8.5),
      rec("Blade Runner 2049", "2017-10-04", {"Denis Villeneuve"}, 7.54),
      rec("Мастер и Маргарита", "2024-01-25", {"Михаил Локшин"}, 7.1),
  };
  const auto lines = lines_of(format_table(recs));
  ASSERT_EQ(lines.size(), 6u);
  const int year = column_of(lines[0], "Year");
  const int director = column_of(lines[0], "Director");
  EXPECT_EQ(column_of(lines[0], "Title"), column_of(lines[2], "Amélie"));
  EXPECT_EQ(column_of(lines[2], "2001"), year);
  EXPECT_EQ(column_of(lines[3], "2001"), year);
  EXPECT_EQ(column_of(lines[4], "2017"), year);
  EXPECT_EQ(column_of(lines[5], "2024"), year);
  EXPECT_EQ(column_of(lines[2], "Jean-Pierre"), director);
  EXPECT_EQ(column_of(lines[3], "宮崎駿"), director);
  EXPECT_EQ(column_of(lines[5], "Михаил"), director);
  // Rank and rating are right-aligned; the rating has one decimal.
  EXPECT_EQ(lines[2].substr(0, 1), "1");
  const int tmdb_end = column_of(lines[0], "TMDB") + 4;
  EXPECT_EQ(column_of(lines[4], "7.5") + 3, tmdb_end);
  EXPECT_EQ(column_of(lines[3], "8.5") + 3, tmdb_end);
  // The separator row is dashes and gaps only.
  EXPECT_EQ(lines[1].find_first_not_of("- "), std::string::npos);
  for (const auto& line : lines)
    EXPECT_NE(line.back(), ' ') << line;
}

TEST(FormatTable, WhereItStreams) {
  std::vector<domain::Recommendation> recs(5, rec("Film", "2000-01-01", {"A"}));
  recs[0].streaming = offers({{"Netflix", 8, Monetization::kFlatrate},
                              {"Pluto TV", 300, Monetization::kAds},
                              {"Apple TV", 2, Monetization::kRent}});
  recs[1].streaming =
      offers({{"Apple TV", 2, Monetization::kRent}, {"Google Play Movies", 3, Monetization::kBuy}});
  recs[2].streaming = offers({});
  recs[3].streaming.reset();
  recs[4].streaming = domain::Availability{.country = "US", .lookup_failed = true};
  const auto lines = lines_of(format_table(recs, {.max_width = 200}));
  ASSERT_EQ(lines.size(), 7u);
  const int col = column_of(lines[0], "Streaming");
  EXPECT_EQ(column_of(lines[2], "Netflix, Pluto TV  "), col);
  EXPECT_EQ(lines[2].find("Apple TV"), std::string::npos);
  EXPECT_EQ(column_of(lines[3], "rent: Apple TV, Google Play Movies"), col);
  EXPECT_EQ(column_of(lines[4], "-  "), col);
  EXPECT_EQ(column_of(lines[5], "-  "), col);
  EXPECT_EQ(column_of(lines[6], "?  "), col);
}

TEST(FormatTable, LongCellsAreCutWithAnEllipsisToFitTheWidth) {
  auto long_one =
      rec(std::string(80, 'T'), "1999-01-01", {"Director With A Very Long Name Indeed"});
  long_one.reason = "Because you loved " + std::string(100, 'R');
  auto cjk = rec("千と千尋の神隠し千と千尋の神隠し千と千尋の神隠し", "2001-07-20", {"宮崎駿"});
  std::vector<domain::Recommendation> recs = {long_one, cjk};
  for (int width : {60, 80, 120}) {
    const std::string table = format_table(recs, {.max_width = width});
    const auto lines = lines_of(table);
    ASSERT_EQ(lines.size(), 4u);
    for (const auto& line : lines)
      EXPECT_LE(display_width(line), width) << line;
    EXPECT_NE(lines[2].find("TTT…"), std::string::npos) << lines[2];
    EXPECT_EQ(lines[2].substr(lines[2].size() - 3), "…") << lines[2];  // the reason
    EXPECT_NE(lines[3].find("…"), std::string::npos) << lines[3];
    EXPECT_EQ(column_of(lines[2], "1999"), column_of(lines[3], "2001"));
  }
}

TEST(FormatTable, UnknownWidthMeans120) {
  std::vector<domain::Recommendation> recs = {rec(std::string(300, 'x'), "", {})};
  for (const auto& line : lines_of(format_table(recs, {.max_width = 0})))
    EXPECT_LE(display_width(line), 120);
}

TEST(FormatTable, AHostileTitleCannotInjectTerminalControls) {
  auto evil =
      rec("Evil\x1b]0;pwned\x07\rFake title\x1b[2J\x9b"
          "31m\xc2\x9b"
          "1m",
          "2020-01-01", {"Dir\x1b[31mector\n"});
  evil.reason = "Since you liked \x1b[5mX\x7f";
  evil.streaming = offers({{"Net\rflix\x1b[K", 8, Monetization::kFlatrate}});
  const std::string table = format_table({evil});
  EXPECT_FALSE(has_control(table)) << table;
  EXPECT_EQ(lines_of(table).size(), 3u);
  EXPECT_NE(table.find("Evil ]0;pwned  Fake title [2J"), std::string::npos) << table;
}

TEST(FormatTable, AFilmWithoutVotesHasNoRating) {
  auto unrated = rec("New", "2025-01-01", {"A"}, 0);
  unrated.movie.vote_count = 0;
  auto rated = rec("Old", "1970-01-01", {"B"}, 6.25);
  rated.movie.vote_count = 40;
  const auto lines = lines_of(format_table({unrated, rated}));
  const int tmdb_end = column_of(lines[0], "TMDB") + 4;
  EXPECT_EQ(column_of(lines[2], "-  "), tmdb_end - 1);
  EXPECT_EQ(column_of(lines[3], "6.2  "), tmdb_end - 3);
}

TEST(FormatTable, NoRecommendationsIsJustTheHeader) {
  EXPECT_EQ(lines_of(format_table({})).size(), 2u);
}

TEST(FormatCsv, LetterboxdImportHeaderAndRows) {
  std::vector<domain::Recommendation> recs = {
      rec("Arrival", "2016-11-10", {"Denis Villeneuve"}),
      rec("Fargo", "1996-03-08", {"Joel Coen", "Ethan Coen"}),
      rec("Untitled", "", {}),
  };
  recs[0].movie.tmdb_id = 329865;
  recs[1].movie.tmdb_id = 275;
  recs[2].movie.tmdb_id = 7;
  EXPECT_EQ(format_csv(recs),
            "Title,Year,tmdbID,Directors\n"
            "Arrival,2016,329865,Denis Villeneuve\n"
            "Fargo,1996,275,\"Joel Coen, Ethan Coen\"\n"
            "Untitled,,7,\n");
}

TEST(FormatCsv, QuotesCommasQuotesAndLineBreaks) {
  std::vector<domain::Recommendation> recs = {
      rec("Me, Myself & Irene", "2000-06-23", {"Peter Farrelly"}),
      rec("The \"Real\" Thing", "2001-01-01", {"Dwayne \"The Rock\" Smith"}),
      rec("Line\nBreak\r\nFilm", "2002-01-01", {"A"}),
      rec("Amélie", "2001-04-25", {"Jean-Pierre Jeunet"}),
  };
  const std::string csv = format_csv(recs);
  EXPECT_NE(csv.find("\n\"Me, Myself & Irene\",2000,100,Peter Farrelly\n"), std::string::npos);
  EXPECT_NE(csv.find("\n\"The \"\"Real\"\" Thing\",2001,100,\"Dwayne \"\"The Rock\"\" Smith\"\n"),
            std::string::npos);
  EXPECT_NE(csv.find("\n\"Line\nBreak\r\nFilm\",2002,100,A\n"), std::string::npos);
  EXPECT_NE(csv.find("\nAmélie,2001,100,Jean-Pierre Jeunet\n"), std::string::npos);
}

TEST(FormatCsv, EscapesAndOtherControlsBecomeSpaces) {
  const std::string csv = format_csv({rec("Evil\x1b[2J\x07", "2000-01-01", {"X\x9b"})});
  EXPECT_FALSE(has_control(csv)) << csv;
  EXPECT_NE(csv.find("Evil [2J ,2000"), std::string::npos) << csv;
}

pipeline::Progress progress(int identified, int explored, int recs = 8) {
  pipeline::Progress p;
  p.pages = 14;
  p.films = 1000;
  p.identified = identified;
  p.seeds = 150;
  p.seeds_explored = explored;
  p.recommendations = recs;
  return p;
}

TEST(RenderProgress, TtyIsOneRewritableLine) {
  const std::string line = render_progress(progress(1000, 0), 200, true);
  EXPECT_EQ(line,
            "\r[#####.....] pages 14 · films 1000/1000 identified · seeds 0/150 explored · 8 recs"
            "\x1b[K");
  EXPECT_EQ(render_progress(progress(640, 23), 200, true).substr(0, 13), "\r[###.......]");
  EXPECT_EQ(render_progress(progress(1000, 150), 200, true).substr(0, 13), "\r[##########]");
  EXPECT_EQ(render_progress(pipeline::Progress{}, 200, true).substr(0, 13), "\r[..........]");
}

TEST(RenderProgress, TtyLineNeverWraps) {
  for (int width : {20, 40, 80}) {
    const std::string line = render_progress(progress(640, 23), width, true);
    ASSERT_EQ(line.front(), '\r');
    ASSERT_EQ(line.substr(line.size() - 3), "\x1b[K");
    const std::string body = line.substr(1, line.size() - 4);
    EXPECT_LT(display_width(body), width) << body;
    EXPECT_FALSE(has_control(body, "")) << body;
  }
  EXPECT_LT(display_width(render_progress(progress(640, 23), 0, true)), 80 + 4);
}

TEST(RenderProgress, PlainLineHasNoControlsButTheNewline) {
  const std::string line = render_progress(progress(640, 23, 1), 80, false);
  EXPECT_EQ(line, "[ 39%] pages 14 · films 640/1000 identified · seeds 23/150 explored · 1 rec\n");
  EXPECT_FALSE(has_control(line.substr(0, line.size() - 1), ""));
  EXPECT_EQ(render_progress(progress(1000, 150), 0, false).substr(0, 6), "[100%]");
}

}  // namespace
}  // namespace lbrec::app
