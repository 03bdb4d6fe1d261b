#include "sources/html_document.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lbrec::sources {
namespace {

HtmlDocument parse_html(std::string_view html) {
  auto doc = HtmlDocument::parse(html);
  if (!doc) ADD_FAILURE() << doc.error().message;
  return std::move(doc).value();
}

std::vector<std::string> texts(const std::vector<HtmlDocument::Node>& nodes) {
  std::vector<std::string> out;
  for (const auto& n : nodes)
    out.push_back(n.text());
  return out;
}

constexpr std::string_view kBroken = R"(<html><head><title>Films</title>
<body>
  <div class="poster-list">
    <ul>
      <li class="poster-container"><div class="film-poster" data-film-slug="amelie">Amélie
      <li class="poster-container"><div class="film-poster" data-film-slug="se7en">Se7en
      <li class="poster-container featured"><div class="film-poster" data-film-slug="heat">Heat
    </ul>
  <p>unclosed paragraph <b>bold
)";

TEST(HtmlDocument, BrokenMarkupStillSelectsNodes) {
  const HtmlDocument doc = parse_html(kBroken);
  const auto items = doc.select("//li");
  ASSERT_EQ(items.size(), 3u);
  const auto posters = doc.select("//div[contains(@class,'film-poster')]");
  ASSERT_EQ(posters.size(), 3u);
  EXPECT_EQ(posters[0].attr("data-film-slug"), "amelie");
  EXPECT_EQ(posters[2].attr("data-film-slug"), "heat");
  EXPECT_EQ(doc.evaluate_string("string(//title)"), "Films");
  EXPECT_EQ(doc.select("//b").size(), 1u);
}

TEST(HtmlDocument, EmptyAndTextOnlyInputParse) {
  // libxml2 may or may not build a tree for these, but parsing must not crash and selecting on
  // whatever came back must be safe.
  for (std::string_view input :
       {std::string_view("just text"), std::string_view("<<<>>>"), std::string_view("\0\0", 2)}) {
    auto doc = HtmlDocument::parse(input);
    if (doc) {
      EXPECT_TRUE(doc->select("//li").empty());
    }
  }
}

TEST(HtmlDocument, Utf8TextSurvives) {
  const HtmlDocument doc = parse_html("<p>Amélie — 千と千尋の神隠し</p>");
  EXPECT_EQ(doc.evaluate_string("string(//p)"), "Amélie — 千と千尋の神隠し");
}

TEST(HtmlDocumentNode, AttrDecodesEntities) {
  const HtmlDocument doc = parse_html(
      R"(<div id="a" data-x="{&quot;a&quot;:1}" title="Tom &amp; Jerry &#8212; &eacute;"></div>)");
  const auto div = doc.first("//div[@id='a']");
  ASSERT_TRUE(div.has_value());
  EXPECT_EQ(div->attr("data-x"), R"({"a":1})");
  EXPECT_EQ(div->attr("title"), "Tom & Jerry \u2014 é");
}

TEST(HtmlDocumentNode, AttrOfMissingAttributeIsNullopt) {
  const HtmlDocument doc = parse_html(R"(<a href="/film/heat/" data-empty="">Heat</a>)");
  const auto a = doc.first("//a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->attr("missing"), std::nullopt);
  EXPECT_EQ(a->attr("href"), "/film/heat/");
  // Present but empty is not the same as absent.
  ASSERT_TRUE(a->attr("data-empty").has_value());
  EXPECT_EQ(*a->attr("data-empty"), "");
}

TEST(HtmlDocumentNode, AttrNamesAreCaseInsensitiveInHtml) {
  // The HTML parser lower-cases attribute names.
  const HtmlDocument doc = parse_html(R"(<div DATA-ID="7"></div>)");
  const auto div = doc.first("//div");
  ASSERT_TRUE(div.has_value());
  EXPECT_EQ(div->attr("data-id"), "7");
}

TEST(HtmlDocumentNode, TextConcatenatesDescendantsAndDecodesEntities) {
  const HtmlDocument doc = parse_html("<p id=x>Tom <b>&amp;</b> <i>Jerry</i>&nbsp;!</p>");
  const auto p = doc.first("//p");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->text(), "Tom & Jerry\u00a0!");
  EXPECT_EQ(p->name(), "p");
}

TEST(HtmlDocumentNode, TextOfEmptyElementIsEmpty) {
  const HtmlDocument doc = parse_html("<div><span></span></div>");
  const auto span = doc.first("//span");
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->text(), "");
}

TEST(HtmlDocumentNode, HasClassMatchesWholeWordsOnly) {
  const HtmlDocument doc =
      parse_html(R"(<div id="a" class="film-poster  poster linked"></div><div id="b"></div>)"
                 R"(<div id="c" class="poster-container"></div>)");
  const auto a = doc.first("//div[@id='a']");
  const auto b = doc.first("//div[@id='b']");
  const auto c = doc.first("//div[@id='c']");
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(a->has_class("poster"));
  EXPECT_TRUE(a->has_class("film-poster"));
  EXPECT_TRUE(a->has_class("linked"));
  EXPECT_FALSE(a->has_class("film"));
  EXPECT_FALSE(a->has_class("Poster"));  // class names are case-sensitive
  EXPECT_FALSE(a->has_class("poster linked"));
  EXPECT_FALSE(a->has_class(""));
  EXPECT_FALSE(b->has_class("poster"));  // no class attribute at all
  EXPECT_FALSE(c->has_class("poster"));
  EXPECT_TRUE(c->has_class("poster-container"));
}

TEST(HtmlDocumentNode, HasClassSplitsOnAnyHtmlWhiteSpace) {
  // Templates often break long class lists over lines; HTML separates classes by any white space.
  const HtmlDocument doc = parse_html(
      "<div class=\"\n  really-lazy-load\tposter\r\n film-poster \">"
      "</div>");
  const auto div = doc.first("//div");
  ASSERT_TRUE(div.has_value());
  EXPECT_TRUE(div->has_class("really-lazy-load"));
  EXPECT_TRUE(div->has_class("poster"));
  EXPECT_TRUE(div->has_class("film-poster"));
}

TEST(HtmlDocument, SelectRelativeToAContextNode) {
  const HtmlDocument doc = parse_html(R"(
    <ul id="one"><li>a</li><li>b</li></ul>
    <ul id="two"><li>c</li><li>d</li><li>e</li></ul>)");
  const auto two = doc.first("//ul[@id='two']");
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(texts(doc.select(".//li", &*two)), (std::vector<std::string>{"c", "d", "e"}));
  EXPECT_EQ(doc.select("//li", &*two).size(), 5u);  // an absolute path ignores the context
  EXPECT_EQ(doc.evaluate_string("count(.//li)", &*two), "3");
  const auto first_li = doc.first("./li", &*two);
  ASSERT_TRUE(first_li.has_value());
  EXPECT_EQ(first_li->text(), "c");
  // Context nodes can be chained.
  const auto one = doc.first("//ul[@id='one']");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(doc.evaluate_string("string(./li[2])", &*one), "b");
}

TEST(HtmlDocument, InvalidXPathYieldsNothing) {
  const HtmlDocument doc = parse_html("<ul><li>a</li></ul>");
  EXPECT_TRUE(doc.select("//li[").empty());
  EXPECT_TRUE(doc.select("").empty());
  EXPECT_TRUE(doc.select("!!").empty());
  EXPECT_FALSE(doc.first("//li[@").has_value());
  EXPECT_EQ(doc.evaluate_string("count(//li"), "");
  // Unknown namespace prefixes are an error too, not a crash.
  EXPECT_TRUE(doc.select("//nope:li").empty());
}

TEST(HtmlDocument, NonNodeSetExpressionsSelectNothing) {
  const HtmlDocument doc = parse_html("<ul><li>a</li></ul>");
  EXPECT_TRUE(doc.select("count(//li)").empty());
  EXPECT_TRUE(doc.select("string(//li)").empty());
}

TEST(HtmlDocument, NoMatchIsEmpty) {
  const HtmlDocument doc = parse_html("<ul><li>a</li></ul>");
  EXPECT_TRUE(doc.select("//table").empty());
  EXPECT_FALSE(doc.first("//table").has_value());
  EXPECT_EQ(doc.evaluate_string("string(//table)"), "");
}

TEST(HtmlDocument, EvaluateString) {
  const HtmlDocument doc =
      parse_html("<ul><li>a</li><li>b</li><li>c</li></ul><span data-n=\"42\">x</span>");
  EXPECT_EQ(doc.evaluate_string("count(//li)"), "3");
  EXPECT_EQ(doc.evaluate_string("string(//li[2])"), "b");
  EXPECT_EQ(doc.evaluate_string("string(//span/@data-n)"), "42");
  EXPECT_EQ(doc.evaluate_string("//li"), "a");  // a node-set casts to its first node's string
  EXPECT_EQ(doc.evaluate_string("count(//li) > 2"), "true");
  EXPECT_EQ(doc.evaluate_string("concat('x', '-', //li[3])"), "x-c");
}

TEST(HtmlDocument, SelectAttributeNodes) {
  const HtmlDocument doc = parse_html(R"(<a href="/a/">A</a><a href="/b/">B</a><a>C</a>)");
  EXPECT_EQ(texts(doc.select("//a/@href")), (std::vector<std::string>{"/a/", "/b/"}));
}

TEST(HtmlDocument, InputOverMaxBytesIsAParseError) {
  const std::string html = "<p>" + std::string(100, 'x') + "</p>";
  const auto too_big = HtmlDocument::parse(html, 50);
  ASSERT_FALSE(too_big.has_value());
  EXPECT_EQ(too_big.error().code, core::ErrorCode::kParseError);
  EXPECT_FALSE(too_big.error().retryable);
  // Exactly at the limit is fine.
  EXPECT_TRUE(HtmlDocument::parse(html, html.size()).has_value());

  const auto xml_too_big =
      HtmlDocument::parse_xml("<rss>" + std::string(100, ' ') + "</rss>", {}, 50);
  ASSERT_FALSE(xml_too_big.has_value());
  EXPECT_EQ(xml_too_big.error().code, core::ErrorCode::kParseError);
}

TEST(HtmlDocument, DocumentIsMovableAndNodesStayValid) {
  auto parsed = HtmlDocument::parse("<ul><li>a</li><li>b</li></ul>");
  ASSERT_TRUE(parsed.has_value());
  HtmlDocument doc = std::move(*parsed);
  const auto nodes = doc.select("//li");
  HtmlDocument moved = std::move(doc);
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[1].text(), "b");
  EXPECT_EQ(moved.select("//li").size(), 2u);
}

TEST(HtmlDocument, ScriptContentIsNotExecutedOrFetched) {
  // A document that refers to external entities and resources parses without touching the
  // network and without expanding anything.
  const HtmlDocument doc = parse_html(R"(<html><head>
      <script src="http://127.0.0.1:1/x.js"></script>
      <script type="application/ld+json">{"name":"Heat &amp; Dust"}</script>
      </head><body><img src="http://127.0.0.1:1/p.jpg"></body></html>)");
  const auto ld = doc.first("//script[@type='application/ld+json']");
  ASSERT_TRUE(ld.has_value());
  // Script content is raw text in HTML: entities are not decoded there.
  EXPECT_EQ(ld->text(), R"({"name":"Heat &amp; Dust"})");
}

// ---------------------------------------------------------------------------------------------
// XML (RSS)

constexpr std::string_view kRss = R"(<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:letterboxd="https://letterboxd.com" xmlns:tmdb="https://themoviedb.org"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Letterboxd - dave</title>
    <item>
      <title>Amélie, 2001 - ★★★★½</title>
      <letterboxd:filmTitle>Amélie</letterboxd:filmTitle>
      <letterboxd:filmYear>2001</letterboxd:filmYear>
      <letterboxd:memberRating>4.5</letterboxd:memberRating>
      <tmdb:movieId>194</tmdb:movieId>
      <description><![CDATA[<p>Loved it &amp; more</p>]]></description>
    </item>
    <item>
      <title>Heat, 1995</title>
      <letterboxd:filmTitle>Heat</letterboxd:filmTitle>
      <letterboxd:filmYear>1995</letterboxd:filmYear>
      <tmdb:movieId>949</tmdb:movieId>
    </item>
  </channel>
</rss>)";

TEST(HtmlDocumentXml, NamespacedSelection) {
  auto doc = HtmlDocument::parse_xml(
      kRss, {{"letterboxd", "https://letterboxd.com"}, {"tmdb", "https://themoviedb.org"}});
  ASSERT_TRUE(doc.has_value()) << doc.error().message;
  EXPECT_EQ(texts(doc->select("//item/letterboxd:filmTitle")),
            (std::vector<std::string>{"Amélie", "Heat"}));
  EXPECT_EQ(doc->evaluate_string("count(//item)"), "2");
  EXPECT_EQ(doc->evaluate_string("string(//item[2]/tmdb:movieId)"), "949");

  const auto items = doc->select("//item");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(doc->evaluate_string("string(letterboxd:memberRating)", &items[0]), "4.5");
  EXPECT_EQ(doc->evaluate_string("string(letterboxd:memberRating)", &items[1]), "");
  const auto year = doc->first("letterboxd:filmYear", &items[1]);
  ASSERT_TRUE(year.has_value());
  EXPECT_EQ(year->text(), "1995");
  EXPECT_EQ(year->name(), "filmYear");  // the local name, without the prefix
}

TEST(HtmlDocumentXml, PrefixesAreBoundByUriNotByTheDocumentsSpelling) {
  // The query's prefix need not match the one the feed uses; the namespace URI is what counts.
  auto doc = HtmlDocument::parse_xml(kRss, {{"lb", "https://letterboxd.com"}});
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->select("//item/lb:filmTitle").size(), 2u);
  // An unregistered prefix matches nothing, and the wrong URI matches nothing.
  EXPECT_TRUE(doc->select("//item/letterboxd:filmTitle").empty());
  auto wrong = HtmlDocument::parse_xml(kRss, {{"letterboxd", "https://example.com"}});
  ASSERT_TRUE(wrong.has_value());
  EXPECT_TRUE(wrong->select("//item/letterboxd:filmTitle").empty());
}

TEST(HtmlDocumentXml, CdataBecomesText) {
  auto doc = HtmlDocument::parse_xml(kRss);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->evaluate_string("string(//item[1]/description)"), "<p>Loved it &amp; more</p>");
  EXPECT_EQ(doc->evaluate_string("string(/rss/channel/title)"), "Letterboxd - dave");
}

TEST(HtmlDocumentXml, MalformedXmlIsAParseError) {
  for (std::string_view bad :
       {std::string_view("<rss><channel></rss>"), std::string_view("<rss>"),
        std::string_view("not xml at all"), std::string_view(""),
        std::string_view("<a><b></a></b>"), std::string_view("<rss>&undefined;</rss>")}) {
    const auto doc = HtmlDocument::parse_xml(bad);
    ASSERT_FALSE(doc.has_value()) << bad;
    EXPECT_EQ(doc.error().code, core::ErrorCode::kParseError) << bad;
  }
}

TEST(HtmlDocumentXml, ExternalEntitiesAreNotLoaded) {
  // XXE: an external entity must neither be fetched nor expanded into the text.
  constexpr std::string_view kXxe = R"(<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&xxe;</title></channel></rss>)";
  const auto doc = HtmlDocument::parse_xml(kXxe);
  if (doc) {
    EXPECT_EQ(doc->evaluate_string("string(//title)").find("root:"), std::string::npos);
  }
}

}  // namespace
}  // namespace lbrec::sources
