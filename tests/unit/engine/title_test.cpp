#include "engine/title.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lbrec::engine {
namespace {

// ---------------------------------------------------------------------------------------------
// fold_accents

TEST(FoldAccents, LatinDiacriticsFoldToBaseLetters) {
  EXPECT_EQ(fold_accents("Amélie"), "Amelie");
  EXPECT_EQ(fold_accents("AMÉLIE"), "AMELIE");
  EXPECT_EQ(fold_accents("Łódź"), "Lodz");
  EXPECT_EQ(fold_accents("Crème brûlée"), "Creme brulee");
  EXPECT_EQ(fold_accents("Señor Niño"), "Senor Nino");
  EXPECT_EQ(fold_accents("Ça Ōsaka Ğ Ş İ ı Ž Ř Ű"), "Ca Osaka G S I i Z R U");
}

TEST(FoldAccents, LigaturesAndSharpSExpand) {
  EXPECT_EQ(fold_accents("Straße"), "Strasse");
  EXPECT_EQ(fold_accents("Æon"), "AEon");
  EXPECT_EQ(fold_accents("Œuvre œil"), "OEuvre oeil");
  EXPECT_EQ(fold_accents("Þór"), "THor");
  EXPECT_EQ(fold_accents("Ĳsselmeer"), "IJsselmeer");
}

TEST(FoldAccents, KeepsCaseAndPunctuation) {
  EXPECT_EQ(fold_accents("Tom & Jerry: The Movie!"), "Tom & Jerry: The Movie!");
  EXPECT_EQ(fold_accents(""), "");
}

TEST(FoldAccents, MultiplicationAndDivisionSignsAreNotLetters) {
  // U+00D7 and U+00F7 sit inside the Latin-1 letter block but are symbols: kept as they are.
  EXPECT_EQ(fold_accents("2×3÷4"), "2×3÷4");
}

TEST(FoldAccents, NonLatinScriptsAreKept) {
  EXPECT_EQ(fold_accents("千と千尋の神隠し"), "千と千尋の神隠し");
  EXPECT_EQ(fold_accents("Брат"), "Брат");
  EXPECT_EQ(fold_accents("Ζ"), "Ζ");
  EXPECT_EQ(fold_accents("기생충"), "기생충");
  EXPECT_EQ(fold_accents("🎬"), "🎬");  // four-byte sequence survives
}

TEST(FoldAccents, CombiningMarksAreDropped) {
  EXPECT_EQ(fold_accents("e\u0301"), "e");
  EXPECT_EQ(fold_accents("Ame\u0301lie"), "Amelie");
  EXPECT_EQ(fold_accents("n\u0303o\u0308\u0304"), "no");
  // Decomposed and precomposed spellings fold to the same string.
  EXPECT_EQ(fold_accents("Ame\u0301lie"), fold_accents("Amélie"));
}

TEST(FoldAccents, InvalidUtf8BytesAreDropped) {
  EXPECT_EQ(fold_accents("A\xFF"
                         "B"),
            "AB");
  EXPECT_EQ(fold_accents("Am\xE9lie"), "Amlie");  // a Latin-1 byte, not UTF-8
  EXPECT_EQ(fold_accents("abc\xE3\x81"), "abc");  // truncated sequence at the end
  EXPECT_EQ(fold_accents("\xE3"
                         "AB"),
            "AB");                                    // bad continuation keeps what follows
  EXPECT_EQ(fold_accents("\xC0\xAF"), "");            // overlong '/'
  EXPECT_EQ(fold_accents("\xED\xA0\x80x"), "x");      // UTF-16 surrogate
  EXPECT_EQ(fold_accents("\xF4\x90\x80\x80y"), "y");  // above U+10FFFF
  EXPECT_EQ(fold_accents("\x80\x80\x80"), "");        // lone continuation bytes
}

TEST(FoldAccents, FullWidthFormsAreLeftToNormalize) {
  // fold_accents only folds Latin diacritics; normalize_title maps full-width forms to ASCII.
  EXPECT_EQ(fold_accents("ＡＢＣ"), "ＡＢＣ");
}

// ---------------------------------------------------------------------------------------------
// normalize_title

TEST(NormalizeTitle, FoldsAccentsAndLowerCases) {
  EXPECT_EQ(normalize_title("Amélie"), "amelie");
  EXPECT_EQ(normalize_title("AMÉLIE"), "amelie");
  EXPECT_EQ(normalize_title("Straße"), "strasse");
  EXPECT_EQ(normalize_title("Łódź"), "lodz");
  EXPECT_EQ(normalize_title("Æon Flux"), "aeon flux");
}

TEST(NormalizeTitle, AmpersandReadsAnd) {
  EXPECT_EQ(normalize_title("Tom & Jerry"), "tom and jerry");
  EXPECT_EQ(normalize_title("Tom&Jerry"), "tom and jerry");
  EXPECT_EQ(normalize_title("Tom and Jerry"), "tom and jerry");
  EXPECT_EQ(normalize_title("&"), "and");
  EXPECT_EQ(normalize_title("& Jerry"), "and jerry");
  EXPECT_EQ(normalize_title("Tom &"), "tom and");
}

TEST(NormalizeTitle, ApostrophesVanish) {
  EXPECT_EQ(normalize_title("Don't Look Up"), "dont look up");
  EXPECT_EQ(normalize_title("Don\u2019t Look Up"), "dont look up");
  EXPECT_EQ(normalize_title("Don't Look Up"), normalize_title("Don\u2019t Look Up"));
  EXPECT_EQ(normalize_title("Ocean's Eleven"), "oceans eleven");
  EXPECT_EQ(normalize_title("Rock 'n' Roll"), "rock n roll");
}

TEST(NormalizeTitle, PunctuationCollapsesToSingleSpacesAndTrims) {
  EXPECT_EQ(normalize_title("  Se7en!!  "), "se7en");
  EXPECT_EQ(normalize_title("Léon: The Professional"), "leon the professional");
  EXPECT_EQ(normalize_title("(500) Days of Summer"), "500 days of summer");
  EXPECT_EQ(normalize_title("Mission: Impossible \u2013 Dead Reckoning"),
            "mission impossible dead reckoning");
  EXPECT_EQ(normalize_title("M*A*S*H"), "m a s h");
  EXPECT_EQ(normalize_title("Birdman\t\n(or ...)"), "birdman or");
  EXPECT_EQ(normalize_title("«Le Mépris»"), "le mepris");
  EXPECT_EQ(normalize_title("Wait\u2026 What?"), "wait what");
  EXPECT_EQ(normalize_title("a___b---c"), "a b c");
}

TEST(NormalizeTitle, EmptyAndAllPunctuation) {
  EXPECT_EQ(normalize_title(""), "");
  EXPECT_EQ(normalize_title("   "), "");
  EXPECT_EQ(normalize_title("?!... --- ***"), "");
  EXPECT_EQ(normalize_title("''"), "");
}

TEST(NormalizeTitle, WallEMiddleDotSplitsTheWord) {
  // U+00B7 MIDDLE DOT counts as punctuation, so "WALL·E" reads "wall e" (the seed's ASCII-only
  // rule gave "walle"). Both spellings seen upstream use the middle dot, so they still match;
  // a plain "WALL-E" or "WALL E" matches too.
  EXPECT_EQ(normalize_title("WALL·E"), "wall e");
  EXPECT_EQ(normalize_title("WALL-E"), "wall e");
  EXPECT_EQ(normalize_title("Wall E"), "wall e");
  EXPECT_EQ(fold_accents("WALL·E"), "WALL·E");
}

TEST(NormalizeTitle, SuperscriptDigitsAreDigits) {
  // "Alien³" is not "Alien": the superscript must not vanish as punctuation.
  EXPECT_EQ(normalize_title("Alien³"), "alien3");
  EXPECT_NE(normalize_title("Alien³"), normalize_title("Alien"));
  EXPECT_EQ(normalize_title("Bad Boys²"), "bad boys2");
  EXPECT_EQ(normalize_title("Nº 1"), "no 1");
}

TEST(NormalizeTitle, NonLatinTitlesStayNonEmpty) {
  EXPECT_EQ(normalize_title("千と千尋の神隠し"), "千と千尋の神隠し");
  EXPECT_EQ(normalize_title("Брат"), "брат");
  EXPECT_EQ(normalize_title("БРАТ 2"), "брат 2");
  EXPECT_EQ(normalize_title("Ёлки"), "ёлки");
  EXPECT_EQ(normalize_title("ΖΩΗ"), "ζωη");
  EXPECT_EQ(normalize_title("기생충"), "기생충");
  EXPECT_EQ(normalize_title("《霸王别姬》"), "霸王别姬");  // CJK brackets are punctuation
  EXPECT_EQ(normalize_title("君の名は。"), "君の名は");
}

TEST(NormalizeTitle, DecomposedAccentsMatchPrecomposed) {
  EXPECT_EQ(normalize_title("e\u0301"), "e");
  EXPECT_EQ(normalize_title("Ame\u0301lie"), normalize_title("Amélie"));
  EXPECT_EQ(normalize_title("Bre\u0301sil"), "bresil");
}

TEST(NormalizeTitle, InvalidUtf8IsDroppedWithoutCrashing) {
  EXPECT_EQ(normalize_title("Se\xFF"
                            "7en"),
            "se7en");
  EXPECT_EQ(normalize_title("\xC3"), "");             // truncated two-byte sequence
  EXPECT_EQ(normalize_title("abc \xE2\x80"), "abc");  // truncated three-byte sequence
  EXPECT_EQ(normalize_title("\xF0\x9F\x8E"), "");     // truncated four-byte sequence
  std::string all_bytes;
  for (int b = 0; b < 256; ++b)
    all_bytes += static_cast<char>(b);
  const std::string out = normalize_title(all_bytes);
  EXPECT_EQ(out, normalize_title(out));
  for (char c : out)
    EXPECT_GE(static_cast<unsigned char>(c), 0x20);  // no control bytes
}

TEST(NormalizeTitle, FullWidthLettersAndDigitsMapToAscii) {
  EXPECT_EQ(normalize_title("ＡＢＣ"), "abc");
  EXPECT_EQ(normalize_title("ａｂｃ"), "abc");
  EXPECT_EQ(normalize_title("１２３"), "123");
  EXPECT_EQ(normalize_title("ＳＥ７ＥＮ！！"), "se7en");
  EXPECT_EQ(normalize_title("ＴＯＭ＆ＪＥＲＲＹ"), "tom jerry");  // full-width & is punctuation
  EXPECT_EQ(normalize_title("Ｓｅ７ｅｎ"), normalize_title("Se7en"));
}

TEST(NormalizeTitle, EquivalentSpellingsMatch) {
  EXPECT_EQ(normalize_title("Amélie"), normalize_title("AMELIE"));
  EXPECT_EQ(normalize_title("Tom & Jerry"), normalize_title("tom and jerry"));
  EXPECT_EQ(normalize_title("Léon: The Professional"), normalize_title("Leon - The Professional"));
  EXPECT_EQ(normalize_title("Se7en"), normalize_title("  SE7EN. "));
}

TEST(NormalizeTitle, DifferentTitlesStayDifferent) {
  EXPECT_NE(normalize_title("Alien"), normalize_title("Aliens"));
  EXPECT_NE(normalize_title("Brat"), normalize_title("Брат"));
  EXPECT_NE(normalize_title("Heat"), normalize_title("Heat 2"));
}

TEST(NormalizeTitle, OutputHasNoEdgeOrDoubleSpaces) {
  for (const char* title : {" Amélie ", "\t千と千尋\n", "!Брат!", "  ＡＢＣ  "}) {
    const std::string out = normalize_title(title);
    ASSERT_FALSE(out.empty()) << title;
    EXPECT_NE(out.front(), ' ') << title;
    EXPECT_NE(out.back(), ' ') << title;
    EXPECT_EQ(out.find("  "), std::string::npos) << title;
  }
}

TEST(NormalizeTitle, IsIdempotent) {
  const std::vector<std::string> titles = {
      "Amélie",
      "Straße",
      "Łódź",
      "Tom & Jerry",
      "Don't",
      "Don\u2019t",
      "  Se7en!!  ",
      "WALL·E",
      "千と千尋の神隠し",
      "Брат",
      "ΖΩΗ",
      "e\u0301",
      "Ame\u0301lie",
      "A\xFF"
      "B",
      "\xC0\xAF",
      "ＴＯＭ＆ＪＥＲＲＹ",
      "ＳＥ７ＥＮ",
      "Æon Flux",
      "Œuvre",
      "Alien³",
      "Nº 1",
      "&&&",
      "Mission: Impossible \u2013 Dead Reckoning Part One",
      "(500) Days of Summer",
      "M*A*S*H",
      "«Le Mépris»",
      "君の名は。",
      "Ёлки",
      "2×3÷4",
      "🎬 Film",
      "Ĳ",
      "",
      "   ",
  };
  for (const std::string& t : titles) {
    const std::string once = normalize_title(t);
    EXPECT_EQ(normalize_title(once), once) << "title: " << t;
  }
}

}  // namespace
}  // namespace lbrec::engine
