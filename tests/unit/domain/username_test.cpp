#include "domain/username.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lbrec::domain {
namespace {

TEST(Username, AcceptsLettersDigitsUnderscoreAndHyphen) {
  for (const char* ok : {"a", "Z", "0", "_", "-", "dave", "Dave_Smith", "film-buff-99", "ABC123",
                         "__init__", "--", "x-_-y"}) {
    EXPECT_TRUE(is_valid_username(ok)) << ok;
  }
}

TEST(Username, LengthLimits) {
  EXPECT_FALSE(is_valid_username(""));
  EXPECT_TRUE(is_valid_username(std::string(1, 'a')));
  EXPECT_TRUE(is_valid_username(std::string(kMaxUsernameLength, 'a')));
  EXPECT_FALSE(is_valid_username(std::string(kMaxUsernameLength + 1, 'a')));
  EXPECT_EQ(kMaxUsernameLength, 50u);
}

TEST(Username, RejectsSpacesAndPathCharacters) {
  for (const char* bad : {" ", "dave smith", " dave", "dave ", "dave\t", "dave\n", "a/b", "/", "..",
                          ".", "dave.smith", "../etc/passwd", "a\\b", "dave?x=1", "dave#x",
                          "dave%20", "dave&x", "a+b", "user@example"}) {
    EXPECT_FALSE(is_valid_username(bad)) << '"' << bad << '"';
  }
}

TEST(Username, RejectsMarkupAndNonAscii) {
  for (const char* bad : {"<script>", "<script>alert(1)</script>", "\"quoted\"", "o'neil", "amélie",
                          "Łukasz", "ユーザー", "\xC2\xA0", "\xFF"}) {
    EXPECT_FALSE(is_valid_username(bad)) << '"' << bad << '"';
  }
}

TEST(Username, RejectsControlCharactersIncludingNul) {
  EXPECT_FALSE(is_valid_username(std::string_view("dave\0x", 6)));
  EXPECT_FALSE(is_valid_username("dave\x7f"));
}

TEST(Username, FiftyValidCharactersOfMixedKindsPass) {
  std::string name;
  const std::string alphabet = "aZ09_-";
  while (name.size() < kMaxUsernameLength)
    name += alphabet[name.size() % alphabet.size()];
  EXPECT_TRUE(is_valid_username(name));
  name += "a";
  EXPECT_FALSE(is_valid_username(name));
}

}  // namespace
}  // namespace lbrec::domain
