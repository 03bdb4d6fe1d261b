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

std::vector<std::string> ordered_slugs(const domain::Profile& profile, const EnrichPlan& plan) {
  std::vector<std::string> slugs;
  for (std::size_t i : plan.order)
    slugs.push_back(profile.films[i].film.slug);
  return slugs;
}

TEST(EnrichmentPlan, SeedsAreFourStarsOrLikedDetailsFromThreeAndAHalfAndTheLowest) {
  domain::Profile profile;
  profile.films = {watched("a", 8),
                   watched("b", 10),
                   watched("c", 7),
                   watched("d", std::nullopt, true),
                   watched("e", 2, true),
                   watched("f", 6),
                   watched("g", std::nullopt),
                   watched("h", 2),
                   watched("i", 4)};
  const EnrichPlan plan = plan_enrichment(profile, EnrichPolicy{});
  const std::vector<FilmNeed> expected = {FilmNeed::kSeed,     FilmNeed::kSeed,
                                          FilmNeed::kDetails,  FilmNeed::kSeed,
                                          FilmNeed::kSeed,  // a like makes a seed at any rating
                                          FilmNeed::kIdentify, FilmNeed::kIdentify,
                                          FilmNeed::kDetails,   // disliked: 1 star
                                          FilmNeed::kDetails};  // disliked: 2 stars
  EXPECT_EQ(plan.need, expected);
  EXPECT_EQ(plan.seeds, 4u);
  EXPECT_EQ(ordered_slugs(profile, plan),
            (std::vector<std::string>{"b", "d", "a", "e", "c", "h", "i", "f", "g"}));

  EnrichPolicy no_likes;
  no_likes.seeds.likes = false;
  no_likes.disliked_films = 1;
  const EnrichPlan strict = plan_enrichment(profile, no_likes);
  EXPECT_EQ(strict.need[3], FilmNeed::kIdentify);
  EXPECT_EQ(strict.need[4], FilmNeed::kDetails);   // lowest rated, most recent of the two
  EXPECT_EQ(strict.need[7], FilmNeed::kIdentify);  // beyond disliked_films
  EXPECT_EQ(strict.need[8], FilmNeed::kIdentify);
  EXPECT_EQ(strict.seeds, 2u);
}

TEST(EnrichmentPlan, SeedsComeFirstBestFirstThenDirectorsThenTheRestByRecency) {
  domain::Profile profile;
  profile.films = {watched("recent-unrated", std::nullopt),
                   watched("three", 6),
                   watched("four", 8),
                   watched("liked-four", 8, true),
                   watched("three-half", 7),
                   watched("five", 10),
                   watched("liked-only", std::nullopt, true),
                   watched("old-unrated", std::nullopt)};
  EXPECT_EQ(ordered_slugs(profile, plan_enrichment(profile, EnrichPolicy{})),
            (std::vector<std::string>{"five", "liked-four", "liked-only", "four", "three-half",
                                      "recent-unrated", "three", "old-unrated"}));
}

TEST(EnrichmentPlan, WithoutHighRatingsOrLikesTheBestRatedFilmsAreSeeds) {
  domain::Profile profile;
  profile.films = {watched("two", 4), watched("three", 6), watched("unrated", std::nullopt)};
  const EnrichPlan plan = plan_enrichment(profile, EnrichPolicy{});
  ASSERT_EQ(plan.seeds, 2u);
  EXPECT_EQ(ordered_slugs(profile, plan)[0], "three");
  profile.films = {watched("x", std::nullopt), watched("y", std::nullopt)};
  EXPECT_EQ(plan_enrichment(profile, EnrichPolicy{}).seeds, 2u);  // nothing rated: latest films
}

TEST(EnrichmentPlan, EmptyProfileHasNoOrder) {
  EXPECT_TRUE(plan_enrichment(domain::Profile{}, EnrichPolicy{}).order.empty());
}

}  // namespace
}  // namespace lbrec::pipeline
