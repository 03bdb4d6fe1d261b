// Edge cases of the Letterboxd parsers that golden files would only obscure.

#include <gtest/gtest.h>

#include <string>

#include "canonical_json.hpp"
#include "sources/html_document.hpp"

namespace lbrec::sources::letterboxd {
namespace {

// A member films page around `items` (already-rendered li elements).
std::string grid_page(const std::string& items, const std::string& after = "") {
  return "<html><head><title>films</title></head><body class=\"films-watched\" "
         "data-owner=\"sam\"><div class=\"poster-grid\"><ul class=\"grid -p70\">" +
         items + "</ul></div>" + after + "</body></html>";
}

std::string lazy_item(const std::string& attrs, const std::string& viewing = "",
                      const std::string& inner = "") {
  return "<li class=\"griditem\"><div class=\"react-component\" "
         "data-component-class=\"LazyPoster\" " +
         attrs + "><div class=\"poster film-poster\">" + inner + "</div></div>" + viewing + "</li>";
}

GridPage parse_ok(const std::string& html) {
  auto page = parse_grid_page(html);
  if (!page) {
    ADD_FAILURE() << page.error().message;
    return {};
  }
  return *page;
}

TEST(ParserEdgeTitleYear, ParenthesesInsideTheTitleStayInTheTitle) {
  const TitleYear t = split_title_year("Nineteen (1984) (2020)");
  EXPECT_EQ(t.title, "Nineteen (1984)");
  EXPECT_EQ(t.year, 2020);
}

TEST(ParserEdgeTitleYear, NamesWithoutAYear) {
  EXPECT_EQ(split_title_year("Heat").title, "Heat");
  EXPECT_EQ(split_title_year("Heat").year, std::nullopt);
  // Only four digits in parentheses at the very end are a year.
  EXPECT_EQ(split_title_year("Apollo (13)").title, "Apollo (13)");
  EXPECT_EQ(split_title_year("Apollo (13)").year, std::nullopt);
  EXPECT_EQ(split_title_year("(1984) Remix").title, "(1984) Remix");
  EXPECT_EQ(split_title_year("(1984) Remix").year, std::nullopt);
  // The title needs at least one character, so a bare "(2020)" is a title.
  EXPECT_EQ(split_title_year("(2020)").title, "(2020)");
  EXPECT_EQ(split_title_year("(2020)").year, std::nullopt);
}

TEST(ParserEdgeTitleYear, NumbersAccentsAndSpacing) {
  EXPECT_EQ(split_title_year("1917 (2019)").title, "1917");
  EXPECT_EQ(split_title_year("1917 (2019)").year, 2019);
  EXPECT_EQ(split_title_year("  Alien³   (1992) ").title, "Alien³");
  EXPECT_EQ(split_title_year("  Alien³   (1992) ").year, 1992);
  EXPECT_EQ(split_title_year("千と千尋の神隠し (2001)").title, "千と千尋の神隠し");
  EXPECT_EQ(split_title_year("").title, "");
}

TEST(ParserEdgeGrid, RatingClassesOutsideOneToTenAreIgnored) {
  const std::string items =
      lazy_item("data-item-slug=\"a\" data-item-name=\"A (2001)\"",
                "<p class=\"poster-viewingdata\"><span class=\"rating rated-0\"></span></p>") +
      lazy_item("data-item-slug=\"b\" data-item-name=\"B (2002)\"",
                "<p class=\"poster-viewingdata\"><span class=\"rating rated-11\"></span></p>") +
      lazy_item("data-item-slug=\"c\" data-item-name=\"C (2003)\"",
                "<p class=\"poster-viewingdata\"><span class=\"rating rated-x rated-10\">"
                "</span></p>") +
      lazy_item("data-item-slug=\"d\" data-item-name=\"D (2004)\"",
                "<p class=\"poster-viewingdata\"><span class=\"rating rated-07\"></span></p>");
  const GridPage page = parse_ok(grid_page(items));
  ASSERT_EQ(page.items.size(), 4u);
  EXPECT_EQ(page.items[0].rating, std::nullopt);
  EXPECT_EQ(page.items[1].rating, std::nullopt);
  EXPECT_EQ(page.items[2].rating, 10);
  EXPECT_EQ(page.items[3].rating, 7);
}

TEST(ParserEdgeGrid, MalformedIdentifierJsonFallsBackToOtherAttributes) {
  // "&quot;uid&quot;:&quot;film:5" is cut short: invalid JSON once decoded.
  const std::string items =
      lazy_item(
          "data-item-slug=\"broken\" data-item-name=\"Broken (1999)\" data-film-id=\"777\" "
          "data-postered-identifier=\"{&quot;lid&quot;:&quot;Ab1&quot;,&quot;uid&quot;:"
          "&quot;film:5\"") +
      lazy_item(
          "data-item-slug=\"also-broken\" data-item-name=\"Also Broken\" "
          "data-postered-identifier=\"{&quot;uid&quot;:&quot;film:5&quot;,}\"",
          "<p class=\"poster-viewingdata\" data-item-uid=\"film:888\"> </p>") +
      lazy_item("data-item-slug=\"not-json\" data-postered-identifier=\"[1,2]\"");
  const GridPage page = parse_ok(grid_page(items));
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[0].film.slug, "broken");
  EXPECT_EQ(page.items[0].film.title, "Broken");
  EXPECT_EQ(page.items[0].film.year, 1999);
  EXPECT_EQ(page.items[0].film.letterboxd_id, 777);
  EXPECT_EQ(page.items[0].film.lid, "");
  EXPECT_EQ(page.items[1].film.letterboxd_id, 888);
  EXPECT_EQ(page.items[1].film.year, std::nullopt);
  EXPECT_EQ(page.items[2].film.letterboxd_id, std::nullopt);
  EXPECT_EQ(page.items[2].film.title, "");
}

TEST(ParserEdgeGrid, OnlyViewingDataLikesAndRatingsCount) {
  const std::string overlay =
      "<span class=\"like-link-target react-component\"><span class=\"like-link icon-like\">"
      "</span></span><span class=\"like\"></span><span class=\"rating rated-9\"></span>";
  const std::string items =
      lazy_item("data-item-slug=\"a\"", "<p class=\"poster-viewingdata\"> </p>", overlay) +
      lazy_item("data-item-slug=\"b\"",
                "<p class=\"poster-viewingdata\"><span class=\"like liked-micro\"></span></p>",
                overlay);
  const GridPage page = parse_ok(grid_page(items));
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_FALSE(page.items[0].liked);
  EXPECT_EQ(page.items[0].rating, std::nullopt);
  EXPECT_TRUE(page.items[1].liked);
}

TEST(ParserEdgeGrid, SlugComesFromLinksWhenTheSlugAttributeIsMissing) {
  const std::string items =
      lazy_item("data-item-link=\"/film/from-item-link/\" data-item-name=\"X (2000)\"") +
      lazy_item("data-target-link=\"https://letterboxd.com/film/from-target/?x=1\"") +
      lazy_item("data-item-slug=\"  \" data-item-link=\"/film/blank-slug-attr/\"");
  const GridPage page = parse_ok(grid_page(items));
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[0].film.slug, "from-item-link");
  EXPECT_EQ(page.items[1].film.slug, "from-target");
  EXPECT_EQ(page.items[2].film.slug, "blank-slug-attr");
}

TEST(ParserEdgeGrid, ItemsWithoutSlugAreSkippedButNotAllOfThem) {
  const std::string good = lazy_item("data-item-slug=\"good\"");
  const std::string bad = lazy_item("data-item-name=\"No Slug (2000)\"");
  const GridPage page = parse_ok(grid_page(bad + good));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].film.slug, "good");

  const auto none = parse_grid_page(grid_page(bad + bad));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, core::ErrorCode::kParseError);
}

TEST(ParserEdgeGrid, BarePostersWithoutListItems) {
  const std::string html =
      "<html><body data-owner=\"sam\"><section>"
      "<div class=\"react-component\" data-component-class=\"LazyPoster\" data-item-slug=\"one\" "
      "data-item-name=\"One (2001)\"><div data-item-slug=\"nested-dup\"></div></div>"
      "<p class=\"poster-viewingdata\"><span class=\"rating rated-6\"></span></p>"
      "<div class=\"film-poster\" data-film-slug=\"two\" data-film-name=\"Two\"></div>"
      "</section></body></html>";
  const GridPage page = parse_ok(html);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].film.slug, "one");
  EXPECT_EQ(page.items[0].rating, 6);
  EXPECT_EQ(page.items[1].film.slug, "two");
  EXPECT_EQ(page.items[1].rating, std::nullopt);
  EXPECT_EQ(page.markup, Markup::kCurrent);
}

TEST(ParserEdgeGrid, PaginationIgnoresTheEllipsisAndJunk) {
  const std::string pagination =
      "<div class=\"pagination\"><div class=\"paginate-pages\"><ul>"
      "<li class=\"paginate-page paginate-current\"><span>1</span></li>"
      "<li class=\"paginate-page unseen-pages\">&hellip;</li>"
      "<li class=\"paginate-page\"><a href=\"/sam/films/page/12/\">12</a></li>"
      "<li class=\"paginate-page\"><a>99999999999999999999</a></li></ul></div></div>";
  const GridPage page = parse_ok(grid_page(lazy_item("data-item-slug=\"a\""), pagination));
  EXPECT_EQ(page.page_count, 12);
}

TEST(ParserEdgeGrid, NotAGridPage) {
  for (const std::string& html :
       {std::string(), std::string("not html at all"),
        std::string("<html><body data-owner=\"sam\"><p>Hello</p></body></html>"),
        std::string("<html><body><div class=\"poster-grid\"><ul class=\"grid\"></ul></div>"
                    "</body></html>"),
        grid_page("<li class=\"filmtile\"><a href=\"/film/x/\">X</a></li>")}) {
    const auto page = parse_grid_page(html);
    ASSERT_FALSE(page) << html;
    EXPECT_EQ(page.error().code, core::ErrorCode::kParseError);
    EXPECT_FALSE(page.error().message.empty());
  }
}

TEST(ParserEdgeGrid, OversizedInputIsRefused) {
  const std::string huge(HtmlDocument::kDefaultMaxBytes + 1, ' ');
  const auto page = parse_grid_page(huge);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, core::ErrorCode::kParseError);
}

TEST(ParserEdgeGrid, TotalFilmsWithThousandsSeparator) {
  const std::string html =
      "<html><body data-owner=\"sam\"><div id=\"content-nav\"><h1 class=\"section-heading\">"
      "<span class=\"tooltip\" data-original-title=\"1,234&nbsp;films\">Watched</span></h1>"
      "</div><div class=\"poster-grid\"><ul class=\"grid\"></ul></div></body></html>";
  const GridPage page = parse_ok(html);
  EXPECT_EQ(page.total_films, 1234);
  EXPECT_TRUE(page.items.empty());
}

std::string rss(const std::string& items) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:letterboxd=\"https://letterboxd.com\" "
         "xmlns:tmdb=\"https://themoviedb.org\"><channel><title>t</title>" +
         items + "</channel></rss>";
}

TEST(ParserEdgeRss, OffScaleRatingsAreUnrated) {
  std::string items;
  for (const char* r : {"2.75", "0.0", "5.5", "abc", "4.5", "0.5"}) {
    items += std::string(
                 "<item><link>https://letterboxd.com/sam/film/x/</link>"
                 "<letterboxd:watchedDate>2026-01-01</letterboxd:watchedDate>"
                 "<letterboxd:memberRating>") +
             r + "</letterboxd:memberRating></item>";
  }
  const auto entries = parse_rss(rss(items));
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 6u);
  EXPECT_EQ((*entries)[0].rating, std::nullopt);
  EXPECT_EQ((*entries)[1].rating, std::nullopt);
  EXPECT_EQ((*entries)[2].rating, std::nullopt);
  EXPECT_EQ((*entries)[3].rating, std::nullopt);
  EXPECT_EQ((*entries)[4].rating, 9);
  EXPECT_EQ((*entries)[5].rating, 1);
}

TEST(ParserEdgeRss, RewatchLinksCarryAViewingNumber) {
  const auto entries =
      parse_rss(rss("<item><link>https://letterboxd.com/sam/film/heat/2/</link>"
                    "<letterboxd:watchedDate>2026-01-01</letterboxd:watchedDate>"
                    "<letterboxd:rewatch>Yes</letterboxd:rewatch></item>"));
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].film.slug, "heat");
  EXPECT_TRUE((*entries)[0].rewatch);
  EXPECT_EQ((*entries)[0].film.tmdb_id, std::nullopt);
}

TEST(ParserEdgeRss, MalformedOrForeignXmlIsAParseError) {
  for (const std::string& xml :
       {std::string("<rss><channel><item></channel></rss>"), std::string(""),
        std::string("<html><body>Just a moment...</body></html>"),
        std::string("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"/>")}) {
    const auto entries = parse_rss(xml);
    ASSERT_FALSE(entries) << xml;
    EXPECT_EQ(entries.error().code, core::ErrorCode::kParseError);
  }
  const auto empty = parse_rss(rss(""));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

std::string film_html(const std::string& head, const std::string& body,
                      const std::string& body_attrs = "") {
  return "<html><head>" + head + "</head><body class=\"film\"" + body_attrs + ">" + body +
         "</body></html>";
}

constexpr const char* kMovieType = "<meta property=\"og:type\" content=\"video.movie\">";

TEST(ParserEdgeFilmPage, MissingOrOtherOgTypeIsNotFound) {
  for (const std::string& html :
       {film_html("", "<h1 class=\"primaryname\"><span class=\"name\">X</span></h1>"),
        film_html("<meta property=\"og:type\" content=\"letterboxd:list\">", "")}) {
    const auto page = parse_film_page(html);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, core::ErrorCode::kNotFound);
  }
}

TEST(ParserEdgeFilmPage, MalformedJsonLdFallsBackToMarkup) {
  const std::string html = film_html(
      std::string(kMovieType) +
          "<meta property=\"og:title\" content=\"Fallback Film (1999)\">"
          "<meta property=\"og:url\" content=\"https://letterboxd.com/film/fallback-film/\">",
      "<script type=\"application/ld+json\">/* <![CDATA[ */ {\"name\": \"Broken\", } /* ]]> */"
      "</script><div id=\"tab-genres\"><a href=\"/films/genre/drama/\">Drama</a>"
      "<a href=\"/films/mini-theme/x/\">Mini theme</a></div>"
      "<p class=\"text-link text-footer\">1&nbsp;min &nbsp;More at "
      "<a data-track-action=\"tmdb\" href=\"https://www.themoviedb.org/tv/1399-got/\">TMDB</a>"
      "<a data-track-action=\"imdb\" href=\"https://www.imdb.com/title/tt0944947/\">IMDb</a></p>");
  const auto page = parse_film_page(html);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->film.slug, "fallback-film");
  EXPECT_EQ(page->film.title, "Fallback Film");
  EXPECT_EQ(page->film.year, 1999);
  EXPECT_EQ(page->film.tmdb_id, 1399);
  EXPECT_TRUE(page->film.is_tv);
  EXPECT_EQ(page->imdb_id, "tt0944947");
  EXPECT_EQ(page->genres, std::vector<std::string>{"Drama"});
  EXPECT_EQ(page->runtime, 1);
  EXPECT_EQ(page->average_rating, std::nullopt);
  EXPECT_EQ(page->film.letterboxd_id, std::nullopt);
}

TEST(ParserEdgeFilmPage, RelatedFilmPostersDoNotLendTheirIds) {
  const std::string html = film_html(
      std::string(kMovieType) +
          "<meta property=\"og:url\" content=\"https://letterboxd.com/film/mine/\">",
      "<section class=\"related-films\"><ul><li class=\"posteritem\"><div "
      "data-item-slug=\"other\" data-postered-identifier=\"{&quot;uid&quot;:&quot;film:1&quot;}"
      "\"></div></li></ul></section>"
      "<div data-item-slug=\"other2\" data-postered-identifier=\"{&quot;uid&quot;:&quot;film:2"
      "&quot;}\"></div>"
      "<a class=\"report-link\" data-report-url=\"/ajax/film:4242/report-form\">Report</a>");
  const auto page = parse_film_page(html);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->film.letterboxd_id, 4242);
}

TEST(ParserEdgeFilmPage, AverageOnlyFromPlausibleValues) {
  const std::string html =
      film_html(std::string(kMovieType) + "<meta name=\"twitter:data2\" content=\"7.5 out of 5\">",
                "<script type=\"application/ld+json\">{\"@type\":\"Movie\",\"aggregateRating\":"
                "{\"ratingValue\":\"3.25\"}}</script>");
  const auto page = parse_film_page(html);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->average_rating, 3.25);
}

TEST(ParserEdgeBlock, StatusHeaderAndBodyCombinations) {
  const std::string challenge =
      "<html><head><title>Just a moment...</title></head><body></body></html>";
  EXPECT_EQ(detect_block(503, "", challenge), PageBlock::kChallenge);
  EXPECT_EQ(detect_block(200, "", challenge), PageBlock::kChallenge);
  EXPECT_EQ(detect_block(200, "challenge", "<html></html>"), PageBlock::kChallenge);
  EXPECT_EQ(detect_block(403, "Challenge", ""), PageBlock::kChallenge);
  EXPECT_EQ(detect_block(429, "", ""), PageBlock::kRateLimited);
  EXPECT_EQ(detect_block(403, "", "<h1>Error 1015</h1>"), PageBlock::kRateLimited);
  EXPECT_EQ(detect_block(403, "", "<p>Please verify you are human</p>"), PageBlock::kChallenge);
  EXPECT_EQ(detect_block(403, "",
                         "<title>Access denied | letterboxd.com used Cloudflare to restrict "
                         "access</title>"),
            PageBlock::kChallenge);
  // Member-written text on a normal page may quote the markers.
  EXPECT_EQ(detect_block(200, "",
                         "<html><head><title>Review by sam</title></head><body>It made me verify "
                         "you are human, Just a moment... Error 1015</body></html>"),
            PageBlock::kNone);
  EXPECT_EQ(detect_block(503, "", "<html><body>Service unavailable</body></html>"),
            PageBlock::kNone);
  EXPECT_EQ(detect_block(200, "", ""), PageBlock::kNone);
  EXPECT_EQ(detect_block(200, "", "<title>unterminated"), PageBlock::kNone);
}

}  // namespace
}  // namespace lbrec::sources::letterboxd
