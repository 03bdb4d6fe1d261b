#include "sources/letterboxd/profile_codec.hpp"

#include <gtest/gtest.h>

namespace lbrec::sources::letterboxd {
namespace {

ProfileSnapshot sample() {
  ProfileSnapshot s;
  s.pages = 3;
  s.profile.username = "demo";
  domain::FilmRef a{"sample-movie", "Sample Movie", 2021, 424242, "Zq7k", 603, false};
  domain::FilmRef b{
      "quiet-please", "Quiet, \"Please\" <&>", std::nullopt, std::nullopt, "", std::nullopt, true};
  s.profile.films.push_back({a, 9, true, std::string("2026-07-03"), true});
  s.profile.films.push_back({b, std::nullopt, false, std::nullopt, false});
  s.profile.watchlist.push_back(domain::FilmRef{"千と千尋", "千と千尋の神隠し", 2001});
  return s;
}

TEST(ProfileCodec, RoundTripsEveryField) {
  const ProfileSnapshot s = sample();
  const auto back = decode_snapshot(encode_snapshot(s));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->pages, 3);
  EXPECT_EQ(back->profile.username, "demo");
  EXPECT_EQ(back->profile.films, s.profile.films);
  EXPECT_EQ(back->profile.watchlist, s.profile.watchlist);
}

TEST(ProfileCodec, CorruptOrForeignEntriesAreErrorsNotCrashes) {
  for (const char* text : {"", "not json", "[]", "{}", R"({"v":2,"films":[],"watchlist":[]})",
                           R"({"v":1,"films":{},"watchlist":[]})",
                           R"({"v":1,"films":[{"film":{"slug":"x"},"rating":11}],"watchlist":[]})",
                           R"({"v":1,"films":[7],"watchlist":[]})",
                           R"({"v":1,"source":9,"films":[],"watchlist":[]})"}) {
    const auto r = decode_snapshot(text);
    EXPECT_FALSE(r.has_value()) << text;
    if (!r) {
      EXPECT_EQ(r.error().code, core::ErrorCode::kParseError) << text;
    }
  }
  std::string truncated = encode_snapshot(sample());
  truncated.resize(truncated.size() / 2);
  EXPECT_FALSE(decode_snapshot(truncated).has_value());
}

}  // namespace
}  // namespace lbrec::sources::letterboxd
