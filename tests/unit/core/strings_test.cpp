#include "core/strings.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace lbrec::core {
namespace {

using Pieces = std::vector<std::string_view>;

TEST(Trim, RemovesAsciiWhiteSpaceFromBothEnds) {
  EXPECT_EQ(trim("  a b  "), "a b");
  EXPECT_EQ(trim("\t\r\n\f\vx\v\f\n\r\t"), "x");
  EXPECT_EQ(trim("no-space"), "no-space");
}

TEST(Trim, EmptyAndAllSpace) {
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\n "), "");
}

TEST(Trim, KeepsNonAsciiSpaces) {
  // U+00A0 (no-break space) is not ASCII white space and stays.
  EXPECT_EQ(trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");
}

TEST(Trim, ReturnsAViewIntoTheInput) {
  const std::string s = "  abc  ";
  const std::string_view t = trim(s);
  EXPECT_EQ(t.data(), s.data() + 2);
  EXPECT_EQ(t.size(), 3u);
}

TEST(ToLowerAscii, LowersOnlyAsciiLetters) {
  EXPECT_EQ(to_lower_ascii("HeLLo World 123_-!"), "hello world 123_-!");
  EXPECT_EQ(to_lower_ascii(""), "");
  // Bytes >= 0x80 are untouched: "É" stays as it is.
  EXPECT_EQ(to_lower_ascii("ÉCOLE"), "École");
  EXPECT_EQ(to_lower_ascii("@[`{"), "@[`{");  // the neighbours of A-Z and a-z
}

TEST(IequalsAscii, ComparesIgnoringAsciiCase) {
  EXPECT_TRUE(iequals_ascii("Content-Type", "content-type"));
  EXPECT_TRUE(iequals_ascii("", ""));
  EXPECT_FALSE(iequals_ascii("abc", "abcd"));
  EXPECT_FALSE(iequals_ascii("abc", "abd"));
  EXPECT_FALSE(iequals_ascii("@", "`"));  // 0x40 vs 0x60: not a case pair
  EXPECT_FALSE(iequals_ascii("É", "é"));  // non-ASCII is compared byte for byte
}

TEST(Split, KeepsEmptyPieces) {
  EXPECT_EQ(split("a,b,c", ','), (Pieces{"a", "b", "c"}));
  EXPECT_EQ(split("a,,b", ','), (Pieces{"a", "", "b"}));
  EXPECT_EQ(split(",a,", ','), (Pieces{"", "a", ""}));
  EXPECT_EQ(split(",", ','), (Pieces{"", ""}));
}

TEST(Split, EmptyInputIsOneEmptyPiece) {
  EXPECT_EQ(split("", ','), (Pieces{""}));
}

TEST(Split, NoSeparatorIsOnePiece) {
  EXPECT_EQ(split("abc", ','), (Pieces{"abc"}));
}

TEST(Split, PiecesAreViewsIntoTheInput) {
  const std::string s = "ab:cd";
  const auto parts = split(s, ':');
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].data(), s.data() + 3);
}

TEST(ParseInt, AcceptsWholeIntegers) {
  EXPECT_EQ(parse_int("0"), 0);
  EXPECT_EQ(parse_int("12"), 12);
  EXPECT_EQ(parse_int("-12"), -12);
  EXPECT_EQ(parse_int("+12"), 12);
  EXPECT_EQ(parse_int("007"), 7);
  EXPECT_EQ(parse_int("9223372036854775807"), std::numeric_limits<long long>::max());
  EXPECT_EQ(parse_int("-9223372036854775808"), std::numeric_limits<long long>::min());
}

TEST(ParseInt, RejectsJunkWhiteSpaceAndOverflow) {
  for (const char* bad :
       {"", "12a", "a12", " 12", "12 ", "1 2", "1.5", "1e3", "+", "-", "0x10",
        "99999999999999999999", "9223372036854775808", "--1", "+-1", "-+1", "++1"}) {
    EXPECT_FALSE(parse_int(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(ParseDouble, AcceptsFiniteNumbers) {
  EXPECT_DOUBLE_EQ(*parse_double("0"), 0.0);
  EXPECT_DOUBLE_EQ(*parse_double("1.5"), 1.5);
  EXPECT_DOUBLE_EQ(*parse_double("-0.25"), -0.25);
  EXPECT_DOUBLE_EQ(*parse_double("+2"), 2.0);
  EXPECT_DOUBLE_EQ(*parse_double("1e3"), 1000.0);
  EXPECT_DOUBLE_EQ(*parse_double("0.4"), 0.4);
}

TEST(ParseDouble, RejectsNonFiniteJunkAndOverflow) {
  for (const char* bad :
       {"",     "nan",  "NaN",  "-nan", "inf", "-inf", "infinity", "1e999", "-1e999", "1.5x",
        "x1.5", " 1.5", "1.5 ", "1,5",  ".",   "+",    "+-1",      "-+1",   "++1",    "0x1p3"}) {
    EXPECT_FALSE(parse_double(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(ParseBool, AcceptsTheUsualSpellingsInAnyCase) {
  for (const char* t : {"true", "TRUE", "True", "1", "yes", "YES", "on", "On"}) {
    EXPECT_EQ(parse_bool(t), true) << t;
  }
  for (const char* f : {"false", "FALSE", "0", "no", "No", "off", "OFF"}) {
    EXPECT_EQ(parse_bool(f), false) << f;
  }
}

TEST(ParseBool, TrimsSurroundingWhiteSpace) {
  EXPECT_EQ(parse_bool("  yes\n"), true);
  EXPECT_EQ(parse_bool("\toff "), false);
}

TEST(ParseBool, RejectsEverythingElse) {
  for (const char* bad :
       {"", " ", "maybe", "2", "-1", "t", "f", "y", "n", "truee", "yes please", "0.0", "enabled"}) {
    EXPECT_FALSE(parse_bool(bad).has_value()) << '"' << bad << '"';
  }
}

}  // namespace
}  // namespace lbrec::core
