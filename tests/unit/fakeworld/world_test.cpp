// Generator invariants of the fake world: determinism, catalogue shape, named members, hidden
// taste, similar/recommendations, offers and search.

#include "fakeworld/world.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "engine/title.hpp"
#include "fakeworld/export_zip.hpp"
#include "fakeworld/letterboxd_site.hpp"
#include "fakeworld/providers.hpp"
#include "fakeworld/tmdb_api.hpp"
#include "fakeworld_test_support.hpp"

namespace lbrec::fakeworld {
namespace {

using testing::film_at;
using testing::get;
using testing::member;
using testing::small_world;

// Everything observable about a world through its fake upstreams, for determinism checks.
std::string fingerprint(const World& w) {
  std::string out;
  std::string route;
  for (const char* path : {"/demo/films/", "/demo/films/page/2/", "/legacy_fan/films/",
                           "/lazy_poster/likes/films/", "/cinephile/watchlist/", "/demo/rss/"}) {
    out += serve_letterboxd(w, get(path), route).body;
  }
  for (int i : {0, 5, 42, 700}) {
    const Film& f = film_at(w, i);
    out += serve_letterboxd(w, get("/film/" + f.slug + "/"), route).body;
    if (!f.is_tv) {
      out += serve_tmdb(w,
                        get("/3/movie/" + std::to_string(f.tmdb_id),
                            {{"api_key", std::string(kFakeTmdbApiKey)},
                             {"append_to_response", "credits,keywords,watch/providers,similar"}}),
                        route)
                 .body;
    }
  }
  const auto zip = export_zip(w, member(w, "demo"));
  EXPECT_TRUE(zip.has_value());
  if (zip) out += *zip;
  return out;
}

TEST(WorldGenerator, SameSeedGivesIdenticalOutput) {
  const auto again = World::generate(testing::kSmallWorld);
  const World& w = small_world();
  ASSERT_EQ(again->films().size(), w.films().size());
  for (std::size_t i = 0; i < w.films().size(); ++i) {
    ASSERT_EQ(again->films()[i].slug, w.films()[i].slug) << i;
    ASSERT_EQ(again->films()[i].tmdb_id, w.films()[i].tmdb_id) << i;
  }
  const std::string a = fingerprint(w);
  const std::string b = fingerprint(*again);
  EXPECT_GT(a.size(), 100000u);
  EXPECT_TRUE(a == b) << "same seed rendered different pages";

  // Export bytes alone, byte for byte.
  const auto za = export_zip(w, member(w, "cinephile"));
  const auto zb = export_zip(*again, member(*again, "cinephile"));
  ASSERT_TRUE(za && zb);
  EXPECT_TRUE(*za == *zb);
}

TEST(WorldGenerator, DifferentSeedGivesDifferentWorld) {
  WorldOptions other = testing::kSmallWorld;
  other.seed = 8;
  const auto w2 = World::generate(other);
  const World& w = small_world();
  int same_slug = 0;
  for (std::size_t i = 2; i < w.films().size(); ++i) {
    same_slug += w.films()[i].slug == w2->films()[i].slug ? 1 : 0;
  }
  EXPECT_LT(same_slug, 100);
  EXPECT_NE(fingerprint(w), fingerprint(*w2));
}

TEST(WorldGenerator, CatalogueHasUniqueIdentifiers) {
  const World& w = small_world();
  ASSERT_EQ(w.films().size(), 1500u);
  std::set<int> tmdb, lb;
  std::set<std::string> lids, slugs;
  for (std::size_t i = 0; i < w.films().size(); ++i) {
    const Film& f = w.films()[i];
    EXPECT_EQ(f.index, static_cast<int>(i));
    EXPECT_TRUE(tmdb.insert(f.tmdb_id).second) << f.tmdb_id;
    EXPECT_TRUE(lb.insert(f.lb_id).second) << f.lb_id;
    EXPECT_TRUE(lids.insert(f.lid).second) << f.lid;
    EXPECT_TRUE(slugs.insert(f.slug).second) << f.slug;
    EXPECT_EQ(f.lid.size(), 4u);
    EXPECT_FALSE(f.slug.empty());
    EXPECT_EQ(w.film_by_slug(f.slug), &f);
    EXPECT_EQ(w.film_by_lid(f.lid), &f);
    if (!f.is_tv) {
      EXPECT_EQ(w.film_by_tmdb(f.tmdb_id), &f);
    }
  }
  EXPECT_EQ(w.film_by_slug("no-such-film-anywhere"), nullptr);
  EXPECT_EQ(w.film_by_tmdb(0), nullptr);
}

TEST(WorldGenerator, YearsSpanTheCenturyWithFewUnknown) {
  const World& w = small_world();
  int zero = 0;
  std::set<int> decades;
  for (const Film& f : w.films()) {
    if (f.year == 0) {
      ++zero;
      EXPECT_EQ(f.letterboxd_year, 0);
      EXPECT_TRUE(f.release_date.empty());
      continue;
    }
    EXPECT_GE(f.year, 1915) << f.slug;
    EXPECT_LE(f.year, 2026) << f.slug;
    EXPECT_TRUE(f.letterboxd_year == f.year || f.letterboxd_year == f.year - 1) << f.slug;
    EXPECT_EQ(f.release_date.substr(0, 4), std::to_string(f.year));
    decades.insert(f.year / 10 * 10);
  }
  EXPECT_LE(zero * 100, static_cast<int>(w.films().size())) << zero << " films without a year";
  for (int d = 1920; d <= 2020; d += 10) {
    EXPECT_TRUE(decades.contains(d)) << d << "s missing";
  }
}

TEST(WorldGenerator, GenresAreTmdbsNineteen) {
  const auto genres = tmdb_genres();
  ASSERT_EQ(genres.size(), 19u);
  const std::map<int, std::string> expected = {
      {28, "Action"},      {12, "Adventure"},  {16, "Animation"},
      {35, "Comedy"},      {80, "Crime"},      {99, "Documentary"},
      {18, "Drama"},       {10751, "Family"},  {14, "Fantasy"},
      {36, "History"},     {27, "Horror"},     {10402, "Music"},
      {9648, "Mystery"},   {10749, "Romance"}, {878, "Science Fiction"},
      {10770, "TV Movie"}, {53, "Thriller"},   {10752, "War"},
      {37, "Western"}};
  for (const Genre& g : genres) {
    ASSERT_TRUE(expected.contains(g.id)) << g.id;
    EXPECT_EQ(expected.at(g.id), g.name);
    EXPECT_EQ(genre_name(g.id), g.name);
  }
  EXPECT_TRUE(genre_name(10769).empty());  // the retired "Foreign"

  std::set<int> used;
  for (const Film& f : small_world().films()) {
    EXPECT_FALSE(f.genre_ids.empty()) << f.slug;
    EXPECT_EQ(std::set<int>(f.genre_ids.begin(), f.genre_ids.end()).size(), f.genre_ids.size());
    for (int g : f.genre_ids) {
      EXPECT_TRUE(expected.contains(g)) << g;
      used.insert(g);
    }
  }
  EXPECT_GE(used.size(), 15u);
}

TEST(WorldGenerator, VotesAreLongTailed) {
  const World& w = small_world();
  std::vector<int> counts;
  double sum = 0;
  for (const Film& f : w.films()) {
    counts.push_back(f.vote_count);
    sum += f.vote_count;
    EXPECT_GE(f.vote_count, 0);
    EXPECT_GE(f.vote_average, 0.0);
    EXPECT_LE(f.vote_average, 10.0);
    if (f.vote_count == 0) {
      EXPECT_EQ(f.vote_average, 0.0) << f.slug;
    }
    EXPECT_GE(f.popularity, 0.0);
  }
  std::sort(counts.begin(), counts.end());
  const double median = counts[counts.size() / 2];
  const double mean = sum / static_cast<double>(counts.size());
  EXPECT_LT(median, mean);
  EXPECT_GT(counts.back(), 10 * median);
  EXPECT_EQ(counts.front(), 0) << "some films should have no votes at all";
}

TEST(WorldGenerator, DirectorsCollectionsAndRemakes) {
  const World& w = small_world();
  std::map<int, int> per_director;
  for (const Film& f : w.films()) {
    for (int d : f.director_ids) {
      ASSERT_GE(d, 0);
      ASSERT_LT(d, static_cast<int>(w.people().size()));
      ++per_director[d];
    }
  }
  const auto prolific = std::count_if(per_director.begin(), per_director.end(),
                                      [](const auto& kv) { return kv.second >= 3; });
  EXPECT_GE(prolific, 10);

  ASSERT_FALSE(w.collections().empty());
  for (std::size_t c = 0; c < w.collections().size(); ++c) {
    const Collection& col = w.collections()[c];
    EXPECT_GE(col.films.size(), 2u) << col.name;
    for (int fi : col.films) {
      EXPECT_EQ(film_at(w, fi).collection, static_cast<int>(c));
    }
  }

  // Remakes: the same title, different years and different TMDB ids.
  std::map<std::string, std::vector<const Film*>> by_title;
  for (const Film& f : w.films())
    by_title[f.title].push_back(&f);
  int remakes = 0;
  for (const auto& [title, films] : by_title) {
    for (std::size_t i = 0; i < films.size(); ++i) {
      for (std::size_t j = i + 1; j < films.size(); ++j) {
        if (films[i]->year != films[j]->year && films[i]->year && films[j]->year &&
            films[i]->tmdb_id != films[j]->tmdb_id) {
          ++remakes;
          EXPECT_NE(films[i]->slug, films[j]->slug);
        }
      }
    }
  }
  EXPECT_GE(remakes, 2);
}

bool has_latin_accent(std::string_view s) {
  // UTF-8 lead bytes 0xC3..0xC5 cover Latin-1 Supplement and Latin Extended-A letters.
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xC3 && c <= 0xC5) return true;
  }
  return false;
}

bool has_non_latin(std::string_view s) {
  // Lead bytes of 3-byte sequences (CJK, Hangul, Devanagari) or Cyrillic/Arabic (0xD0..0xDB).
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 0xD0 && c <= 0xDB) || (c >= 0xE0 && c <= 0xEF)) return true;
  }
  return false;
}

TEST(WorldGenerator, TitlesExerciseEscapingAndUnicode) {
  const World& w = small_world();
  EXPECT_EQ(film_at(w, 0).title, "<img src=x onerror=alert(1)>");
  int accents = 0, non_latin = 0, amp = 0, lt = 0, quote = 0, tv = 0;
  for (const Film& f : w.films()) {
    accents += has_latin_accent(f.title) || has_latin_accent(f.original_title) ? 1 : 0;
    non_latin += has_non_latin(f.original_title) && !has_non_latin(f.title) ? 1 : 0;
    amp += f.title.find('&') != std::string::npos ? 1 : 0;
    lt += f.title.find('<') != std::string::npos ? 1 : 0;
    quote += f.title.find('"') != std::string::npos ? 1 : 0;
    tv += f.is_tv ? 1 : 0;
  }
  EXPECT_GT(accents, 0);
  EXPECT_GT(non_latin, 0);
  EXPECT_GT(amp, 1);
  EXPECT_GT(lt, 1);
  EXPECT_GT(quote, 0);
  EXPECT_GT(tv, 0);
  EXPECT_LT(tv * 20, static_cast<int>(w.films().size()));
}

TEST(WorldGenerator, NamedMembersHaveTheirShapes) {
  const World& w = small_world();
  EXPECT_EQ(member(w, "newcomer").films.size(), 0u);
  EXPECT_EQ(member(w, "one_film").films.size(), 1u);
  EXPECT_EQ(member(w, "exactly72").films.size(), 72u);
  EXPECT_EQ(member(w, "just73").films.size(), 73u);
  EXPECT_EQ(member(w, "demo").films.size(), 420u);
  // A history never covers more than 60% of the catalogue.
  EXPECT_EQ(member(w, "marathoner").films.size(), 900u);
  EXPECT_EQ(member(w, "legacy_fan").markup, Markup::kLegacy);
  EXPECT_EQ(member(w, "lazy_poster").markup, Markup::kLazyPoster);
  EXPECT_EQ(member(w, "demo").markup, Markup::kCurrent);
  const User& no_ratings = member(w, "no_ratings");
  EXPECT_FALSE(no_ratings.films.empty());
  for (const Viewing& v : no_ratings.films) {
    EXPECT_EQ(v.rating, 0);
  }
  EXPECT_NE(member(w, "one_film").films[0].rating, 0);
  EXPECT_EQ(w.user("DEMO"), w.user("demo"));  // case-insensitive, as Letterboxd
  EXPECT_EQ(w.user("nobody_here_xyz"), nullptr);
  EXPECT_EQ(w.users().size(), 13u + 60u);  // named members, then generated ones

  for (const User& u : w.users()) {
    std::set<int> seen;
    for (std::size_t i = 0; i < u.films.size(); ++i) {
      const Viewing& v = u.films[i];
      EXPECT_TRUE(seen.insert(v.film).second) << u.name << " saw a film twice";
      EXPECT_GE(v.rating, 0);
      EXPECT_LE(v.rating, 10);
      if (i > 0) {
        EXPECT_LE(v.watched_day, u.films[i - 1].watched_day) << u.name;
      }
    }
    for (int f : u.watchlist) {
      EXPECT_FALSE(seen.contains(f)) << u.name << " watchlists a seen film";
    }
  }
}

TEST(WorldGenerator, MarathonerReaches3000InALargeEnoughWorld) {
  const auto big = World::generate({.seed = 3, .films = 5000, .users = 0});
  EXPECT_EQ(big->films().size(), 5000u);
  EXPECT_EQ(member(*big, "marathoner").films.size(), 3000u);
  EXPECT_EQ(member(*big, "cinephile").films.size(), 1200u);
  EXPECT_EQ(member(*big, "critic").films.size(), 1000u);
  EXPECT_EQ(big->users().size(), 13u);
}

TEST(WorldGenerator, HiddenTasteShowsInRatings) {
  const World& w = small_world();
  std::map<int, std::size_t> position;
  for (std::size_t i = 0; i < tmdb_genres().size(); ++i)
    position[tmdb_genres()[i].id] = i;
  int users = 0, agreeing = 0;
  for (const User& u : w.users()) {
    const auto rated = std::count_if(u.films.begin(), u.films.end(),
                                     [](const Viewing& v) { return v.rating > 0; });
    if (rated < 100) continue;
    std::vector<std::size_t> order(19);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return u.taste.genre[a] > u.taste.genre[b]; });
    const std::set<std::size_t> top(order.begin(), order.begin() + 3);
    const std::set<std::size_t> bottom(order.end() - 3, order.end());
    double top_sum = 0, bottom_sum = 0;
    int top_n = 0, bottom_n = 0;
    for (const Viewing& v : u.films) {
      if (v.rating == 0) continue;
      bool in_top = false, in_bottom = false;
      for (int g : film_at(w, v.film).genre_ids) {
        in_top |= top.contains(position.at(g));
        in_bottom |= bottom.contains(position.at(g));
      }
      if (in_top && !in_bottom) top_sum += v.rating, ++top_n;
      if (in_bottom && !in_top) bottom_sum += v.rating, ++bottom_n;
    }
    if (top_n < 5 || bottom_n < 5) continue;
    ++users;
    agreeing += top_sum / top_n > bottom_sum / bottom_n ? 1 : 0;
  }
  EXPECT_GE(users, 10);
  EXPECT_GE(agreeing * 4, users * 3) << agreeing << " of " << users;
}

TEST(WorldGenerator, SimilarSharesAGenreAndIsLong) {
  const World& w = small_world();
  std::vector<std::size_t> lengths;
  for (int fi = 2; fi < 300; fi += 13) {
    const Film& f = film_at(w, fi);
    const auto similar = w.similar(fi);
    lengths.push_back(similar.size());
    std::set<int> distinct(similar.begin(), similar.end());
    EXPECT_EQ(distinct.size(), similar.size());
    for (int s : similar) {
      const Film& g = film_at(w, s);
      EXPECT_NE(s, fi);
      EXPECT_FALSE(g.is_tv);
      const bool shares = std::any_of(f.genre_ids.begin(), f.genre_ids.end(), [&](int id) {
        return std::find(g.genre_ids.begin(), g.genre_ids.end(), id) != g.genre_ids.end();
      });
      ASSERT_TRUE(shares) << f.slug << " / " << g.slug;
    }
  }
  std::sort(lengths.begin(), lengths.end());
  EXPECT_GE(lengths[lengths.size() / 2], 200u);
  // Collection siblings rank above an arbitrary film with the same genres.
  const Collection& c = w.collections().front();
  const auto similar = w.similar(c.films[0]);
  const auto pos = std::find(similar.begin(), similar.end(), c.films[1]) - similar.begin();
  EXPECT_LT(pos, 40);
}

TEST(WorldGenerator, RecommendationsAreShortAndSometimesEmpty) {
  const World& w = small_world();
  int empty = 0, non_empty = 0;
  for (std::size_t fi = 0; fi < w.films().size(); fi += 3) {
    const auto recs = w.recommendations(static_cast<int>(fi));
    EXPECT_LE(recs.size(), 40u);
    (recs.empty() ? empty : non_empty) += 1;
    for (int r : recs) {
      EXPECT_NE(r, static_cast<int>(fi));
      EXPECT_FALSE(film_at(w, r).is_tv);
    }
    EXPECT_EQ(recs, w.recommendations(static_cast<int>(fi)));
  }
  EXPECT_GT(empty, 0);
  EXPECT_GT(non_empty, 0);
}

TEST(WorldGenerator, OffersAreDeterministicAndLocal) {
  const World& w = small_world();
  int with_offers = 0;
  for (const char* country : {"US", "GB", "FR", "JP", "IS"}) {
    const auto local = providers_in(country);
    const std::set<const Provider*> allowed(local.begin(), local.end());
    EXPECT_EQ(w.providers(country), local);
    for (int fi = 0; fi < 400; ++fi) {
      const auto a = w.offers(fi, country);
      const auto b = w.offers(fi, country);
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].provider, b[i].provider);
        EXPECT_EQ(a[i].type, b[i].type);
        EXPECT_TRUE(allowed.contains(a[i].provider))
            << a[i].provider->name << " offered in " << country;
        const std::set<std::string_view> types = {"flatrate", "rent", "buy", "free", "ads"};
        EXPECT_TRUE(types.contains(a[i].type)) << a[i].type;
      }
      if (film_at(w, fi).is_tv) {
        EXPECT_TRUE(a.empty());
      }
      with_offers += a.empty() ? 0 : 1;
    }
  }
  EXPECT_GT(with_offers, 400);
  // Regional services stay in their region.
  for (const Provider* p : providers_in("GB")) {
    EXPECT_NE(p->id, 15) << "Hulu is US only";
  }
}

TEST(WorldGenerator, SearchRanksExactTitlesFirstAndFiltersYears) {
  const World& w = small_world();
  // Exact normalised matches come before partial ones.
  int checked = 0;
  for (const Film& f : w.films()) {
    if (f.is_tv || f.index < 2 || f.title.find(' ') == std::string::npos) continue;
    const auto hits = w.search(f.title, 0, 0);
    ASSERT_FALSE(hits.empty()) << f.title;
    const std::string q = engine::normalize_title(f.title);
    const auto exact = [&](int i) {
      return engine::normalize_title(film_at(w, i).title) == q ||
             engine::normalize_title(film_at(w, i).original_title) == q;
    };
    EXPECT_TRUE(exact(hits.front())) << f.title;
    EXPECT_TRUE(std::is_partitioned(hits.begin(), hits.end(), exact)) << f.title;
    EXPECT_NE(std::find(hits.begin(), hits.end(), f.index), hits.end());
    if (++checked == 30) break;
  }
  EXPECT_EQ(checked, 30);

  // `year` matches the premiere year too; `primary_year` only the primary release year.
  const auto premiered_early = std::find_if(w.films().begin(), w.films().end(), [](const Film& f) {
    return !f.is_tv && f.index >= 2 && f.year != 0 && f.letterboxd_year == f.year - 1;
  });
  ASSERT_NE(premiered_early, w.films().end());
  const Film& f = *premiered_early;
  const auto contains = [&](const std::vector<int>& hits) {
    return std::find(hits.begin(), hits.end(), f.index) != hits.end();
  };
  EXPECT_TRUE(contains(w.search(f.title, f.year, 0)));
  EXPECT_TRUE(contains(w.search(f.title, f.letterboxd_year, 0)));
  EXPECT_TRUE(contains(w.search(f.title, 0, f.year)));
  EXPECT_FALSE(contains(w.search(f.title, 0, f.letterboxd_year)));
  EXPECT_FALSE(contains(w.search(f.title, f.year + 3, 0)));
  for (int i : w.search(f.title, 0, f.year)) {
    EXPECT_EQ(film_at(w, i).year, f.year);
  }

  EXPECT_TRUE(w.search("", 0, 0).empty());
  EXPECT_TRUE(w.search("zzqqxx nonexistentword", 0, 0).empty());
  // Punctuation and case do not matter; TV entries never match.
  const Film& quoted = film_at(w, 1);
  const auto hits = w.search("tom and jerry's great escape", 0, 0);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits.front(), quoted.index);
  for (const Film& t : w.films()) {
    if (!t.is_tv) continue;
    const auto tv_hits = w.search(t.title, 0, 0);
    EXPECT_EQ(std::find(tv_hits.begin(), tv_hits.end(), t.index), tv_hits.end()) << t.title;
  }
}

TEST(WorldGenerator, FansAreMembersWhoLovedTheFilm) {
  const World& w = small_world();
  for (int fi = 0; fi < 200; ++fi) {
    for (int ui : w.fans(fi)) {
      const User& u = w.users()[static_cast<std::size_t>(ui)];
      const auto it = std::find_if(u.films.begin(), u.films.end(),
                                   [&](const Viewing& v) { return v.film == fi; });
      ASSERT_NE(it, u.films.end());
      EXPECT_TRUE(it->rating >= 8 || it->liked);
    }
  }
}

}  // namespace
}  // namespace lbrec::fakeworld
