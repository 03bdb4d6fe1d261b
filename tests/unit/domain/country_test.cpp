#include "domain/country.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace lbrec::domain {
namespace {

TEST(FindCountry, IsCaseInsensitive) {
  for (const char* code : {"US", "us", "Us", "uS"}) {
    const auto c = find_country(code);
    ASSERT_TRUE(c.has_value()) << code;
    EXPECT_EQ(c->code, "US");
    EXPECT_EQ(c->name, "United States");
  }
}

TEST(FindCountry, ReturnsTheCanonicalUpperCaseCode) {
  const auto c = find_country("cl");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->code, "CL");
  EXPECT_EQ(c->name, "Chile");
}

TEST(FindCountry, RejectsUnknownAndMalformedCodes) {
  for (const char* bad : {"", "U", "USA", "XX", "zz", "U S", " US", "US ", "1A", "--", "Ü"}) {
    EXPECT_FALSE(find_country(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(FindCountry, RejectsEmbeddedNul) {
  EXPECT_FALSE(find_country(std::string_view("U\0", 2)).has_value());
}

TEST(FindCountry, FindsEverySupportedCountryInBothCases) {
  for (const Country& c : supported_countries()) {
    const auto upper = find_country(c.code);
    ASSERT_TRUE(upper.has_value()) << c.code;
    EXPECT_EQ(upper->name, c.name);
    std::string lower(c.code);
    for (char& ch : lower)
      ch = static_cast<char>(ch - 'A' + 'a');
    const auto lowered = find_country(lower);
    ASSERT_TRUE(lowered.has_value()) << lower;
    EXPECT_EQ(lowered->code, c.code);
  }
}

TEST(SupportedCountries, AtLeastTheSeedsThirteen) {
  EXPECT_GE(supported_countries().size(), 13u);
}

TEST(SupportedCountries, CodesAreUniqueTwoUpperCaseLettersWithNames) {
  std::set<std::string_view> codes;
  for (const Country& c : supported_countries()) {
    EXPECT_TRUE(codes.insert(c.code).second) << "duplicate " << c.code;
    ASSERT_EQ(c.code.size(), 2u) << c.code;
    for (char ch : c.code)
      EXPECT_TRUE(ch >= 'A' && ch <= 'Z') << c.code;
    EXPECT_FALSE(c.name.empty()) << c.code;
  }
}

TEST(SupportedCountries, IncludesTheDefaultAndTheUnitedStates) {
  bool has_default = false;
  bool has_us = false;
  for (const Country& c : supported_countries()) {
    if (c.code == kDefaultCountry) has_default = true;
    if (c.code == "US") {
      has_us = true;
      EXPECT_EQ(c.name, "United States");
    }
  }
  EXPECT_TRUE(has_default);
  EXPECT_TRUE(has_us);
  EXPECT_EQ(kDefaultCountry, "CL");
  EXPECT_TRUE(find_country(kDefaultCountry).has_value());
}

TEST(SupportedCountries, IncludesCommonLetterboxdMarkets) {
  for (const char* code : {"GB", "CA", "AU", "DE", "FR", "ES", "MX", "BR", "AR"}) {
    EXPECT_TRUE(find_country(code).has_value()) << code;
  }
}

}  // namespace
}  // namespace lbrec::domain
