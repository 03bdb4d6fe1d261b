// The RFC 4180 reader behind the export ZIP reader: quoting, record endings, BOM, limits, and
// header lookup by name.

#include "sources/csv_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lbrec::sources {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows rows_of(std::string_view text, std::size_t max_rows = 1000) {
  auto rows = parse_csv(text, max_rows);
  if (!rows) {
    ADD_FAILURE() << rows.error().message;
    return {};
  }
  return *rows;
}

TEST(CsvReader, PlainRecords) {
  EXPECT_EQ(rows_of("a,b,c\r\n1,2,3\r\n"), (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
}

TEST(CsvReader, CrlfLfAndLoneCrEndRecordsAlike) {
  const Rows expected{{"a", "b"}, {"1", "2"}};
  EXPECT_EQ(rows_of("a,b\r\n1,2\r\n"), expected);
  EXPECT_EQ(rows_of("a,b\n1,2\n"), expected);
  EXPECT_EQ(rows_of("a,b\r1,2\r"), expected);
  EXPECT_EQ(rows_of("a,b\r\n1,2\n"), expected);
}

TEST(CsvReader, LastRecordNeedsNoLineBreak) {
  EXPECT_EQ(rows_of("a,b\r\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(rows_of("only"), (Rows{{"only"}}));
}

TEST(CsvReader, EmptyTextHasNoRecords) {
  EXPECT_TRUE(rows_of("").empty());
  EXPECT_TRUE(rows_of("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, EmptyFieldsAndTrailingComma) {
  EXPECT_EQ(rows_of(",,\r\n"), (Rows{{"", "", ""}}));
  EXPECT_EQ(rows_of("a,\r\n"), (Rows{{"a", ""}}));
  EXPECT_EQ(rows_of("2025-01-01,Film,,https://boxd.it/Ab12\r\n"),
            (Rows{{"2025-01-01", "Film", "", "https://boxd.it/Ab12"}}));
}

TEST(CsvReader, BlankLineIsOneEmptyField) {
  EXPECT_EQ(rows_of("a\r\n\r\nb\r\n"), (Rows{{"a"}, {""}, {"b"}}));
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  EXPECT_EQ(rows_of("\"Quiet, Please\",x\r\n"), (Rows{{"Quiet, Please", "x"}}));
  EXPECT_EQ(rows_of("\"say \"\"hi\"\"\"\r\n"), (Rows{{"say \"hi\""}}));
  EXPECT_EQ(rows_of("\"\"\"\"\r\n"), (Rows{{"\""}}));
  EXPECT_EQ(rows_of("\"\",b\r\n"), (Rows{{"", "b"}}));
  EXPECT_EQ(rows_of("\"l1\r\nl2\",\"m1\nm2\",\"c\rr\"\r\nnext\r\n"),
            (Rows{{"l1\r\nl2", "m1\nm2", "c\rr"}, {"next"}}));
  EXPECT_EQ(rows_of("a,\"Loved it, mostly.\nThe \"\"ending\"\" though.\",z"),
            (Rows{{"a", "Loved it, mostly.\nThe \"ending\" though.", "z"}}));
}

TEST(CsvReader, Utf8IsKeptByteForByte) {
  EXPECT_EQ(rows_of("Amélie,\"東京物語, 1953\"\r\n"), (Rows{{"Amélie", "東京物語, 1953"}}));
}

TEST(CsvReader, StrayQuotesAreKeptLiterally) {
  EXPECT_EQ(rows_of("12\" Vinyl,b\r\n"), (Rows{{"12\" Vinyl", "b"}}));
  EXPECT_EQ(rows_of("\"ab\"cd,e\r\n"), (Rows{{"abcd", "e"}}));
}

TEST(CsvReader, BomAtTheStartIsSkipped) {
  EXPECT_EQ(rows_of("\xEF\xBB\xBFName,Year\r\nX,2001\r\n"),
            (Rows{{"Name", "Year"}, {"X", "2001"}}));
  // Only at the very start.
  EXPECT_EQ(rows_of("a\r\n\xEF\xBB\xBF"
                    "b\r\n"),
            (Rows{{"a"},
                  {"\xEF\xBB\xBF"
                   "b"}}));
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineItOpenedOn) {
  const auto r = parse_csv("h\r\n\"two\nlines\"\r\nok\r\n\"never\r\nclosed\r\n", 100);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(r.error().message.find("line 5"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("unterminated"), std::string::npos) << r.error().message;
  EXPECT_FALSE(parse_csv("\"", 100).has_value());
}

TEST(CsvReader, MoreThanMaxRowsIsAnError) {
  EXPECT_EQ(rows_of("h\r\n1\r\n2\r\n", 3).size(), 3u);
  const auto r = parse_csv("h\r\n1\r\n2\r\n3\r\n", 3);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(r.error().message.find("more than 3 rows"), std::string::npos) << r.error().message;
  EXPECT_FALSE(parse_csv("h\r\n1\r\n2\r\n3", 3).has_value()) << "last record without a break";
}

TEST(CsvReader, RecordsKnowTheLineTheyStartOn) {
  const auto r = parse_csv_records("h1,h2\r\n\"a\r\nb\",c\r\nd,e\n\nf,g", 100);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[0].line, 1u);
  EXPECT_EQ((*r)[1].line, 2u);
  EXPECT_EQ((*r)[2].line, 4u);
  EXPECT_EQ((*r)[3].line, 5u);
  EXPECT_EQ((*r)[4].line, 6u);
  EXPECT_EQ((*r)[4].fields, (std::vector<std::string>{"f", "g"}));
}

TEST(CsvHeader, FindsColumnsByNameInAnyOrder) {
  const CsvHeader h({"Letterboxd URI", "Extra", "Year", "Name"});
  EXPECT_EQ(h.index("Name"), 3u);
  EXPECT_EQ(h.index("Year"), 2u);
  EXPECT_EQ(h.index("Letterboxd URI"), 0u);
  EXPECT_FALSE(h.index("Rating").has_value());
  EXPECT_TRUE(h.has("Extra"));
  const std::vector<std::string> row{"https://boxd.it/Ab12", "?", "2001", "Film"};
  EXPECT_EQ(h.field(row, "Name"), "Film");
  EXPECT_EQ(h.field(row, "Rating"), "");
  EXPECT_EQ(h.field({"short"}, "Name"), "") << "a short row reads as empty";
}

TEST(CsvHeader, NamesMatchTrimmedAndCaseInsensitively) {
  const CsvHeader h({" name ", "YEAR",
                     "\xEF\xBB\xBF"
                     "Date"});
  EXPECT_EQ(h.index("Name"), 0u);
  EXPECT_EQ(h.index("Year"), 1u);
  EXPECT_EQ(h.index("Date"), 2u);
}

TEST(CsvHeader, FirstOfRepeatedNamesWins) {
  const CsvHeader h({"Name", "Name"});
  EXPECT_EQ(h.index("Name"), 0u);
}

TEST(CsvHeader, ListsMissingColumnsInOrder) {
  const CsvHeader h({"Date", "Name"});
  EXPECT_EQ(h.missing({"Name", "Year", "Letterboxd URI"}),
            (std::vector<std::string>{"Year", "Letterboxd URI"}));
  EXPECT_TRUE(h.missing({"Date"}).empty());
  EXPECT_EQ(CsvHeader({}).missing({"Name"}), std::vector<std::string>{"Name"});
}

}  // namespace
}  // namespace lbrec::sources
