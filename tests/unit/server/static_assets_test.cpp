// The web UI embedded in the binary: lookup, content types, ETags, byte-for-byte equality with
// web/, and a guard that no page needs what the server's Content-Security-Policy forbids.

#include "server/static_assets.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

namespace lbrec::server {
namespace {

namespace fs = std::filesystem;

const fs::path kWebDir = fs::path(LBREC_SOURCE_DIR) / "web";

// What the server's Content-Security-Policy (script-src 'self', style-src 'self') would block.
const std::regex kInlineScript(R"(<script\b[^>]*>\s*[^<\s])", std::regex::icase);
const std::regex kInlineAttribute(R"(<[a-z][^>]*\s(on[a-z]+|style)\s*=)", std::regex::icase);
const std::regex kStyleElement(R"(<style\b)", std::regex::icase);
const std::regex kJavascriptUrl(R"(javascript:)", std::regex::icase);

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

TEST(StaticAssets, FindsThePagesAsHtml) {
  for (const char* name : {"index.html", "results.html"}) {
    const Asset* asset = find_asset(name);
    ASSERT_NE(asset, nullptr) << name;
    EXPECT_EQ(asset->path, name);
    EXPECT_EQ(asset->content_type, "text/html; charset=utf-8");
    EXPECT_FALSE(asset->body.empty());
    EXPECT_NE(asset->body.find("<!doctype html>"), std::string_view::npos) << name;
  }
}

TEST(StaticAssets, ScriptsStylesAndIconHaveTheirTypes) {
  ASSERT_NE(find_asset("app.js"), nullptr);
  EXPECT_EQ(find_asset("app.js")->content_type, "text/javascript; charset=utf-8");
  ASSERT_NE(find_asset("app.css"), nullptr);
  EXPECT_EQ(find_asset("app.css")->content_type, "text/css; charset=utf-8");
  ASSERT_NE(find_asset("favicon.svg"), nullptr);
  EXPECT_EQ(find_asset("favicon.svg")->content_type, "image/svg+xml");
}

TEST(StaticAssets, ContentTypeComesFromTheExtension) {
  EXPECT_EQ(content_type_for("a/b/page.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.png"), "image/png");
  EXPECT_EQ(content_type_for("favicon.ico"), "image/x-icon");
  EXPECT_EQ(content_type_for("data.json"), "application/json");
  EXPECT_EQ(content_type_for("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("archive.tar.gz"), "application/octet-stream");
  EXPECT_EQ(content_type_for("Makefile"), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.js/file"), "application/octet-stream");
  EXPECT_EQ(content_type_for("js"), "application/octet-stream");
  EXPECT_EQ(content_type_for(""), "application/octet-stream");
}

TEST(StaticAssets, BodiesAreTheFilesInWebByteForByte) {
  std::set<std::string> on_disk;
  for (const auto& entry : fs::recursive_directory_iterator(kWebDir)) {
    if (!entry.is_regular_file()) continue;
    const std::string rel = entry.path().lexically_relative(kWebDir).generic_string();
    if (rel.front() == '.' || rel.find("/.") != std::string::npos) continue;  // hidden: skipped
    on_disk.insert(rel);
  }
  std::set<std::string> embedded;
  for (const Asset& asset : all_assets()) {
    embedded.insert(std::string(asset.path));
    EXPECT_EQ(asset.body, read_file(kWebDir / asset.path)) << asset.path;
  }
  EXPECT_EQ(embedded, on_disk);
}

TEST(StaticAssets, ListingIsSortedAndEveryEntryIsFindable) {
  const auto assets = all_assets();
  ASSERT_GE(assets.size(), 4u);
  EXPECT_TRUE(std::is_sorted(assets.begin(), assets.end(),
                             [](const Asset& a, const Asset& b) { return a.path < b.path; }));
  for (const Asset& asset : assets)
    EXPECT_EQ(find_asset(asset.path), &asset) << asset.path;
}

TEST(StaticAssets, OnlyExactNamesMatch) {
  using namespace std::string_view_literals;
  for (std::string_view bad : {""sv,
                               "/"sv,
                               "/index.html"sv,
                               "./index.html"sv,
                               "../index.html"sv,
                               "x/../index.html"sv,
                               "%2e%2e/index.html"sv,
                               "index%2ehtml"sv,
                               ".//index.html"sv,
                               "index.html/"sv,
                               "index.html?x=1"sv,
                               "index.html#x"sv,
                               "INDEX.HTML"sv,
                               "index.html "sv,
                               " index.html"sv,
                               "index.html\0"sv,
                               "index\0.html"sv,
                               "index.htm"sv,
                               "index"sv,
                               "\\index.html"sv,
                               "..\\index.html"sv,
                               "a//b"sv,
                               "../../etc/passwd"sv,
                               "/etc/passwd"sv,
                               "web/index.html"sv}) {
    EXPECT_EQ(find_asset(bad), nullptr) << "'" << bad << "'";
  }
}

TEST(StaticAssets, EtagsAreQuotedStableAndDifferPerBody) {
  std::set<std::string_view> etags;
  for (const Asset& asset : all_assets()) {
    EXPECT_TRUE(std::regex_match(std::string(asset.etag), std::regex("\"[0-9a-f]{16}\"")))
        << asset.path << ": " << asset.etag;
    EXPECT_EQ(find_asset(asset.path)->etag, asset.etag);
    etags.insert(asset.etag);
  }
  EXPECT_EQ(etags.size(), all_assets().size());
  EXPECT_NE(find_asset("index.html")->etag, find_asset("results.html")->etag);
}

// An inline script, an on...= handler, a style attribute, a <style> element or a javascript: URL
// would be blocked in the browser.
TEST(StaticAssets, PagesNeedNoInlineScriptOrStyle) {
  int pages = 0;
  for (const Asset& asset : all_assets()) {
    if (!ends_with(asset.path, ".html")) continue;
    ++pages;
    const std::string body(asset.body);
    EXPECT_FALSE(std::regex_search(body, kInlineScript)) << asset.path;
    EXPECT_FALSE(std::regex_search(body, kInlineAttribute)) << asset.path;
    EXPECT_FALSE(std::regex_search(body, kStyleElement)) << asset.path;
    EXPECT_FALSE(std::regex_search(body, kJavascriptUrl)) << asset.path;
  }
  EXPECT_GE(pages, 2);
}

// The scan above is only worth something if it catches what it looks for.
TEST(StaticAssets, InlineScanCatchesTheForbiddenForms) {
  EXPECT_TRUE(std::regex_search(std::string("<SCRIPT>\n alert(1)</script>"), kInlineScript));
  EXPECT_FALSE(
      std::regex_search(std::string(R"(<script src="/app.js" defer></script>)"), kInlineScript));
  EXPECT_TRUE(std::regex_search(std::string(R"x(<button onclick="go()">)x"), kInlineAttribute));
  EXPECT_TRUE(std::regex_search(std::string("<body\n  onLoad = 'x'>"), kInlineAttribute));
  EXPECT_TRUE(
      std::regex_search(std::string(R"(<p class="a" style="color:red">)"), kInlineAttribute));
  EXPECT_FALSE(std::regex_search(std::string(R"(<link rel="stylesheet" href="/app.css">)"),
                                 kInlineAttribute));
  EXPECT_TRUE(std::regex_search(std::string("<style>p{}</style>"), kStyleElement));
  EXPECT_TRUE(std::regex_search(std::string(R"x(<a href="JavaScript:go()">)x"), kJavascriptUrl));
}

}  // namespace
}  // namespace lbrec::server
