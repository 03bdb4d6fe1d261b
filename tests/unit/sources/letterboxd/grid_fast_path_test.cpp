// The grid parser's byte scanner must read every page it accepts exactly as the libxml2 DOM walk
// does, accept the pages Letterboxd (and the fake world) actually serve, and step aside on markup
// it cannot be sure about.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "canonical_json.hpp"
#include "fakeworld/letterboxd_site.hpp"
#include "fakeworld/world.hpp"
#include "sources/letterboxd/grid_parser.hpp"

namespace lbrec::sources::letterboxd {
namespace {

using testing::to_json;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Both paths on one page: when the fast one answers, it answers like the reference.
void expect_same(const std::string& html, const std::string& what, bool fast_expected) {
  const auto dom = detail::parse_grid_page_dom(html);
  const auto fast = detail::parse_grid_page_fast(html);
  if (fast_expected) {
    EXPECT_TRUE(fast.has_value()) << what << ": the fast path stepped aside";
  }
  if (fast) {
    EXPECT_EQ(boost::json::serialize(to_json(core::Result<GridPage>(*fast))),
              boost::json::serialize(to_json(dom)))
        << what;
  }
  EXPECT_EQ(boost::json::serialize(to_json(parse_grid_page(html))),
            boost::json::serialize(to_json(dom)))
      << what;
}

TEST(GridFastPath, AgreesWithTheDomOnEveryGridFixture) {
  const std::filesystem::path dir =
      std::filesystem::path(LBREC_SOURCE_DIR) / "fixtures" / "letterboxd";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".html") continue;
    if (!(name.starts_with("films_") || name.starts_with("likes_") ||
          name.starts_with("watchlist_")))
      continue;
    expect_same(read_file(entry.path()), name, false);
    ++checked;
  }
  EXPECT_GE(checked, 12);
}

TEST(GridFastPath, TakesEveryFakeWorldPageAndAgrees) {
  const auto world = fakeworld::World::generate({.seed = 17, .films = 1500, .users = 10});
  int pages = 0;
  for (const char* name :
       {"demo", "legacy_fan", "lazy_poster", "shapeshifter", "one_film", "no_ratings"}) {
    const fakeworld::User* u = world->user(name);
    ASSERT_NE(u, nullptr);
    const int film_pages = std::max<int>(1, static_cast<int>((u->films.size() + 71) / 72));
    for (int p = 1; p <= film_pages; ++p) {
      for (const std::string base : {"/films/", "/watchlist/", "/likes/films/"}) {
        fakeworld::FakeRequest req;
        req.path = "/" + u->name + base + (p == 1 ? "" : "page/" + std::to_string(p) + "/");
        std::string route;
        const auto reply = fakeworld::serve_letterboxd(*world, req, route);
        if (reply.status != 200) continue;
        const bool has_items = reply.body.find("data-item-slug") != std::string::npos ||
                               reply.body.find("data-film-slug") != std::string::npos;
        expect_same(reply.body, req.path, has_items);
        ++pages;
      }
    }
  }
  EXPECT_GE(pages, 20);
}

std::string sample_item(const std::string& attrs_extra = "") {
  return "<li class=\"griditem\"><div class=\"react-component\" "
         "data-component-class=\"LazyPoster\" "
         "data-item-slug=\"sample-movie\" data-item-name=\"Sample Movie (2021)\" " +
         attrs_extra +
         " data-postered-identifier=\"{&quot;lid&quot;:&quot;Zq7k&quot;,&quot;uid&quot;:&quot;film:"
         "424242&quot;}\">"
         "</div><p class=\"poster-viewingdata\" data-item-uid=\"film:424242\">"
         "<span class=\"rating -micro rated-7\">x</span></p></li>";
}

std::string page_with(const std::string& items) {
  return "<html><body data-owner=\"sam\"><div class=\"poster-grid\"><ul class=\"grid\">" + items +
         "</ul></div></body></html>";
}

TEST(GridFastPath, ReadsAWellFormedPage) {
  const auto page = detail::parse_grid_page_fast(page_with(sample_item() + sample_item()));
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].film.slug, "sample-movie");
  EXPECT_EQ(page->items[0].film.title, "Sample Movie");
  EXPECT_EQ(page->items[0].film.year, 2021);
  EXPECT_EQ(page->items[0].film.letterboxd_id, 424242);
  EXPECT_EQ(page->items[0].film.lid, "Zq7k");
  EXPECT_EQ(page->items[0].rating, 7);
  EXPECT_EQ(page->owner, "sam");
}

TEST(GridFastPath, StepsAsideOnMarkupItCannotBeSureAbout) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"CR LF line endings", page_with(sample_item()) + "\r\n"},
      {"an unknown entity in a value it reads",
       "<html><body data-owner=\"sam\"><ul class=\"grid\"><li class=\"griditem\"><div "
       "data-item-slug=\"cafe\" data-item-name=\"Caf&eacute; "
       "(2021)\"></div></li></ul></body></html>"},
      {"upper-case attribute names", page_with(sample_item("DATA-FILM-ID=\"1\""))},
      {"a valueless attribute in an item", page_with(sample_item("hidden"))},
      {"a list inside an item", page_with("<li class=\"griditem\"><ul><li>x</li></ul></li>")},
      {"invalid UTF-8", page_with(sample_item("data-x=\"\xff\""))},
      {"a NUL byte", page_with(sample_item()) + std::string(1, '\0')},
      {"a CDATA section", page_with(sample_item() + "<![CDATA[x]]>")},
      {"an unterminated comment", page_with(sample_item()) + "<!-- open"},
      {"no items", page_with("")},
  };
  for (const auto& [what, html] : cases) {
    EXPECT_FALSE(detail::parse_grid_page_fast(html).has_value()) << what;
    // And the public parser still answers, through the DOM walk.
    const auto via_parser = parse_grid_page(html);
    const auto via_dom = detail::parse_grid_page_dom(html);
    EXPECT_EQ(boost::json::serialize(to_json(via_parser)), boost::json::serialize(to_json(via_dom)))
        << what;
  }
}

TEST(GridFastPath, UnknownEntitiesInValuesNobodyReadsChangeNothing) {
  expect_same(page_with(sample_item("data-x=\"&eacute;\"")), "unread attribute", true);
}

TEST(GridFastPath, ScriptsAndCommentsDoNotCreateItems) {
  const std::string html =
      page_with(sample_item() +
                "<script>var t = '<li class=\"griditem\"><div data-item-slug=\"fake\">';</script>"
                "<!-- <li class=\"griditem\"><div data-item-slug=\"ghost\"> -->");
  expect_same(html, "script and comment", true);
  EXPECT_EQ(detail::parse_grid_page_fast(html)->items.size(), 1u);
}

}  // namespace
}  // namespace lbrec::sources::letterboxd

namespace lbrec::sources::letterboxd {
namespace {

// Differential test: damaged pages either make the fast path step aside or read identically.
TEST(GridFastPath, DamagedPagesNeverReadDifferently) {
  const auto world = fakeworld::World::generate({.seed = 23, .films = 800, .users = 2});
  std::vector<std::string> pages;
  for (const char* name : {"demo", "legacy_fan", "lazy_poster"}) {
    fakeworld::FakeRequest req;
    req.path = std::string("/") + name + "/films/";
    std::string route;
    pages.push_back(fakeworld::serve_letterboxd(*world, req, route).body);
  }
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  const auto next = [&](std::uint64_t n) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state % n;
  };
  static constexpr std::string_view kInserts[] = {"<",
                                                  ">",
                                                  "&",
                                                  "\"",
                                                  "'",
                                                  "</li>",
                                                  "<li class=\"griditem\">",
                                                  "<p>",
                                                  "</p>",
                                                  "&amp;",
                                                  "&#x41;",
                                                  "<!--",
                                                  "-->",
                                                  "=",
                                                  " ",
                                                  "<p class=\"poster-viewingdata\">",
                                                  "\xc3",
                                                  "<script>"};
  // LBREC_DIFF_ROUNDS raises the count for a longer hunt; the default keeps the suite quick.
  const char* env = std::getenv("LBREC_DIFF_ROUNDS");
  const int rounds = env != nullptr ? std::max(1, std::atoi(env)) : 800;
  int accepted = 0;
  for (int round = 0; round < rounds; ++round) {
    std::string page = pages[next(pages.size())];
    for (int edits = 1 + static_cast<int>(next(4)); edits > 0; --edits) {
      const std::size_t at = next(page.size());
      switch (next(3)) {
        case 0:
          page.insert(at, kInserts[next(std::size(kInserts))]);
          break;
        case 1:
          page.erase(at, 1 + next(40));
          break;
        default:
          page.resize(std::max<std::size_t>(at, page.size() / 2));
      }
    }
    const auto fast = detail::parse_grid_page_fast(page);
    if (!fast) continue;
    ++accepted;
    const auto dom = detail::parse_grid_page_dom(page);
    ASSERT_EQ(boost::json::serialize(to_json(core::Result<GridPage>(*fast))),
              boost::json::serialize(to_json(dom)))
        << "round " << round;
  }
  EXPECT_GT(accepted, rounds / 12);  // the comparison must actually happen on many damaged pages
}

}  // namespace
}  // namespace lbrec::sources::letterboxd
