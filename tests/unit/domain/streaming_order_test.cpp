#include <gtest/gtest.h>

#include "domain/streaming.hpp"

namespace lbrec::domain {
namespace {

TEST(OrderOffers, StreamsFirstKeepingTheOrderWithinATypeWithoutRepeats) {
  std::vector<StreamingOffer> offers = {
      {"Amazon Video", 10, Monetization::kBuy},   {"Netflix", 8, Monetization::kFlatrate},
      {"Amazon Video", 10, Monetization::kRent},  {"Tubi TV", 73, Monetization::kAds},
      {"Netflix", 1796, Monetization::kFlatrate}, {"Max", 1899, Monetization::kFlatrate},
      {"Kanopy", 191, Monetization::kFree},       {"Apple TV", 2, Monetization::kBuy}};
  order_offers(offers);
  EXPECT_EQ(offers, (std::vector<StreamingOffer>{{"Netflix", 8, Monetization::kFlatrate},
                                                 {"Max", 1899, Monetization::kFlatrate},
                                                 {"Kanopy", 191, Monetization::kFree},
                                                 {"Tubi TV", 73, Monetization::kAds},
                                                 {"Amazon Video", 10, Monetization::kRent},
                                                 {"Amazon Video", 10, Monetization::kBuy},
                                                 {"Apple TV", 2, Monetization::kBuy}}));
  std::vector<StreamingOffer> none;
  order_offers(none);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace lbrec::domain
