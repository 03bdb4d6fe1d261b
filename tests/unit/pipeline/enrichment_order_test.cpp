// Which films get details, and in which order films are worked on.

#include <gtest/gtest.h>

#include "pipeline/profile_enricher.hpp"

namespace lbrec::pipeline {
namespace {

domain::WatchedFilm watched(std::string slug, std::optional<int> rating, bool liked = false) {
  domain::WatchedFilm w;
  w.film.slug = std::move(slug);
  w.rating = rating;
  w.liked = liked;
  return w;
}

TEST(EnrichmentPolicy, SeedsAreFourStarsOrLikedDetailsFromThreeAndAHalf) {
  const EnrichPolicy p;
  EXPECT_TRUE(is_seed(watched("a", 8), p));
  EXPECT_TRUE(is_seed(watched("b", 10), p));
  EXPECT_FALSE(is_seed(watched("c", 7), p));
  EXPECT_TRUE(is_seed(watched("d", std::nullopt, true), p));
  EXPECT_TRUE(is_seed(watched("e", 2, true), p));  // a like makes a seed whatever the rating
  EXPECT_TRUE(needs_details(watched("f", 7), p));
  EXPECT_FALSE(needs_details(watched("g", 6), p));
  EXPECT_FALSE(needs_details(watched("h", std::nullopt), p));
  EnrichPolicy no_likes;
  no_likes.likes_are_seeds = false;
  EXPECT_FALSE(is_seed(watched("d", std::nullopt, true), no_likes));
}

TEST(EnrichmentPolicy, SeedsComeFirstBestFirstThenDirectorsThenTheRestByRecency) {
  domain::Profile profile;
  profile.films = {watched("recent-unrated", std::nullopt), watched("three", 6),
                   watched("four", 8),
                   watched("liked-four", 8, true),
                   watched("three-half", 7),
                   watched("five", 10),
                   watched("liked-only", std::nullopt, true),
                   watched("old-unrated", std::nullopt)};
  std::vector<std::string> slugs;
  for (std::size_t i : enrichment_order(profile, EnrichPolicy{}))
    slugs.push_back(profile.films[i].film.slug);
  EXPECT_EQ(slugs, (std::vector<std::string>{"five", "liked-four", "four", "liked-only",
                                             "three-half", "recent-unrated", "three",
                                             "old-unrated"}));
}

TEST(EnrichmentPolicy, EmptyProfileHasNoOrder) {
  EXPECT_TRUE(enrichment_order(domain::Profile{}, EnrichPolicy{}).empty());
}

}  // namespace
}  // namespace lbrec::pipeline
