// The fake account export ZIP against docs/upstreams/letterboxd.md §10: file names, exact headers,
// CRLF, no BOM, RFC 4180 quoting, boxd.it URIs, the list preamble and the nested variant.

#include "fakeworld/export_zip.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "fakeworld_test_support.hpp"

namespace lbrec::fakeworld {
namespace {

using testing::film_at;
using testing::member;
using testing::small_world;

// Every regular file in a ZIP held in memory, in archive order.
std::vector<std::pair<std::string, std::string>> unzip(const std::string& zip) {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), zip.data(), zip.size()) != ARCHIVE_OK) {
    ADD_FAILURE() << archive_error_string(a.get());
    return out;
  }
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
    std::string content;
    char buffer[8192];
    for (;;) {
      const la_ssize_t n = archive_read_data(a.get(), buffer, sizeof buffer);
      if (n < 0) ADD_FAILURE() << archive_error_string(a.get());
      if (n <= 0) break;
      content.append(buffer, static_cast<std::size_t>(n));
    }
    out.emplace_back(archive_entry_pathname(entry), std::move(content));
  }
  return out;
}

std::map<std::string, std::string> files_of(const User& u, bool nested = false) {
  const auto zip = export_zip(small_world(), u, nested);
  EXPECT_TRUE(zip.has_value());
  if (!zip) return {};
  EXPECT_TRUE(zip->starts_with("PK"));
  const auto entries = unzip(*zip);
  std::map<std::string, std::string> files(entries.begin(), entries.end());
  EXPECT_EQ(files.size(), entries.size()) << "duplicate names";
  return files;
}

// An RFC 4180 reader: records of fields. Records must end with CRLF; a bare CR or LF outside
// quotes is a failure. Line breaks inside quoted fields are kept.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      EXPECT_TRUE(field.empty()) << "quote inside an unquoted field: " << field;
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = true;
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at " << i;
      ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      field_started = false;
    } else if (c == '\n') {
      ADD_FAILURE() << "bare LF record end at " << i;
    } else {
      field += c;
      field_started = true;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(!field_started && row.empty()) << "last record without CRLF";
  return rows;
}

const std::map<std::string, std::string> kHeaders = {
    {"profile.csv",
     "Date Joined,Username,Given Name,Family Name,Email "
     "Address,Location,Website,Bio,Pronoun,Favorite Films"},
    {"watched.csv", "Date,Name,Year,Letterboxd URI"},
    {"watchlist.csv", "Date,Name,Year,Letterboxd URI"},
    {"likes/films.csv", "Date,Name,Year,Letterboxd URI"},
    {"ratings.csv", "Date,Name,Year,Letterboxd URI,Rating"},
    {"diary.csv", "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date"},
    {"reviews.csv", "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date"},
    {"comments.csv", "Date,Content,Comment"},
    {"likes/reviews.csv", "Date,Content"},
    {"likes/lists.csv", "Date,Content"},
    {"deleted/diary.csv", "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date"},
    {"deleted/reviews.csv",
     "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date"},
    {"deleted/comments.csv", "Date,Content,Comment"},
    {"orphaned/diary.csv", "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date"},
    {"orphaned/reviews.csv",
     "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date"},
    {"orphaned/comments.csv", "Date,Content,Comment"},
};

TEST(ExportZip, HasTheDocumentedFilesAndHeaders) {
  const auto files = files_of(member(small_world(), "demo"));
  std::set<std::string> names;
  for (const auto& [name, content] : files)
    names.insert(name);
  std::set<std::string> expected;
  for (const auto& [name, header] : kHeaders)
    expected.insert(name);
  expected.insert("lists/favourites.csv");
  EXPECT_EQ(names, expected);
  for (const auto& [name, header] : kHeaders) {
    ASSERT_TRUE(files.contains(name)) << name;
    EXPECT_TRUE(files.at(name).starts_with(header + "\r\n")) << name;
  }
  for (const auto& [name, content] : files) {
    EXPECT_FALSE(content.starts_with("\xEF\xBB\xBF")) << name << " has a BOM";
    // Every line break that ends a record is CRLF; the parser fails on anything else.
    const auto rows = read_csv(content);
    EXPECT_FALSE(rows.empty()) << name;
    if (name.starts_with("lists/")) continue;
    const std::size_t columns = rows[0].size();
    for (const auto& row : rows) {
      EXPECT_EQ(row.size(), columns) << name;
    }
  }
}

TEST(ExportZip, RowsMatchTheMembersHistory) {
  const World& w = small_world();
  const User& u = member(w, "demo");
  const auto files = files_of(u);
  const auto watched = read_csv(files.at("watched.csv"));
  const auto ratings = read_csv(files.at("ratings.csv"));
  const auto diary = read_csv(files.at("diary.csv"));
  const auto likes = read_csv(files.at("likes/films.csv"));
  const auto watchlist = read_csv(files.at("watchlist.csv"));
  std::size_t rated = 0, liked = 0, in_diary = 0;
  std::map<std::string, int> rating_by_uri;
  for (const Viewing& v : u.films) {
    rated += v.rating ? 1 : 0;
    liked += v.liked ? 1 : 0;
    in_diary += v.in_diary ? 1 : 0;
    if (v.rating) rating_by_uri["https://boxd.it/" + film_at(w, v.film).lid] = v.rating;
  }
  EXPECT_EQ(watched.size() - 1, u.films.size());
  EXPECT_EQ(ratings.size() - 1, rated);
  EXPECT_EQ(likes.size() - 1, liked);
  EXPECT_EQ(diary.size() - 1, in_diary);
  EXPECT_EQ(watchlist.size() - 1, u.watchlist.size());

  static const std::regex kDate(R"(^\d{4}-\d{2}-\d{2}$)");
  static const std::regex kFilmUri(R"(^https://boxd\.it/[0-9A-Za-z]{4}$)");
  static const std::regex kEntryUri(R"(^https://boxd\.it/[0-9A-Za-z]{6}$)");
  static const std::regex kRating(R"(^(?:[0-4](?:\.5)?|5)$)");
  std::set<std::string> seen_values;
  for (std::size_t i = 1; i < ratings.size(); ++i) {
    const auto& row = ratings[i];
    EXPECT_TRUE(std::regex_match(row[0], kDate)) << row[0];
    EXPECT_TRUE(std::regex_match(row[3], kFilmUri)) << row[3];
    EXPECT_TRUE(std::regex_match(row[4], kRating)) << row[4];
    const double value = std::stod(row[4]);
    EXPECT_GE(value, 0.5);
    EXPECT_LE(value, 5.0);
    ASSERT_TRUE(rating_by_uri.contains(row[3]));
    EXPECT_DOUBLE_EQ(value, rating_by_uri.at(row[3]) / 2.0);
    const Film* f = w.film_by_lid(row[3].substr(16));
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(row[1], f->title);
    EXPECT_EQ(row[2], f->letterboxd_year ? std::to_string(f->letterboxd_year) : "");
    seen_values.insert(row[4]);
  }
  EXPECT_TRUE(seen_values.contains("4") || seen_values.contains("3"))
      << "whole stars have no decimals";
  EXPECT_TRUE(seen_values.contains("3.5") || seen_values.contains("4.5"));

  std::set<std::string> watched_uris;
  for (std::size_t i = 1; i < watched.size(); ++i) {
    EXPECT_TRUE(std::regex_match(watched[i][3], kFilmUri)) << watched[i][3];
    watched_uris.insert(watched[i][3]);
  }
  EXPECT_EQ(watched_uris.size(), u.films.size());
  for (const auto& [uri, rating] : rating_by_uri) {
    EXPECT_TRUE(watched_uris.contains(uri));
  }

  bool rewatch = false;
  for (std::size_t i = 1; i < diary.size(); ++i) {
    const auto& row = diary[i];
    EXPECT_TRUE(std::regex_match(row[3], kEntryUri)) << row[3];
    EXPECT_TRUE(row[4].empty() || std::regex_match(row[4], kRating)) << row[4];
    EXPECT_TRUE(row[5].empty() || row[5] == "Yes") << row[5];
    EXPECT_TRUE(std::regex_match(row[7], kDate)) << row[7];
    rewatch |= row[5] == "Yes";
    if (row[5] == "Yes") {
      EXPECT_EQ(row[6], "cinema, 35mm");
    }
  }
  EXPECT_TRUE(rewatch);
  const auto reviews = read_csv(files.at("reviews.csv"));
  ASSERT_GT(reviews.size(), 1u);
  EXPECT_NE(reviews[1][6].find('\n'), std::string::npos) << "multi-line review text";
  EXPECT_TRUE(std::regex_match(reviews[1][3], kEntryUri));
}

TEST(ExportZip, EmptyYearAndEmptyRatingsAppear) {
  // Some member's export has a film without a year and a diary entry without a rating.
  const World& w = small_world();
  bool empty_year = false;
  for (const User& u : w.users()) {
    for (const Viewing& v : u.films)
      empty_year |= film_at(w, v.film).letterboxd_year == 0;
    if (empty_year) {
      const auto watched = read_csv(files_of(u).at("watched.csv"));
      const auto row = std::find_if(watched.begin() + 1, watched.end(),
                                    [](const auto& r) { return r[2].empty(); });
      EXPECT_NE(row, watched.end()) << u.name;
      break;
    }
  }
  EXPECT_TRUE(empty_year);
  const auto diary = read_csv(files_of(member(w, "demo")).at("diary.csv"));
  const auto unrated =
      std::find_if(diary.begin() + 1, diary.end(), [](const auto& r) { return r[4].empty(); });
  EXPECT_NE(unrated, diary.end());
}

TEST(ExportZip, ProfileBioWithNewlineParsesBack) {
  const User& u = member(small_world(), "demo");
  const auto files = files_of(u);
  const std::string& text = files.at("profile.csv");
  const auto rows = read_csv(text);
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[1].size(), 10u);
  EXPECT_EQ(rows[1][1], u.name);
  EXPECT_EQ(rows[1][5], "Somewhere, Earth");
  EXPECT_EQ(rows[1][7], "Films, mostly.\nSometimes \"series\" too.");
  EXPECT_NE(text.find("\"Films, mostly.\nSometimes \"\"series\"\" too.\""), std::string::npos);
  // Favourite films: a comma list of boxd.it links, quoted when there are several.
  if (!rows[1][9].empty()) {
    EXPECT_TRUE(rows[1][9].starts_with("https://boxd.it/"));
  }
}

TEST(ExportZip, ListFileHasTheV7Preamble) {
  const auto files = files_of(member(small_world(), "cinephile"));
  const std::string& list = files.at("lists/favourites.csv");
  EXPECT_TRUE(list.starts_with("Letterboxd list export v7\r\nDate,Name,Tags,URL,Description\r\n"));
  const auto rows = read_csv(list);
  ASSERT_GE(rows.size(), 6u);
  EXPECT_EQ(rows[2][1], "Favourites");
  EXPECT_TRUE(rows[2][3].starts_with("https://boxd.it/"));
  EXPECT_EQ(rows[3], std::vector<std::string>{""});
  EXPECT_EQ(rows[4], (std::vector<std::string>{"Position", "Name", "Year", "URL", "Description"}));
  for (std::size_t i = 5; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], std::to_string(i - 4));
    EXPECT_TRUE(rows[i][3].starts_with("https://boxd.it/"));
  }
}

TEST(ExportZip, NestedPutsEverythingUnderOneFolder) {
  const User& u = member(small_world(), "demo");
  const auto flat = files_of(u);
  const auto nested = files_of(u, true);
  ASSERT_EQ(nested.size(), flat.size());
  const std::string prefix = nested.begin()->first.substr(0, nested.begin()->first.find('/') + 1);
  EXPECT_TRUE(std::regex_match(prefix, std::regex(R"(^letterboxd-demo-\d{4}-\d{2}-\d{2}/$)")))
      << prefix;
  for (const auto& [name, content] : nested) {
    ASSERT_TRUE(name.starts_with(prefix)) << name;
    const std::string inner = name.substr(prefix.size());
    ASSERT_TRUE(flat.contains(inner)) << inner;
    EXPECT_EQ(content, flat.at(inner));
  }
}

TEST(ExportZip, EmptyMemberStillGetsEveryFile) {
  const auto files = files_of(member(small_world(), "newcomer"));
  for (const auto& [name, header] : kHeaders) {
    ASSERT_TRUE(files.contains(name)) << name;
  }
  EXPECT_EQ(files.at("watched.csv"), "Date,Name,Year,Letterboxd URI\r\n");
  EXPECT_EQ(files.at("ratings.csv"), "Date,Name,Year,Letterboxd URI,Rating\r\n");
}

TEST(ExportZip, CsvFieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("Amélie"), "Amélie");
  EXPECT_EQ(csv_field("it's <fine> & ok"), "it's <fine> & ok");
  EXPECT_EQ(csv_field("Quiet, Please"), "\"Quiet, Please\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv_field("\""), "\"\"\"\"");
  // Round trip through the reader.
  for (std::string_view v : {"a,b", "x\"y\"z", "l1\r\nl2", " spaced "}) {
    const auto rows = read_csv(csv_field(v) + "\r\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0], std::vector<std::string>{std::string(v)});
  }
}

}  // namespace
}  // namespace lbrec::fakeworld
