// The parsers read the fake letterboxd.com back into the World it was rendered from: every films
// page of members in each markup generation, likes, watchlists, RSS and film pages.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "canonical_json.hpp"
#include "fakeworld/dates.hpp"
#include "fakeworld/letterboxd_site.hpp"
#include "fakeworld/world.hpp"

namespace lbrec::sources::letterboxd {
namespace {

using fakeworld::Film;
using fakeworld::User;
using fakeworld::Viewing;
using fakeworld::World;

const World& world() {
  static const std::shared_ptr<const World> w =
      World::generate({.seed = 3, .films = 1500, .users = 20});
  return *w;
}

const Film& film_at(int index) {
  return world().films()[static_cast<std::size_t>(index)];
}

const User& member(std::string_view name) {
  const User* u = world().user(name);
  if (u == nullptr) throw std::runtime_error("no member " + std::string(name));
  return *u;
}

fakeworld::FakeReply get(const std::string& path) {
  fakeworld::FakeRequest req;
  req.path = path;
  std::string route;
  return fakeworld::serve_letterboxd(world(), req, route);
}

std::string page_path(const std::string& base, int page) {
  return page == 1 ? base : base + "page/" + std::to_string(page) + "/";
}

Markup expected_markup(fakeworld::Markup m) {
  switch (m) {
    case fakeworld::Markup::kLegacy:
      return Markup::kLegacy;
    case fakeworld::Markup::kLazyPoster:
      return Markup::kLazyPoster;
    case fakeworld::Markup::kCurrent:
      return Markup::kCurrent;
  }
  return Markup::kCurrent;
}

std::optional<int> year_of(const Film& f) {
  return f.letterboxd_year ? std::optional<int>(f.letterboxd_year) : std::nullopt;
}

// The FilmRef a grid item should carry for `f` in `markup` (legacy has no lid).
domain::FilmRef grid_ref(const Film& f, Markup markup) {
  domain::FilmRef ref;
  ref.slug = f.slug;
  ref.title = f.title;
  ref.year = year_of(f);
  ref.letterboxd_id = f.lb_id;
  if (markup != Markup::kLegacy) ref.lid = f.lid;
  return ref;
}

struct Collected {
  std::vector<GridItem> items;
  int pages = 0;
};

// Fetches and parses every page of a grid, checking what each page says about the whole.
Collected collect(const User& u, const std::string& base, int per_page, int total) {
  Collected c;
  const int pages = std::max(1, (total + per_page - 1) / per_page);
  c.pages = pages;
  for (int p = 1; p <= pages; ++p) {
    SCOPED_TRACE(page_path(base, p));
    const auto reply = get(page_path(base, p));
    EXPECT_EQ(reply.status, 200);
    const auto page = parse_grid_page(reply.body);
    if (!page) {
      ADD_FAILURE() << page.error().message;
      continue;
    }
    EXPECT_EQ(page->owner, u.name);
    EXPECT_EQ(page->page_count, pages);
    EXPECT_EQ(page->total_films, total);
    const int expected_items = std::min(per_page, total - (p - 1) * per_page);
    EXPECT_EQ(static_cast<int>(page->items.size()), expected_items);
    if (expected_items > 0) {
      EXPECT_EQ(page->markup, expected_markup(u.markup));
    } else {
      EXPECT_EQ(page->markup, std::nullopt);
    }
    c.items.insert(c.items.end(), page->items.begin(), page->items.end());
  }
  return c;
}

class FakeworldRoundtrip : public ::testing::TestWithParam<const char*> {};

TEST_P(FakeworldRoundtrip, FilmsPagesGiveTheMembersHistoryInOrder) {
  const User& u = member(GetParam());
  const Markup markup = expected_markup(u.markup);
  const int total = static_cast<int>(u.films.size());
  const Collected c = collect(u, "/" + u.name + "/films/", 72, total);
  ASSERT_EQ(c.items.size(), u.films.size());
  for (std::size_t i = 0; i < u.films.size(); ++i) {
    const Viewing& v = u.films[i];
    const Film& f = film_at(v.film);
    const GridItem& item = c.items[i];
    EXPECT_EQ(item.film, grid_ref(f, markup)) << i << " " << f.slug;
    EXPECT_EQ(item.rating, v.rating ? std::optional<int>(v.rating) : std::nullopt) << f.slug;
    EXPECT_EQ(item.liked, v.liked) << f.slug;
  }
}

TEST_P(FakeworldRoundtrip, PagePastTheEndIsAnEmptyGrid) {
  const User& u = member(GetParam());
  const int pages = std::max(1, static_cast<int>((u.films.size() + 71) / 72));
  const auto reply = get(page_path("/" + u.name + "/films/", pages + 1));
  ASSERT_EQ(reply.status, 200);
  const auto page = parse_grid_page(reply.body);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(page->markup, std::nullopt);
  EXPECT_EQ(page->page_count, pages);
}

TEST_P(FakeworldRoundtrip, LikesPagesListTheLikedFilms) {
  const User& u = member(GetParam());
  std::vector<const Viewing*> liked;
  for (const Viewing& v : u.films) {
    if (v.liked) liked.push_back(&v);
  }
  const Collected c =
      collect(u, "/" + u.name + "/likes/films/", 72, static_cast<int>(liked.size()));
  ASSERT_EQ(c.items.size(), liked.size());
  for (std::size_t i = 0; i < liked.size(); ++i) {
    const Film& f = film_at(liked[i]->film);
    EXPECT_EQ(c.items[i].film, grid_ref(f, expected_markup(u.markup)));
    EXPECT_TRUE(c.items[i].liked);
    EXPECT_EQ(c.items[i].rating,
              liked[i]->rating ? std::optional<int>(liked[i]->rating) : std::nullopt);
  }
}

TEST_P(FakeworldRoundtrip, WatchlistPagesListTheWatchlist) {
  const User& u = member(GetParam());
  const Collected c =
      collect(u, "/" + u.name + "/watchlist/", 28, static_cast<int>(u.watchlist.size()));
  ASSERT_EQ(c.items.size(), u.watchlist.size());
  for (std::size_t i = 0; i < u.watchlist.size(); ++i) {
    EXPECT_EQ(c.items[i].film, grid_ref(film_at(u.watchlist[i]), expected_markup(u.markup)));
    EXPECT_EQ(c.items[i].rating, std::nullopt);
    EXPECT_FALSE(c.items[i].liked);
  }
}

TEST_P(FakeworldRoundtrip, RssEntriesAreTheRecentDiaryViewings) {
  const User& u = member(GetParam());
  const auto reply = get("/" + u.name + "/rss/");
  ASSERT_EQ(reply.status, 200);
  const auto entries = parse_rss(reply.body);
  ASSERT_TRUE(entries) << entries.error().message;
  // The fake feed holds 50 items: the most recent diary viewings, with one list-activity item
  // (no watched date, so not a viewing) in the 4th slot when there are more than three.
  std::vector<const Viewing*> diary;
  for (const Viewing& v : u.films) {
    if (v.in_diary) diary.push_back(&v);
  }
  if (diary.size() > 49) diary.resize(49);
  ASSERT_EQ(entries->size(), diary.size());
  for (std::size_t i = 0; i < diary.size(); ++i) {
    const Viewing& v = *diary[i];
    const Film& f = film_at(v.film);
    const RssEntry& e = (*entries)[i];
    EXPECT_EQ(e.film.slug, f.slug);
    EXPECT_EQ(e.film.title, f.title);
    EXPECT_EQ(e.film.year, year_of(f));
    EXPECT_EQ(e.film.tmdb_id, f.tmdb_id);
    EXPECT_EQ(e.film.is_tv, f.is_tv);
    EXPECT_EQ(e.rating, v.rating ? std::optional<int>(v.rating) : std::nullopt);
    EXPECT_EQ(e.liked, v.liked);
    EXPECT_EQ(e.rewatch, v.rewatch);
    EXPECT_EQ(e.is_review, v.reviewed);
    EXPECT_EQ(e.watched_date, fakeworld::iso_date(v.watched_day));
    EXPECT_EQ(e.guid, (v.reviewed ? "letterboxd-review-" : "letterboxd-watch-") +
                          std::to_string(v.viewing_id));
  }
}

INSTANTIATE_TEST_SUITE_P(Members, FakeworldRoundtrip,
                         ::testing::Values("demo", "lazy_poster", "legacy_fan", "exactly72",
                                           "just73", "newcomer"));

TEST(FakeworldRoundtripMembers, NamedMembersCoverEveryGeneration) {
  EXPECT_EQ(member("demo").markup, fakeworld::Markup::kCurrent);
  EXPECT_EQ(member("lazy_poster").markup, fakeworld::Markup::kLazyPoster);
  EXPECT_EQ(member("legacy_fan").markup, fakeworld::Markup::kLegacy);
  EXPECT_EQ(member("exactly72").films.size(), 72u);
  EXPECT_EQ(member("just73").films.size(), 73u);
  EXPECT_TRUE(member("newcomer").films.empty());
}

// The film page's facts against the World, for the hostile titles, TV entries, films without an
// IMDb id or a year, and a spread of ordinary films.
void check_film_page(const Film& f) {
  SCOPED_TRACE(f.slug);
  const auto reply = get("/film/" + f.slug + "/");
  ASSERT_EQ(reply.status, 200);
  const auto page = parse_film_page(reply.body);
  ASSERT_TRUE(page) << page.error().message;
  domain::FilmRef ref;
  ref.slug = f.slug;
  ref.title = f.title;
  ref.year = year_of(f);
  ref.letterboxd_id = f.lb_id;
  ref.lid = f.lid;
  ref.tmdb_id = f.tmdb_id;
  ref.is_tv = f.is_tv;
  EXPECT_EQ(page->film, ref);
  EXPECT_EQ(page->imdb_id, f.imdb_id);
  std::vector<std::string> directors;
  for (int d : f.director_ids)
    directors.push_back(world().people()[static_cast<std::size_t>(d)].name);
  EXPECT_EQ(page->directors, directors);
  std::vector<std::string> genres;
  for (int g : f.genre_ids)
    genres.emplace_back(fakeworld::genre_name(g));
  EXPECT_EQ(page->genres, genres);
  EXPECT_EQ(page->runtime, f.runtime ? std::optional<int>(f.runtime) : std::nullopt);
  EXPECT_EQ(page->poster_url.empty(), f.poster_path.empty());
  if (f.vote_count >= 10) {
    ASSERT_TRUE(page->average_rating.has_value());
    EXPECT_NEAR(*page->average_rating, std::clamp(f.vote_average / 2.0 - 0.1, 0.5, 5.0), 0.006);
  } else {
    EXPECT_EQ(page->average_rating, std::nullopt);
  }
}

TEST(FakeworldRoundtripFilmPage, HostileTitlesRoundTripExactly) {
  EXPECT_EQ(film_at(0).title, "<img src=x onerror=alert(1)>");
  check_film_page(film_at(0));
  check_film_page(film_at(1));
}

TEST(FakeworldRoundtripFilmPage, TvNoImdbNoYearAndOrdinaryFilms) {
  int tv = 0, no_imdb = 0, no_year = 0;
  for (const Film& f : world().films()) {
    const bool wanted = (f.is_tv && tv < 3) || (f.imdb_id.empty() && no_imdb < 3) ||
                        (f.letterboxd_year == 0 && no_year < 3) || f.index % 97 == 0;
    if (!wanted) continue;
    tv += f.is_tv ? 1 : 0;
    no_imdb += f.imdb_id.empty() ? 1 : 0;
    no_year += f.letterboxd_year == 0 ? 1 : 0;
    check_film_page(f);
  }
  EXPECT_GT(tv, 0);
  EXPECT_GT(no_imdb, 0);
}

TEST(FakeworldRoundtripGrid, HostileTitlesRoundTripThroughGrids) {
  // Whoever has film 0 or 1 in their history shows it on a films page; check it round-trips.
  int seen = 0;
  for (const User& u : world().users()) {
    for (std::size_t i = 0; i < u.films.size(); ++i) {
      const int film = u.films[i].film;
      if (film > 1) continue;
      const auto reply = get(page_path("/" + u.name + "/films/", static_cast<int>(i / 72) + 1));
      const auto page = parse_grid_page(reply.body);
      ASSERT_TRUE(page) << page.error().message;
      const GridItem& item = page->items[i % 72];
      EXPECT_EQ(item.film.title, film_at(film).title) << u.name;
      EXPECT_EQ(item.film.slug, film_at(film).slug);
      ++seen;
    }
  }
  EXPECT_GT(seen, 0) << "no member has films 0 or 1; pick another seed";
}

TEST(FakeworldRoundtripGrid, NotFoundPageIsNotAGrid) {
  const auto reply = get("/nobody-here/films/");
  EXPECT_EQ(reply.status, 404);
  const auto page = parse_grid_page(reply.body);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, core::ErrorCode::kParseError);
  EXPECT_EQ(detect_block(404, "", reply.body), PageBlock::kNone);
}

}  // namespace
}  // namespace lbrec::sources::letterboxd
