// Golden-file tests for the Letterboxd parsers.
//
// Every fixtures/letterboxd/<case>.html (or .xml) is parsed by the parser its name selects:
//   films_*, likes_*, watchlist_*  parse_grid_page
//   rss*                           parse_rss
//   film_*                         parse_film_page
//   block_*                        detect_block, with the status and cf-mitigated header taken
//                                  from <case>.meta.json: {"status":403,"cf_mitigated":"challenge"}
// The result is written as canonical JSON (canonical_json.hpp; errors as {"error":"<code>"}) and
// compared with <case>.expected.json.
//
// After an intended parser change, rewrite the expected files and then REVIEW the diff:
//   LBREC_UPDATE_GOLDEN=1 build/<dir>/tests/unit/letterboxd_parser_tests --gtest_filter='*Golden*'
//   git diff fixtures/letterboxd/

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "canonical_json.hpp"

namespace lbrec::sources::letterboxd {
namespace {

namespace fs = std::filesystem;

fs::path fixture_dir() {
  return fs::path(LBREC_SOURCE_DIR) / "fixtures" / "letterboxd";
}

bool update_mode() {
  const char* v = std::getenv("LBREC_UPDATE_GOLDEN");
  return v != nullptr && std::string_view(v) == "1";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Input files, by case name ("films_page1_modern.html").
std::vector<std::string> fixture_inputs() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fixture_dir(), ec)) {
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    if (ext == ".html" || ext == ".xml") out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path sibling(const std::string& input, std::string_view suffix) {
  const fs::path p(input);
  return fixture_dir() / (p.stem().string() + std::string(suffix));
}

boost::json::value run_parser(const std::string& input, const std::string& content) {
  if (input.starts_with("films_") || input.starts_with("likes_") ||
      input.starts_with("watchlist_")) {
    return testing::to_json(parse_grid_page(content));
  }
  if (input.starts_with("rss")) return testing::to_json(parse_rss(content));
  if (input.starts_with("film_")) return testing::to_json(parse_film_page(content));
  if (input.starts_with("block_")) {
    const fs::path meta_path = sibling(input, ".meta.json");
    boost::system::error_code ec;
    const boost::json::value meta = boost::json::parse(read_file(meta_path), ec);
    EXPECT_FALSE(ec) << meta_path << ": " << ec.message();
    int status = 200;
    std::string cf;
    if (const auto* o = meta.if_object()) {
      if (const auto* s = o->if_contains("status"); s && s->is_int64()) {
        status = static_cast<int>(s->get_int64());
      }
      if (const auto* c = o->if_contains("cf_mitigated"); c && c->is_string()) {
        cf = std::string(c->get_string());
      }
    }
    return testing::to_json(detect_block(status, cf, content));
  }
  ADD_FAILURE() << input << ": no parser for this name prefix";
  return nullptr;
}

class LetterboxdGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(LetterboxdGolden, MatchesExpected) {
  const std::string input = GetParam();
  const boost::json::value actual = run_parser(input, read_file(fixture_dir() / input));
  const fs::path expected_path = sibling(input, ".expected.json");
  const std::string actual_text = testing::pretty(actual);
  if (update_mode()) {
    std::ofstream(expected_path, std::ios::binary) << actual_text;
    GTEST_SKIP() << "rewrote " << expected_path << "; review the diff";
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << expected_path << " is missing; run with LBREC_UPDATE_GOLDEN=1 and review it";
  boost::system::error_code ec;
  const boost::json::value expected = boost::json::parse(read_file(expected_path), ec);
  ASSERT_FALSE(ec) << expected_path << ": " << ec.message();
  EXPECT_EQ(actual, expected) << "actual:\n" << actual_text;
}

std::string case_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c) && c != '_'; }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LetterboxdGolden, ::testing::ValuesIn(fixture_inputs()),
                         case_name);

// The cases docs/upstreams/letterboxd.md §12 asks for stay present.
TEST(LetterboxdGoldenSet, CoversTheChecklist) {
  const auto inputs = fixture_inputs();
  for (const char* required : {"films_page1_modern.html",
                               "films_page_last.html",
                               "films_single_page.html",
                               "films_empty.html",
                               "films_apr2026.html",
                               "films_lazyposter_2025.html",
                               "films_legacy.html",
                               "films_hydrated_overlay.html",
                               "films_unknown_markup.html",
                               "watchlist_page1.html",
                               "likes_page1.html",
                               "rss.xml",
                               "film_sample_movie.html",
                               "film_tmdb_anchor_2024.html",
                               "film_tv.html",
                               "film_no_jsonld.html",
                               "film_not_a_film.html",
                               "block_cloudflare_403.html",
                               "block_ratelimit_429.html",
                               "block_user_404.html",
                               "block_private_403.html"}) {
    EXPECT_TRUE(std::find(inputs.begin(), inputs.end(), required) != inputs.end()) << required;
  }
  for (const auto& input : inputs) {
    if (input.starts_with("block_")) {
      EXPECT_TRUE(fs::exists(sibling(input, ".meta.json"))) << input;
    }
  }
}

}  // namespace
}  // namespace lbrec::sources::letterboxd
