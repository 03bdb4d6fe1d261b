#include "core/dotenv.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace lbrec::core {
namespace {

using Vars = std::map<std::string, std::string>;

Vars parse_ok(std::string_view text) {
  auto result = parse_dotenv(text);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? *result : Vars{};
}

Error parse_err(std::string_view text) {
  auto result = parse_dotenv(text);
  EXPECT_FALSE(result.has_value()) << "expected an error for: " << text;
  return result ? Error{} : result.error();
}

TEST(Dotenv, EmptyInputGivesNoVariables) {
  EXPECT_TRUE(parse_ok("").empty());
  EXPECT_TRUE(parse_ok("\n\n   \n\t\n").empty());
}

TEST(Dotenv, SimpleAssignments) {
  EXPECT_EQ(parse_ok("A=1\nB=two\nC_3=three four\n"),
            (Vars{{"A", "1"}, {"B", "two"}, {"C_3", "three four"}}));
}

TEST(Dotenv, LastLineWithoutNewline) {
  EXPECT_EQ(parse_ok("A=1\nB=2"), (Vars{{"A", "1"}, {"B", "2"}}));
}

TEST(Dotenv, CommentsAndBlankLinesAreSkipped) {
  const Vars vars = parse_ok(
      "# a comment\n"
      "\n"
      "   # an indented comment\n"
      "A=1\n"
      "\t\n"
      "#B=2\n");
  EXPECT_EQ(vars, (Vars{{"A", "1"}}));
}

TEST(Dotenv, ExportPrefixIsIgnored) {
  EXPECT_EQ(parse_ok("export A=1\nexport\tB=2\n  export   C=3\n"),
            (Vars{{"A", "1"}, {"B", "2"}, {"C", "3"}}));
}

TEST(Dotenv, KeyNamedExportIsAnOrdinaryKey) {
  EXPECT_EQ(parse_ok("export=1\nEXPORTED=2\n"), (Vars{{"export", "1"}, {"EXPORTED", "2"}}));
}

TEST(Dotenv, WhiteSpaceAroundKeyAndValueIsTrimmed) {
  EXPECT_EQ(parse_ok("  A  =  spaced value \t\n"), (Vars{{"A", "spaced value"}}));
}

TEST(Dotenv, EmptyValues) {
  EXPECT_EQ(parse_ok("A=\nB=''\nC=\"\"\n"), (Vars{{"A", ""}, {"B", ""}, {"C", ""}}));
}

TEST(Dotenv, ValueMayContainEqualsSigns) {
  EXPECT_EQ(parse_ok("URL=redis://h:6379/0?a=b&c=d\n"),
            (Vars{{"URL", "redis://h:6379/0?a=b&c=d"}}));
}

TEST(Dotenv, SingleQuotesAreLiteral) {
  const Vars vars = parse_ok(R"(A='a\nb "c" $HOME # not a comment')");
  EXPECT_EQ(vars.at("A"), R"(a\nb "c" $HOME # not a comment)");
}

TEST(Dotenv, SingleQuotesKeepSurroundingSpaces) {
  EXPECT_EQ(parse_ok("A='  padded  '\n").at("A"), "  padded  ");
}

TEST(Dotenv, DoubleQuotesUnderstandEscapes) {
  const Vars vars = parse_ok(R"(A="line1\nline2\ttab \"quoted\" back\\slash \$x")");
  EXPECT_EQ(vars.at("A"), "line1\nline2\ttab \"quoted\" back\\slash $x");
}

TEST(Dotenv, DoubleQuotedTrailingBackslashPair) {
  EXPECT_EQ(parse_ok(R"(A="C:\\dir\\")").at("A"), "C:\\dir\\");
}

TEST(Dotenv, HashInsideQuotesIsKept) {
  const Vars vars = parse_ok("A=\"x # y\"\nB='p # q'\n");
  EXPECT_EQ(vars.at("A"), "x # y");
  EXPECT_EQ(vars.at("B"), "p # q");
}

TEST(Dotenv, CommentAfterQuotedValue) {
  const Vars vars = parse_ok("A=\"x\" # trailing\nB='y'   #trailing\nC=\"z\"#tight\n");
  EXPECT_EQ(vars, (Vars{{"A", "x"}, {"B", "y"}, {"C", "z"}}));
}

TEST(Dotenv, InlineCommentOnUnquotedValue) {
  const Vars vars = parse_ok("A=value # the comment\nB=value   #another\n");
  EXPECT_EQ(vars.at("A"), "value");
  EXPECT_EQ(vars.at("B"), "value");
}

TEST(Dotenv, HashWithoutPrecedingSpaceIsPartOfUnquotedValue) {
  // Only " #" starts a comment, so colour codes and URL fragments survive.
  const Vars vars = parse_ok("COLOR=#ff0000\nURL=https://x.test/page#frag\n");
  EXPECT_EQ(vars.at("COLOR"), "#ff0000");
  EXPECT_EQ(vars.at("URL"), "https://x.test/page#frag");
}

TEST(Dotenv, CrlfLineEndings) {
  const Vars vars = parse_ok("# comment\r\nA=1\r\nB=\"two\"\r\nC='three'\r\nD=four # c\r\n\r\n");
  EXPECT_EQ(vars, (Vars{{"A", "1"}, {"B", "two"}, {"C", "three"}, {"D", "four"}}));
}

TEST(Dotenv, LaterDuplicateKeysWin) {
  EXPECT_EQ(parse_ok("A=first\nB=x\nA=second\n"), (Vars{{"A", "second"}, {"B", "x"}}));
}

TEST(Dotenv, KeysAreCaseSensitive) {
  EXPECT_EQ(parse_ok("a=1\nA=2\n"), (Vars{{"a", "1"}, {"A", "2"}}));
}

TEST(Dotenv, Utf8ValuesPassThrough) {
  EXPECT_EQ(parse_ok("TITLE=Amélie — 千と千尋\n").at("TITLE"), "Amélie — 千と千尋");
}

// ---------------------------------------------------------------------------------------------
// Malformed input

void expect_line_error(std::string_view text, int line) {
  const Error err = parse_err(text);
  EXPECT_EQ(err.code, ErrorCode::kConfigError);
  EXPECT_NE(err.message.find("line " + std::to_string(line) + ":"), std::string::npos)
      << err.message;
  EXPECT_EQ(err.message.find('\n'), std::string::npos) << err.message;
}

TEST(DotenvMalformed, LineWithoutEquals) {
  expect_line_error("A=1\n\nJUSTAWORD\n", 3);
}

TEST(DotenvMalformed, BadKeys) {
  expect_line_error("1ABC=x\n", 1);
  expect_line_error("A=1\nMY-KEY=x\n", 2);
  expect_line_error("A=1\nB=2\nMY KEY=x\n", 3);
  expect_line_error("=novalue\n", 1);
  expect_line_error("KÉY=x\n", 1);
  expect_line_error("export =x\n", 1);
}

TEST(DotenvMalformed, UnterminatedQuotes) {
  expect_line_error("A=\"open\n", 1);
  expect_line_error("A=1\nB='open\n", 2);
  // An escaped quote does not close the value.
  expect_line_error("A=1\nB=2\nC=\"ends with \\\"\n", 3);
}

TEST(DotenvMalformed, TextAfterClosingQuote) {
  expect_line_error("A=\"x\"y\n", 1);
  expect_line_error("A=1\nB='x' y\n", 2);
}

TEST(DotenvMalformed, UnterminatedQuoteNamesTheKey) {
  const Error err = parse_err("GOOD=1\nTMDB_KEY=\"abc\n");
  EXPECT_NE(err.message.find("TMDB_KEY"), std::string::npos) << err.message;
}

TEST(DotenvMalformed, LineNumbersCountCommentsAndBlankLines) {
  expect_line_error("# c\n\n# c\nA=1\n\nbroken\n", 6);
}

TEST(DotenvMalformed, LineNumbersWithCrlf) {
  expect_line_error("A=1\r\nB=2\r\noops\r\n", 3);
}

TEST(DotenvMalformed, MessageDoesNotEchoTheValue) {
  // A malformed line may hold a secret; the error names the line, not its contents.
  const Error err = parse_err("TMDB_KEY=\"s3cret-value\n");
  EXPECT_EQ(err.message.find("s3cret-value"), std::string::npos) << err.message;
  const Error err2 = parse_err("s3cret-value\n");
  EXPECT_EQ(err2.message.find("s3cret-value"), std::string::npos) << err2.message;
}

}  // namespace
}  // namespace lbrec::core
