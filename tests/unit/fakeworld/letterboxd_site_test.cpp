// The fake letterboxd.com, read back the way docs/upstreams/letterboxd.md says scrapers read the
// real one: poster grids in three markup generations, pagination, likes, watchlist, RSS, film
// pages, their JSON, redirects and 404s.

#include "fakeworld/letterboxd_site.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "fakeworld/dates.hpp"
#include "fakeworld_test_support.hpp"

namespace lbrec::fakeworld {
namespace {

using sources::HtmlDocument;
using testing::film_at;
using testing::get;
using testing::member;
using testing::parse_html;
using testing::small_world;

// XPath predicate: the class attribute holds `name` as a whole word.
std::string cls(std::string_view name) {
  return "contains(concat(' ', normalize-space(@class), ' '), ' " + std::string(name) + " ')";
}

std::string eval(const HtmlDocument& doc, const std::string& xpath) {
  return doc.evaluate_string(xpath.c_str());
}

FakeReply lb(const std::string& path) {
  std::string route;
  return serve_letterboxd(small_world(), get(path), route);
}

// One poster-grid item as a scraper would extract it.
struct Item {
  std::string slug;
  std::optional<std::string> film_id;  // data-film-id, when present
  std::string uid;                     // "film:N" (postered identifier or legacy data-film-id)
  std::string name;
  int rating = 0;  // rated-N inside p.poster-viewingdata
  bool liked = false;
};

std::vector<Item> grid_items(const HtmlDocument& doc, Markup markup) {
  std::vector<Item> out;
  const std::string container =
      markup == Markup::kLegacy
          ? "//ul[" + cls("poster-list") + "]/li[" + cls("poster-container") + "]"
          : "//div[" + cls("poster-grid") + "]/ul[" + cls("grid") + "]/li[" + cls("griditem") + "]";
  for (const auto& li : doc.select(container.c_str())) {
    Item item;
    if (markup == Markup::kLegacy) {
      const auto poster = doc.first(("./div[" + cls("film-poster") + "]").c_str(), &li);
      EXPECT_TRUE(poster.has_value());
      if (!poster) continue;
      item.slug = poster->attr("data-film-slug").value_or("");
      item.film_id = poster->attr("data-film-id");
      item.uid = "film:" + item.film_id.value_or("");
      item.name = poster->attr("data-film-name").value_or("");
    } else {
      const auto poster = doc.first("./div[@data-component-class='LazyPoster']", &li);
      EXPECT_TRUE(poster.has_value());
      if (!poster) continue;
      item.slug = poster->attr("data-item-slug").value_or("");
      item.film_id = poster->attr("data-film-id");
      item.name = poster->attr("data-item-name").value_or("");
      // The identifier is entity-escaped JSON; attr() has decoded it already.
      const std::string ident = poster->attr("data-postered-identifier").value_or("");
      boost::system::error_code ec;
      const auto json = boost::json::parse(ident, ec);
      EXPECT_FALSE(ec) << ident;
      if (!ec) item.uid = std::string(json.at("uid").as_string());
      EXPECT_EQ(poster->attr("data-details-endpoint"), "/film/" + item.slug + "/json/");
      EXPECT_EQ(poster->attr("data-item-link"), "/film/" + item.slug + "/");
    }
    const std::string viewing = "./p[" + cls("poster-viewingdata") + "]";
    const auto rating = doc.first((viewing + "/span[" + cls("rating") + "]").c_str(), &li);
    if (rating) {
      static const std::regex kRated(R"((?:^|\s)rated-(\d+)(?:\s|$))");
      std::smatch m;
      const std::string c = rating->attr("class").value_or("");
      EXPECT_TRUE(std::regex_search(c, m, kRated)) << c;
      if (!m.empty()) item.rating = std::stoi(m[1].str());
    }
    item.liked = doc.first((viewing + "/span[" + cls("like") + "]").c_str(), &li).has_value();
    out.push_back(std::move(item));
  }
  return out;
}

// Pages as scrapers count them: the largest number in li.paginate-page, 1 without pagination.
int page_count(const HtmlDocument& doc) {
  int pages = 1;
  for (const auto& li :
       doc.select(("//div[@class='pagination']//li[" + cls("paginate-page") + "]").c_str())) {
    const std::string text = li.text();
    if (!text.empty() &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      pages = std::max(pages, std::stoi(text));
    }
  }
  return pages;
}

class LetterboxdGrid : public ::testing::TestWithParam<const char*> {};

TEST_P(LetterboxdGrid, ItemsAndViewingDataMatchTheMember) {
  const User& u = member(small_world(), GetParam());
  ASSERT_GT(u.films.size(), 72u);
  for (int page : {1, 2}) {
    const auto reply = lb("/" + u.name + "/films/" + (page == 1 ? "" : "page/2/"));
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.content_type, "text/html; charset=utf-8");
    const HtmlDocument doc = parse_html(reply.body);
    EXPECT_EQ(doc.evaluate_string("string(/html/body/@data-owner)"), u.name);
    EXPECT_TRUE(doc.first(("/html/body[" + cls("films-watched") + "]").c_str()).has_value());
    const auto items = grid_items(doc, u.markup);
    ASSERT_EQ(items.size(), 72u) << "page " << page;
    int likes = 0, ratings = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Viewing& v = u.films[static_cast<std::size_t>(page - 1) * 72 + i];
      const Film& f = film_at(small_world(), v.film);
      const Item& item = items[i];
      EXPECT_EQ(item.slug, f.slug);
      EXPECT_EQ(item.uid, "film:" + std::to_string(f.lb_id));
      EXPECT_EQ(item.rating, v.rating) << f.slug;
      EXPECT_EQ(item.liked, v.liked) << f.slug;
      likes += v.liked ? 1 : 0;
      ratings += v.rating ? 1 : 0;
      switch (u.markup) {
        case Markup::kCurrent:
          EXPECT_FALSE(item.film_id.has_value());
          EXPECT_EQ(item.name, display_name(f));
          break;
        case Markup::kLazyPoster:
          EXPECT_EQ(item.film_id, std::to_string(f.lb_id));
          EXPECT_EQ(item.name, display_name(f));
          break;
        case Markup::kLegacy:
          EXPECT_EQ(item.film_id, std::to_string(f.lb_id));
          EXPECT_EQ(item.name, f.title);
          break;
      }
    }
    EXPECT_GT(likes, 0);
    EXPECT_GT(ratings, 0);
    // Only the scoped likes count: every LazyPoster also carries a like-link overlay.
    const auto all_like_spans = doc.select("//span[contains(@class, 'like')]");
    const auto scoped =
        doc.select(("//p[" + cls("poster-viewingdata") + "]/span[" + cls("like") + "]").c_str());
    EXPECT_EQ(scoped.size(), static_cast<std::size_t>(likes));
    if (u.markup != Markup::kLegacy) {
      EXPECT_EQ(
          doc.select(("//li[" + cls("griditem") + "]//span[" + cls("like-link") + "]").c_str())
              .size(),
          72u);
      EXPECT_GE(all_like_spans.size(), 72u + static_cast<std::size_t>(likes));
      EXPECT_TRUE(doc.select(("//li[" + cls("poster-container") + "]").c_str()).empty());
    } else {
      EXPECT_TRUE(doc.select(("//li[" + cls("griditem") + "]").c_str()).empty());
      EXPECT_TRUE(doc.select("//div[@data-component-class='LazyPoster']").empty());
    }
  }
}

TEST_P(LetterboxdGrid, LikesPageListsOnlyLikedFilms) {
  const User& u = member(small_world(), GetParam());
  std::vector<const Viewing*> liked;
  for (const Viewing& v : u.films) {
    if (v.liked) liked.push_back(&v);
  }
  ASSERT_FALSE(liked.empty());
  const auto reply = lb("/" + u.name + "/likes/films/");
  ASSERT_EQ(reply.status, 200);
  const HtmlDocument doc = parse_html(reply.body);
  const auto items = grid_items(doc, u.markup);
  ASSERT_EQ(items.size(), std::min<std::size_t>(72, liked.size()));
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i].slug, film_at(small_world(), liked[i]->film).slug);
    EXPECT_TRUE(items[i].liked);
  }
  EXPECT_EQ(page_count(doc), static_cast<int>((liked.size() + 71) / 72));
}

INSTANTIATE_TEST_SUITE_P(Markups, LetterboxdGrid,
                         ::testing::Values("demo", "lazy_poster", "legacy_fan"));

TEST(LetterboxdSite, PageCountsAtThePaginationEdges) {
  for (const char* name : {"newcomer", "one_film", "exactly72", "just73", "demo"}) {
    const User& u = member(small_world(), name);
    const int expected = std::max<int>(1, static_cast<int>((u.films.size() + 71) / 72));
    const auto reply = lb("/" + u.name + "/films/");
    ASSERT_EQ(reply.status, 200) << name;
    const HtmlDocument doc = parse_html(reply.body);
    EXPECT_EQ(page_count(doc), expected) << name;
    EXPECT_EQ(grid_items(doc, u.markup).size(), std::min<std::size_t>(72, u.films.size())) << name;
    // The watched count in the heading tooltip.
    EXPECT_EQ(doc.evaluate_string(
                  "string(//div[@id='content-nav']//span[@class='tooltip']/@data-original-title)"),
              std::to_string(u.films.size()) + "\u00a0films");
    const bool single = expected == 1;
    EXPECT_EQ(doc.select("//div[@class='pagination']").empty(), single) << name;
    if (!single) {
      // The last page: fewer or exactly 72 items, "Older" disabled.
      const auto last = lb("/" + u.name + "/films/page/" + std::to_string(expected) + "/");
      ASSERT_EQ(last.status, 200);
      const HtmlDocument last_doc = parse_html(last.body);
      const std::size_t rest = u.films.size() - static_cast<std::size_t>(expected - 1) * 72;
      EXPECT_EQ(grid_items(last_doc, u.markup).size(), rest) << name;
      EXPECT_TRUE(
          last_doc.first(("//div[" + cls("paginate-disabled") + "]/span[@class='next']").c_str())
              .has_value());
      EXPECT_FALSE(last_doc.first("//a[@class='next']").has_value());
    }
  }
  // page/1/ is the bare URL.
  EXPECT_EQ(lb("/demo/films/page/1/").body, lb("/demo/films/").body);
}

TEST(LetterboxdSite, DemoPaginationHasEllipsisAndLinks) {
  const HtmlDocument doc = parse_html(lb("/demo/films/").body);
  EXPECT_EQ(page_count(doc), 6);
  EXPECT_EQ(doc.evaluate_string("string(//a[@class='next']/@href)"), "/demo/films/page/2/");
  EXPECT_TRUE(doc.first(("//li[" + cls("unseen-pages") + "]").c_str()).has_value());
  EXPECT_TRUE(doc.first(("//li[" + cls("paginate-current") + "]/span[.='1']").c_str()).has_value());
  const HtmlDocument middle = parse_html(lb("/demo/films/page/3/").body);
  EXPECT_EQ(middle.evaluate_string("string(//a[@class='previous']/@href)"), "/demo/films/page/2/");
  EXPECT_EQ(middle.evaluate_string("string(//a[@class='next']/@href)"), "/demo/films/page/4/");
}

TEST(LetterboxdSite, PastTheEndIsAnEmptyGridAndBadPagesAre404) {
  const auto past = lb("/demo/films/page/99/");
  ASSERT_EQ(past.status, 200);
  const HtmlDocument doc = parse_html(past.body);
  EXPECT_TRUE(grid_items(doc, Markup::kCurrent).empty());
  EXPECT_TRUE(doc.first(("//div[" + cls("poster-grid") + "]").c_str()).has_value());

  for (const char* path : {"/demo/films/page/abc/", "/demo/films/page/0/", "/demo/films/page/",
                           "/demo/films/page/2/extra/", "/demo/nonsense/"}) {
    const auto r = lb(path);
    EXPECT_EQ(r.status, 404) << path;
  }
}

TEST(LetterboxdSite, UnknownMemberAndFilmAre404Pages) {
  for (const char* path :
       {"/no_such_member_qq/films/", "/no_such_member_qq/", "/film/no-such-film-qq/",
        "/film/no-such-film-qq/json/", "/tmdb/999999999/", "/tmdb/abc/"}) {
    const auto r = lb(path);
    EXPECT_EQ(r.status, 404) << path;
    const HtmlDocument doc = parse_html(r.body);
    EXPECT_TRUE(doc.first(("/html/body[" + cls("error") + "]").c_str()).has_value()) << path;
    EXPECT_TRUE(doc.first(("//section[" + cls("message") + "]").c_str()).has_value()) << path;
  }
  // Member names are case-insensitive.
  EXPECT_EQ(lb("/DEMO/films/").status, 200);
}

TEST(LetterboxdSite, WatchlistHas28PerPageAndACount) {
  const World& w = small_world();
  const auto it = std::find_if(w.users().begin(), w.users().end(), [](const User& u) {
    return u.watchlist.size() > 28 && u.watchlist.size() < 56;
  });
  ASSERT_NE(it, w.users().end());
  const User& u = *it;
  const auto reply = lb("/" + u.name + "/watchlist/");
  ASSERT_EQ(reply.status, 200);
  const HtmlDocument doc = parse_html(reply.body);
  EXPECT_EQ(eval(doc, "string(//div[" + cls("s-watchlist-content") + "]/@data-num-entries)"),
            std::to_string(u.watchlist.size()));
  const auto items = grid_items(doc, u.markup);
  ASSERT_EQ(items.size(), 28u);
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i].slug, film_at(w, u.watchlist[i]).slug);
    EXPECT_EQ(items[i].rating, 0);
    EXPECT_FALSE(items[i].liked);
  }
  EXPECT_TRUE(doc.select(("//p[" + cls("poster-viewingdata") + "]").c_str()).empty());
  EXPECT_EQ(page_count(doc), 2);
  const HtmlDocument second = parse_html(lb("/" + u.name + "/watchlist/page/2/").body);
  EXPECT_EQ(grid_items(second, u.markup).size(), u.watchlist.size() - 28);
}

struct RssItem {
  std::string title, link, guid, watched, rating, like, rewatch, movie_id, tv_id;
  bool has_watched = false;
};

const std::vector<std::pair<std::string, std::string>> kRssNamespaces = {
    {"letterboxd", "https://letterboxd.com"},
    {"tmdb", "https://themoviedb.org"},
    {"dc", "http://purl.org/dc/elements/1.1/"}};

std::vector<RssItem> rss_items(const std::string& xml) {
  auto doc = HtmlDocument::parse_xml(xml, kRssNamespaces);
  EXPECT_TRUE(doc.has_value());
  std::vector<RssItem> out;
  if (!doc) return out;
  EXPECT_FALSE(doc->evaluate_string("string(/rss/channel/title)").empty());
  for (const auto& n : doc->select("/rss/channel/item")) {
    RssItem item;
    const auto s = [&](const char* xp) { return doc->evaluate_string(xp, &n); };
    item.title = s("string(title)");
    item.link = s("string(link)");
    item.guid = s("string(guid)");
    item.has_watched = doc->first("letterboxd:watchedDate", &n).has_value();
    item.watched = s("string(letterboxd:watchedDate)");
    item.rating = s("string(letterboxd:memberRating)");
    item.like = s("string(letterboxd:memberLike)");
    item.rewatch = s("string(letterboxd:rewatch)");
    item.movie_id = s("string(tmdb:movieId)");
    item.tv_id = s("string(tmdb:tvId)");
    EXPECT_FALSE(s("string(dc:creator)").empty());
    out.push_back(std::move(item));
  }
  return out;
}

TEST(LetterboxdSite, RssCarriesDiaryEntriesWithTmdbIds) {
  const World& w = small_world();
  const User& u = member(w, "demo");
  const auto reply = lb("/demo/rss/");
  ASSERT_EQ(reply.status, 200);
  EXPECT_TRUE(reply.content_type.starts_with("application/rss+xml"));
  const auto items = rss_items(reply.body);
  ASSERT_FALSE(items.empty());
  EXPECT_LE(items.size(), static_cast<std::size_t>(kRssItems));
  EXPECT_GE(items.size(), 40u);
  int non_diary = 0, rated = 0, unrated = 0;
  static const std::regex kRating(R"(^[0-5]\.[05]$)");
  for (const RssItem& item : items) {
    if (!item.has_watched) {
      ++non_diary;
      EXPECT_TRUE(item.movie_id.empty() && item.tv_id.empty());
      continue;
    }
    EXPECT_TRUE(std::regex_match(item.watched, std::regex(R"(^\d{4}-\d{2}-\d{2}$)")))
        << item.watched;
    EXPECT_NE(item.movie_id.empty(), item.tv_id.empty()) << item.title;
    EXPECT_TRUE(item.like == "Yes" || item.like == "No");
    EXPECT_TRUE(item.rewatch == "Yes" || item.rewatch == "No");
    EXPECT_TRUE(item.guid.starts_with("letterboxd-watch-") ||
                item.guid.starts_with("letterboxd-review-"));
    // Tie the item back to the member's history by its link and check every field.
    const std::string prefix = "https://letterboxd.com/demo/film/";
    ASSERT_TRUE(item.link.starts_with(prefix)) << item.link;
    const std::string slug = item.link.substr(prefix.size(), item.link.size() - prefix.size() - 1);
    const Film* f = w.film_by_slug(slug);
    ASSERT_NE(f, nullptr) << slug;
    const auto v = std::find_if(u.films.begin(), u.films.end(),
                                [&](const Viewing& x) { return x.film == f->index; });
    ASSERT_NE(v, u.films.end());
    EXPECT_TRUE(v->in_diary);
    EXPECT_EQ(item.watched, iso_date(v->watched_day));
    EXPECT_EQ(item.like, v->liked ? "Yes" : "No");
    EXPECT_EQ(f->is_tv ? item.tv_id : item.movie_id, std::to_string(f->tmdb_id));
    if (v->rating) {
      ++rated;
      EXPECT_TRUE(std::regex_match(item.rating, kRating)) << item.rating;
      EXPECT_DOUBLE_EQ(std::stod(item.rating), v->rating / 2.0);
    } else {
      ++unrated;
      EXPECT_TRUE(item.rating.empty());
    }
  }
  EXPECT_GE(non_diary, 1);
  EXPECT_GT(rated, 0);
  const auto whole = std::find_if(items.begin(), items.end(),
                                  [](const RssItem& i) { return i.rating.ends_with(".0"); });
  EXPECT_NE(whole, items.end()) << "whole-star ratings are written N.0";
  // A member with fewer than four diary entries has no list activity but still a valid feed.
  EXPECT_TRUE(rss_items(lb("/newcomer/rss/").body).empty());
  EXPECT_EQ(rss_items(lb("/one_film/rss/").body).size(),
            member(w, "one_film").films[0].in_diary ? 1u : 0u);
}

TEST(LetterboxdSite, RssUsesTvIdForTvEntries) {
  const World& w = small_world();
  int tv_items = 0;
  for (const User& u : w.users()) {
    int diary = 0;
    bool has_tv = false;
    for (const Viewing& v : u.films) {
      if (!v.in_diary) continue;
      if (++diary > 50) break;
      has_tv |= film_at(w, v.film).is_tv;
    }
    if (!has_tv) continue;
    for (const RssItem& item : rss_items(lb("/" + u.name + "/rss/").body)) {
      if (item.tv_id.empty()) continue;
      ++tv_items;
      const Film* f = w.film_by_slug(item.link.substr(
          item.link.find("/film/") + 6, item.link.size() - item.link.find("/film/") - 7));
      ASSERT_NE(f, nullptr);
      EXPECT_TRUE(f->is_tv);
      EXPECT_EQ(item.tv_id, std::to_string(f->tmdb_id));
    }
  }
  EXPECT_GT(tv_items, 0);
}

// The JSON-LD block with its CDATA comment markers stripped, parsed.
boost::json::object json_ld(const HtmlDocument& doc) {
  std::string text = doc.evaluate_string("string(//script[@type='application/ld+json'])");
  const std::string open = "/* <![CDATA[ */";
  const std::string close = "/* ]]> */";
  const auto a = text.find(open);
  const auto b = text.rfind(close);
  EXPECT_NE(a, std::string::npos);
  EXPECT_NE(b, std::string::npos);
  if (a == std::string::npos || b == std::string::npos) return {};
  text = text.substr(a + open.size(), b - a - open.size());
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  return ec || !v.is_object() ? boost::json::object{} : v.as_object();
}

TEST(LetterboxdSite, FilmPageCarriesTmdbIdsAndJsonLd) {
  const World& w = small_world();
  const Film* movie = nullptr;
  const Film* tv = nullptr;
  for (const Film& f : w.films()) {
    if (f.index < 2) continue;
    if (!movie && !f.is_tv && f.vote_count >= 10 && f.original_title != f.title &&
        f.letterboxd_year)
      movie = &f;
    if (!tv && f.is_tv) tv = &f;
  }
  ASSERT_TRUE(movie && tv);
  for (const Film* f : {movie, tv}) {
    const auto reply = lb("/film/" + f->slug + "/");
    ASSERT_EQ(reply.status, 200);
    const HtmlDocument doc = parse_html(reply.body);
    const std::string type = f->is_tv ? "tv" : "movie";
    EXPECT_EQ(doc.evaluate_string("string(/html/body/@data-tmdb-id)"), std::to_string(f->tmdb_id));
    EXPECT_EQ(doc.evaluate_string("string(/html/body/@data-tmdb-type)"), type);
    EXPECT_EQ(doc.evaluate_string("string(//meta[@property='og:type']/@content)"), "video.movie");
    EXPECT_EQ(doc.evaluate_string("string(//a[@data-track-action='TMDB']/@href)"),
              "https://www.themoviedb.org/" + type + "/" + std::to_string(f->tmdb_id) + "/");
    EXPECT_EQ(eval(doc, "string(//h1[" + cls("primaryname") + "]/span[@class='name'])"), f->title);
    EXPECT_EQ(doc.evaluate_string("string(//meta[@property='og:title']/@content)"),
              display_name(*f));
    EXPECT_EQ(doc.evaluate_string("string(//a[@class='report-link']/@data-report-url)"),
              "/ajax/film:" + std::to_string(f->lb_id) + "/report-form");
    if (f->letterboxd_year) {
      EXPECT_EQ(doc.evaluate_string("string(//span[@class='releasedate']/a)"),
                std::to_string(f->letterboxd_year));
    }
    if (!f->imdb_id.empty()) {
      EXPECT_NE(
          doc.evaluate_string("string(//a[@data-track-action='IMDb']/@href)").find(f->imdb_id),
          std::string::npos);
    }

    const auto ld = json_ld(doc);
    ASSERT_TRUE(ld.contains("name"));
    EXPECT_EQ(ld.at("name").as_string(), f->title);
    EXPECT_EQ(ld.at("@type").as_string(), "Movie");
    const auto& genres = ld.at("genre").as_array();
    ASSERT_EQ(genres.size(), f->genre_ids.size());
    for (std::size_t i = 0; i < genres.size(); ++i) {
      EXPECT_EQ(genres[i].as_string(), genre_name(f->genre_ids[i]));
    }
    const auto& directors = ld.at("director").as_array();
    ASSERT_EQ(directors.size(), f->director_ids.size());
    for (std::size_t i = 0; i < directors.size(); ++i) {
      const Person& p = w.people()[static_cast<std::size_t>(f->director_ids[i])];
      EXPECT_EQ(directors[i].at("name").as_string(), p.name);
      EXPECT_EQ(directors[i].at("sameAs").as_string(), "/director/" + p.slug + "/");
    }
    const auto contributors =
        doc.select(("//p[@class='credits']//a[" + cls("contributor") + "]").c_str());
    EXPECT_EQ(contributors.size(), f->director_ids.size());
  }
  // The movie has an average rating, a similar strip of posteritems and an original title.
  const HtmlDocument doc = parse_html(lb("/film/" + movie->slug + "/").body);
  EXPECT_TRUE(json_ld(doc).contains("aggregateRating"));
  EXPECT_NE(doc.evaluate_string("string(//meta[@name='twitter:data2']/@content)").find(" out of 5"),
            std::string::npos);
  EXPECT_EQ(
      doc.select(("//section[" + cls("related-films") + "]//li[" + cls("posteritem") + "]").c_str())
          .size(),
      6u);
  EXPECT_EQ(doc.evaluate_string("string(//h2[@class='originalname'])"), movie->original_title);
  EXPECT_EQ(eval(doc, "string(//section[" + cls("related-films") + "]//h2/a/@href)"),
            "/film/" + movie->slug + "/similar/");
}

TEST(LetterboxdSite, FilmJsonHasTheDocumentedFields) {
  const World& w = small_world();
  const Film& f = film_at(w, 10);
  const auto reply = lb("/film/" + f.slug + "/json/");
  ASSERT_EQ(reply.status, 200);
  EXPECT_TRUE(reply.content_type.starts_with("application/json"));
  const auto v = boost::json::parse(reply.body).as_object();
  for (const char* key :
       {"result", "csrf", "lid", "uid", "type", "typeName", "id", "name", "image125", "image150",
        "slug", "url", "originalName", "filmlistAction", "watchlistAction", "directors"}) {
    EXPECT_TRUE(v.contains(key)) << key;
  }
  EXPECT_EQ(v.at("result").as_bool(), true);
  EXPECT_EQ(v.at("lid").as_string(), f.lid);
  EXPECT_EQ(v.at("uid").as_string(), "film:" + std::to_string(f.lb_id));
  EXPECT_EQ(v.at("id").as_int64(), f.lb_id);
  EXPECT_EQ(v.at("name").as_string(), f.title);
  EXPECT_EQ(v.at("slug").as_string(), f.slug);
  EXPECT_EQ(v.at("url").as_string(), "/film/" + f.slug + "/");
  if (f.letterboxd_year) {
    EXPECT_EQ(v.at("releaseYear").as_int64(), f.letterboxd_year);
  }
  if (f.runtime) {
    EXPECT_EQ(v.at("runTime").as_int64(), f.runtime);
  }
  EXPECT_EQ(v.at("directors").as_array().size(), f.director_ids.size());
  // No TMDB id in Letterboxd's film JSON.
  EXPECT_EQ(reply.body.find(std::to_string(f.tmdb_id)), std::string::npos);
}

TEST(LetterboxdSite, TmdbPathRedirectsToTheFilm) {
  const World& w = small_world();
  const auto movie =
      std::find_if(w.films().begin(), w.films().end(), [](const Film& f) { return !f.is_tv; });
  const auto reply = lb("/tmdb/" + std::to_string(movie->tmdb_id) + "/");
  EXPECT_EQ(reply.status, 302);
  ASSERT_EQ(reply.headers.size(), 1u);
  EXPECT_EQ(reply.headers[0].first, "Location");
  EXPECT_EQ(reply.headers[0].second, "/film/" + movie->slug + "/");
  // TV ids are not movie ids.
  const auto tv =
      std::find_if(w.films().begin(), w.films().end(), [](const Film& f) { return f.is_tv; });
  ASSERT_NE(tv, w.films().end());
  if (w.film_by_tmdb(tv->tmdb_id) == nullptr) {
    EXPECT_EQ(lb("/tmdb/" + std::to_string(tv->tmdb_id) + "/").status, 404);
  }
}

TEST(LetterboxdSite, HostileTitleIsEscapedEverywhere) {
  const World& w = small_world();
  const Film& hostile = film_at(w, 0);
  ASSERT_EQ(hostile.title, "<img src=x onerror=alert(1)>");
  const auto page = lb("/film/" + hostile.slug + "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
  const HtmlDocument doc = parse_html(page.body);
  EXPECT_EQ(eval(doc, "string(//h1[" + cls("primaryname") + "]/span[@class='name'])"),
            hostile.title);
  EXPECT_TRUE(doc.select("//img[@src='x']").empty());
  EXPECT_EQ(json_ld(doc).at("name").as_string(), hostile.title);

  // The grid of a member who saw it, in each markup generation, and its JSON.
  for (Markup markup : {Markup::kCurrent, Markup::kLazyPoster, Markup::kLegacy}) {
    const auto u = std::find_if(w.users().begin(), w.users().end(), [&](const User& x) {
      return x.markup == markup && std::any_of(x.films.begin(), x.films.end(),
                                               [](const Viewing& v) { return v.film == 0; });
    });
    if (u == w.users().end()) continue;
    const auto at = std::find_if(u->films.begin(), u->films.end(),
                                 [](const Viewing& v) { return v.film == 0; }) -
                    u->films.begin();
    const auto grid = lb("/" + u->name + "/films/page/" + std::to_string(at / 72 + 1) + "/");
    ASSERT_EQ(grid.status, 200);
    EXPECT_EQ(grid.body.find("<img src=x"), std::string::npos) << to_string(markup);
    const HtmlDocument gdoc = parse_html(grid.body);
    EXPECT_TRUE(gdoc.select("//img[@src='x']").empty());
    const auto items = grid_items(gdoc, markup);
    ASSERT_GT(items.size(), static_cast<std::size_t>(at % 72));
    const Item& item = items[static_cast<std::size_t>(at % 72)];
    EXPECT_EQ(item.slug, hostile.slug);
    EXPECT_EQ(item.name, markup == Markup::kLegacy ? hostile.title : display_name(hostile));
  }
  const auto json = lb("/film/" + hostile.slug + "/json/");
  EXPECT_EQ(boost::json::parse(json.body).at("name").as_string(), hostile.title);
  // The second fixture title mixes &, quotes and angle brackets.
  const Film& quoted = film_at(w, 1);
  const HtmlDocument qdoc = parse_html(lb("/film/" + quoted.slug + "/").body);
  EXPECT_EQ(eval(qdoc, "string(//h1[" + cls("primaryname") + "]/span[@class='name'])"),
            quoted.title);
  EXPECT_EQ(json_ld(qdoc).at("name").as_string(), quoted.title);
}

TEST(LetterboxdSite, ProfileAndIndexPagesRender) {
  const auto profile = lb("/demo/");
  ASSERT_EQ(profile.status, 200);
  const HtmlDocument doc = parse_html(profile.body);
  EXPECT_EQ(eval(doc, "string(//h4[" + cls("profile-statistic") + "]//span[@class='value'])"),
            "420");
  const auto index = lb("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("/demo/films/"), std::string::npos);
}

}  // namespace
}  // namespace lbrec::fakeworld

namespace lbrec::fakeworld {
namespace {

TEST(LetterboxdSiteRollout, ShapeshifterPagesRotateThroughTheGenerations) {
  const World& world = testing::small_world();
  ASSERT_TRUE(world.user("shapeshifter")->rotate_markup);
  std::string route;
  const auto page = [&](int n) {
    return testing::parse_html(serve_letterboxd(world,
                                                testing::get(n == 1 ? "/shapeshifter/films/"
                                                                    : "/shapeshifter/films/page/" +
                                                                          std::to_string(n) + "/"),
                                                route)
                                   .body);
  };
  const auto legacy = page(1);
  EXPECT_EQ(legacy.select("//li[contains(@class,'poster-container')]").size(), 72u);
  const auto lazy = page(2);
  EXPECT_EQ(lazy.select("//li[@class='griditem']/div[@data-film-id]").size(), 72u);
  const auto current = page(3);
  EXPECT_EQ(current.select("//li[@class='griditem']/div[@data-item-slug]").size(), 72u);
  EXPECT_TRUE(current.select("//li[@class='griditem']/div[@data-film-id]").empty());
}

}  // namespace
}  // namespace lbrec::fakeworld
