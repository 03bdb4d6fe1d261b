#include "sources/streaming/provider_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace lbrec::sources::streaming {
namespace {

TEST(ProviderNames, EveryServiceHasOneName) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Amazon Prime Video", "Prime Video"},
      {"Prime Video", "Prime Video"},
      {"Amazon Prime Video with Ads", "Prime Video"},
      {"Prime Video Amazon Channel", "Prime Video"},
      {"Disney+", "Disney Plus"},
      {"Disney Plus", "Disney Plus"},
      {"HBO Max", "Max"},
      {"Max", "Max"},
      {"Max Amazon Channel", "Max"},
      {"HBO Max Amazon Channel", "Max"},
      {"Apple TV+", "Apple TV+"},
      {"Apple TV Plus", "Apple TV+"},
      {"Paramount+", "Paramount+"},
      {"Paramount Plus", "Paramount+"},
      {"Paramount+ Amazon Channel", "Paramount+"},
      {"Paramount+ Apple TV Channel", "Paramount+"},
      {"Netflix", "Netflix"},
      {"Netflix basic with Ads", "Netflix"},
      {"Netflix Standard with Ads", "Netflix"},
  };
  for (const auto& [in, out] : cases) {
    EXPECT_EQ(normalize_provider_name(in), out) << in;
  }
}

TEST(ProviderNames, CaseAndWhiteSpaceDoNotMatter) {
  EXPECT_EQ(normalize_provider_name("  amazon PRIME video \t"), "Prime Video");
  EXPECT_EQ(normalize_provider_name("Disney   Plus"), "Disney Plus");
  EXPECT_EQ(normalize_provider_name("Netflix basic   WITH ads"), "Netflix");
}

TEST(ProviderNames, UnknownNamesAreKeptTrimmed) {
  EXPECT_EQ(normalize_provider_name("  MUBI "), "MUBI");
  EXPECT_EQ(normalize_provider_name("Hulu"), "Hulu");
  // A channel of a service the table does not know keeps its full name.
  EXPECT_EQ(normalize_provider_name("MUBI Amazon Channel"), "MUBI Amazon Channel");
  // The stores are other services than the subscriptions of similar names.
  EXPECT_EQ(normalize_provider_name("Apple TV"), "Apple TV");
  EXPECT_EQ(normalize_provider_name("Amazon Video"), "Amazon Video");
  EXPECT_EQ(normalize_provider_name("Maxdome"), "Maxdome");
  EXPECT_EQ(normalize_provider_name(""), "");
  EXPECT_EQ(normalize_provider_name(" with ads"), "with ads");
}

}  // namespace
}  // namespace lbrec::sources::streaming
