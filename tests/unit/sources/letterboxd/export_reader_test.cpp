// read_export_zip against the fake world's exports (ground truth from the World) and against
// hand-built archives: CSV quirks, joins, the diary, wrong inputs and hostile archives.

#include "sources/letterboxd/export_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "fakeworld/dates.hpp"
#include "fakeworld/export_zip.hpp"
#include "fakeworld/world.hpp"

namespace lbrec::sources::letterboxd {
namespace {

using core::ErrorCode;
using domain::Profile;

// ---- building archives in memory ------------------------------------------------------------

struct WriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};

la_ssize_t append_output(archive*, void* client, const void* buffer, std::size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

struct Entry {
  std::string name;
  std::string content;
  unsigned type = AE_IFREG;
  std::string link;  // symlink target
};

enum class Format { kZip, kTar };

// An archive holding `entries`, written by libarchive into memory.
std::string make_archive(const std::vector<Entry>& entries, Format format = Format::kZip,
                         const char* passphrase = nullptr) {
  std::string out;
  std::unique_ptr<archive, WriteDeleter> a(archive_write_new());
  if (format == Format::kZip) {
    archive_write_set_format_zip(a.get());
  } else {
    archive_write_set_format_pax_restricted(a.get());
  }
  if (passphrase != nullptr) {
    EXPECT_EQ(archive_write_set_options(a.get(), "zip:encryption=zipcrypt"), ARCHIVE_OK)
        << archive_error_string(a.get());
    EXPECT_EQ(archive_write_set_passphrase(a.get(), passphrase), ARCHIVE_OK);
  }
  EXPECT_EQ(archive_write_open2(a.get(), &out, nullptr, append_output, nullptr, nullptr),
            ARCHIVE_OK);
  for (const Entry& e : entries) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        archive_entry_free);
    archive_entry_set_pathname(entry.get(), e.name.c_str());
    archive_entry_set_filetype(entry.get(), e.type);
    archive_entry_set_perm(entry.get(), 0644);
    if (e.type == AE_IFLNK) {
      archive_entry_set_symlink(entry.get(), e.link.c_str());
      archive_entry_set_size(entry.get(), 0);
    } else {
      archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.content.size()));
    }
    EXPECT_EQ(archive_write_header(a.get(), entry.get()), ARCHIVE_OK)
        << archive_error_string(a.get());
    if (!e.content.empty()) {
      EXPECT_EQ(archive_write_data(a.get(), e.content.data(), e.content.size()),
                static_cast<la_ssize_t>(e.content.size()));
    }
  }
  EXPECT_EQ(archive_write_close(a.get()), ARCHIVE_OK);
  return out;
}

// A ZIP with one `name` entry of `size` zeros at deflate, fed in chunks so building it stays
// fast and small in memory.
std::string make_zeros_zip(const std::string& name, std::size_t size) {
  std::string out;
  std::unique_ptr<archive, WriteDeleter> a(archive_write_new());
  archive_write_set_format_zip(a.get());
  EXPECT_EQ(archive_write_set_options(a.get(), "zip:compression=deflate"), ARCHIVE_OK);
  archive_write_open2(a.get(), &out, nullptr, append_output, nullptr, nullptr);
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                      archive_entry_free);
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  archive_write_header(a.get(), entry.get());
  const std::string chunk(1 << 20, '\0');
  for (std::size_t written = 0; written < size; written += chunk.size()) {
    const std::size_t n = std::min(chunk.size(), size - written);
    EXPECT_EQ(archive_write_data(a.get(), chunk.data(), n), static_cast<la_ssize_t>(n));
  }
  archive_write_close(a.get());
  return out;
}

constexpr std::string_view kWatchedHeader = "Date,Name,Year,Letterboxd URI\r\n";
constexpr std::string_view kRatingsHeader = "Date,Name,Year,Letterboxd URI,Rating\r\n";
constexpr std::string_view kDiaryHeader =
    "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\r\n";

Profile read_ok(const std::string& zip, const ExportLimits& limits = {}) {
  auto p = read_export_zip(zip, limits);
  if (!p) {
    ADD_FAILURE() << p.error().message;
    return {};
  }
  return *p;
}

// The error message, after checking the error is kInvalidInput.
std::string read_error(const std::string& zip, const ExportLimits& limits = {}) {
  const auto p = read_export_zip(zip, limits);
  if (p) {
    ADD_FAILURE() << "read an export from invalid input";
    return {};
  }
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidInput) << p.error().message;
  return p.error().message;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// ---- the fake world's exports -----------------------------------------------------------------

const fakeworld::World& world() {
  static const std::shared_ptr<const fakeworld::World> w =
      fakeworld::World::generate({.seed = 5, .films = 5000, .users = 5});
  return *w;
}

// Compares a read profile with the member's ground truth.
void expect_matches_world(const Profile& p, const fakeworld::User& u) {
  const fakeworld::World& w = world();
  EXPECT_EQ(p.username, u.name);
  EXPECT_EQ(p.source, domain::ProfileSource::kExport);
  ASSERT_EQ(p.films.size(), u.films.size());
  std::map<std::pair<std::string, int>, int> title_counts;
  for (const fakeworld::Viewing& v : u.films) {
    const fakeworld::Film& f = w.films()[static_cast<std::size_t>(v.film)];
    ++title_counts[{f.title, f.letterboxd_year}];
  }
  for (std::size_t i = 0; i < p.films.size(); ++i) {
    // Exports list oldest first; the World keeps the newest first.
    const fakeworld::Viewing& v = u.films[u.films.size() - 1 - i];
    const fakeworld::Film& f = w.films()[static_cast<std::size_t>(v.film)];
    const domain::WatchedFilm& got = p.films[i];
    SCOPED_TRACE(f.title);
    EXPECT_EQ(got.film.title, f.title);
    EXPECT_EQ(got.film.year,
              f.letterboxd_year ? std::optional<int>(f.letterboxd_year) : std::optional<int>());
    EXPECT_EQ(got.film.lid, f.lid);
    EXPECT_TRUE(got.film.slug.empty());
    EXPECT_EQ(got.rating, v.rating ? std::optional<int>(v.rating) : std::optional<int>());
    EXPECT_EQ(got.liked, v.liked);
    // The diary matches films by title and year, so only unambiguous titles carry diary facts.
    if (title_counts[{f.title, f.letterboxd_year}] == 1) {
      EXPECT_EQ(got.watched_date,
                v.in_diary ? std::optional<std::string>(fakeworld::iso_date(v.watched_day))
                           : std::optional<std::string>());
      EXPECT_EQ(got.rewatch, v.in_diary && v.rewatch);
    }
  }
  ASSERT_EQ(p.watchlist.size(), u.watchlist.size());
  for (std::size_t i = 0; i < p.watchlist.size(); ++i) {
    const fakeworld::Film& f =
        w.films()[static_cast<std::size_t>(u.watchlist[u.watchlist.size() - 1 - i])];
    EXPECT_EQ(p.watchlist[i].lid, f.lid);
    EXPECT_EQ(p.watchlist[i].title, f.title);
  }
}

void round_trip(std::string_view name, bool nested) {
  const fakeworld::User* u = world().user(name);
  ASSERT_NE(u, nullptr) << name;
  const auto zip = fakeworld::export_zip(world(), *u, nested);
  ASSERT_TRUE(zip.has_value()) << zip.error().message;
  const auto p = read_export_zip(*zip);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  expect_matches_world(*p, *u);
}

TEST(ExportReader, RoundTripsDemo) {
  round_trip("demo", false);
}
TEST(ExportReader, RoundTripsNoRatings) {
  round_trip("no_ratings", false);
}
TEST(ExportReader, RoundTripsNewcomer) {
  round_trip("newcomer", false);
}
TEST(ExportReader, RoundTripsOneFilm) {
  round_trip("one_film", false);
}
TEST(ExportReader, RoundTripsMarathoner) {
  round_trip("marathoner", false);
}
TEST(ExportReader, RoundTripsNestedVariant) {
  round_trip("demo", true);
  round_trip("newcomer", true);
}

TEST(ExportReader, RoundTripSeesRatingsLikesAndEmptyYears) {
  // Guards the round trips against a member whose history exercises nothing.
  const fakeworld::User* u = world().user("marathoner");
  ASSERT_NE(u, nullptr);
  const auto p = read_ok(*fakeworld::export_zip(world(), *u));
  std::size_t rated = 0, liked = 0, no_year = 0, half = 0, rewatched = 0;
  for (const auto& f : p.films) {
    rated += f.rating.has_value();
    half += f.rating && *f.rating % 2;
    liked += f.liked;
    no_year += !f.film.year;
    rewatched += f.rewatch;
  }
  EXPECT_GT(rated, 100u);
  EXPECT_GT(half, 10u);
  EXPECT_GT(liked, 100u);
  EXPECT_GT(rewatched, 0u);
  EXPECT_GT(no_year, 0u);
}

// ---- hand-built exports -----------------------------------------------------------------------

TEST(ExportReader, CrlfAndLfFilesReadTheSame) {
  const std::string crlf =
      "Date,Name,Year,Letterboxd URI\r\n2025-01-01,Alpha,2001,https://boxd.it/Aa11\r\n"
      "2025-01-02,Beta,1999,https://boxd.it/Bb22\r\n";
  std::string lf = crlf;
  for (std::size_t at; (at = lf.find("\r\n")) != std::string::npos;)
    lf.erase(at, 1);
  const Profile a = read_ok(make_archive({{"watched.csv", crlf}}));
  const Profile b = read_ok(make_archive({{"watched.csv", lf}}));
  ASSERT_EQ(a.films.size(), 2u);
  EXPECT_EQ(a.films, b.films);
  EXPECT_EQ(a.films[0].film.title, "Alpha");
  EXPECT_EQ(a.films[0].film.year, 2001);
  EXPECT_EQ(a.films[1].film.lid, "Bb22");
  EXPECT_EQ(a.username, "") << "no profile.csv";
}

TEST(ExportReader, BomIsSkipped) {
  const Profile p = read_ok(make_archive(
      {{"watched.csv",
        "\xEF\xBB\xBF"
        "Date,Name,Year,Letterboxd URI\r\n2025-01-01,Alpha,2001,https://boxd.it/Aa11\r\n"},
       {"profile.csv", "\xEF\xBB\xBFUsername,Bio\r\nsomeone,hi\r\n"}}));
  ASSERT_EQ(p.films.size(), 1u);
  EXPECT_EQ(p.films[0].film.lid, "Aa11");
  EXPECT_EQ(p.username, "someone");
}

TEST(ExportReader, QuotedCommasQuotesAndNewlinesInTitlesAndReviews) {
  const std::string watched = std::string(kWatchedHeader) +
                              "2025-01-01,\"Quiet, Please\",,https://boxd.it/Ab12\r\n"
                              "2025-01-02,\"The \"\"Quoted\"\" One\",2010,https://boxd.it/Cd34\r\n"
                              "2025-01-03,\"Two\r\nLines\",2011,https://boxd.it/Ef56\r\n"
                              "2025-01-04,Amélie,2001,https://boxd.it/Gh78\r\n";
  const std::string reviews =
      "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\r\n"
      "2025-01-05,\"Quiet, Please\",,https://boxd.it/rv0001,4,,\"Loved it, mostly.\r\n"
      "The \"\"ending\"\", wow.\",\"a, b\",2025-01-04\r\n";
  const std::string diary = std::string(kDiaryHeader) +
                            "2025-01-05,\"Quiet, Please\",,https://boxd.it/dy0001,3.5,Yes,"
                            "\"cinema, 35mm\",2025-01-04\r\n";
  const Profile p = read_ok(
      make_archive({{"watched.csv", watched}, {"reviews.csv", reviews}, {"diary.csv", diary}}));
  ASSERT_EQ(p.films.size(), 4u);
  EXPECT_EQ(p.films[0].film.title, "Quiet, Please");
  EXPECT_EQ(p.films[0].film.year, std::nullopt);
  EXPECT_EQ(p.films[0].rating, 7) << "from the diary";
  EXPECT_TRUE(p.films[0].rewatch);
  EXPECT_EQ(p.films[0].watched_date, "2025-01-04");
  EXPECT_EQ(p.films[1].film.title, "The \"Quoted\" One");
  EXPECT_EQ(p.films[2].film.title, "Two\r\nLines");
  EXPECT_EQ(p.films[2].film.lid, "Ef56");
  EXPECT_EQ(p.films[3].film.title, "Amélie");
}

TEST(ExportReader, EmptyYearIsNullopt) {
  const Profile p = read_ok(
      make_archive({{"watched.csv",
                     std::string(kWatchedHeader) + "2025-01-01,Untitled,,https://boxd.it/Ab12\r\n"},
                    {"ratings.csv", std::string(kRatingsHeader) +
                                        "2025-01-01,Untitled,,https://boxd.it/Ab12,2.5\r\n"}}));
  ASSERT_EQ(p.films.size(), 1u);
  EXPECT_EQ(p.films[0].film.year, std::nullopt);
  EXPECT_EQ(p.films[0].rating, 5);
}

TEST(ExportReader, RatingsJoinOnUriAndAddFilmsNotInWatched) {
  const std::string watched = std::string(kWatchedHeader) +
                              "2025-01-01,Alpha,2001,https://boxd.it/Aa11\r\n"
                              "2025-01-02,Beta,1999,https://boxd.it/Bb22\r\n";
  const std::string ratings = std::string(kRatingsHeader) +
                              "2025-01-03,Beta (renamed),1999,https://boxd.it/Bb22,4\r\n"
                              "2025-01-04,Gamma,1980,https://boxd.it/Cc33,0.5\r\n"
                              "2025-01-05,Delta,1970,https://letterboxd.com/film/delta/,5\r\n";
  const Profile p = read_ok(make_archive({{"watched.csv", watched}, {"ratings.csv", ratings}}));
  ASSERT_EQ(p.films.size(), 4u);
  EXPECT_EQ(p.films[0].rating, std::nullopt);
  EXPECT_EQ(p.films[1].film.title, "Beta") << "watched.csv names the film";
  EXPECT_EQ(p.films[1].rating, 8);
  EXPECT_EQ(p.films[2].film.lid, "Cc33");
  EXPECT_EQ(p.films[2].rating, 1);
  EXPECT_EQ(p.films[3].film.slug, "delta");
  EXPECT_EQ(p.films[3].film.lid, "");
  EXPECT_EQ(p.films[3].rating, 10);
}

TEST(ExportReader, RatingsOnlyExportIsEnough) {
  const Profile p = read_ok(
      make_archive({{"ratings.csv", std::string(kRatingsHeader) +
                                        "2025-01-04,Gamma,1980,https://boxd.it/Cc33,3\r\n"}}));
  ASSERT_EQ(p.films.size(), 1u);
  EXPECT_EQ(p.films[0].rating, 6);
}

TEST(ExportReader, LikesSetLikedAndAddMissingFilms) {
  const Profile p = read_ok(
      make_archive({{"watched.csv", std::string(kWatchedHeader) +
                                        "2025-01-01,Alpha,2001,https://boxd.it/Aa11\r\n"},
                    {"likes/films.csv", std::string(kWatchedHeader) +
                                            "2025-01-02,Alpha,2001,https://boxd.it/Aa11\r\n"
                                            "2025-01-02,Omega,2020,https://boxd.it/Zz99\r\n"}}));
  ASSERT_EQ(p.films.size(), 2u);
  EXPECT_TRUE(p.films[0].liked);
  EXPECT_EQ(p.films[1].film.lid, "Zz99");
  EXPECT_TRUE(p.films[1].liked);
  EXPECT_EQ(p.films[1].rating, std::nullopt);
}

TEST(ExportReader, ColumnsInAnyOrderAndUnknownColumnsIgnored) {
  const Profile p = read_ok(make_archive(
      {{"watched.csv",
        "Letterboxd URI,Extra,Year,Name\r\nhttps://boxd.it/Aa11,whatever,2001,Alpha\r\n"},
       {"ratings.csv",
        "Rating,Name,Letterboxd URI,Year\r\n3.5,Alpha,https://boxd.it/Aa11,2001\r\n"}}));
  ASSERT_EQ(p.films.size(), 1u);
  EXPECT_EQ(p.films[0].film.title, "Alpha");
  EXPECT_EQ(p.films[0].film.year, 2001);
  EXPECT_EQ(p.films[0].rating, 7);
}

TEST(ExportReader, LatestDiaryEntryWins) {
  const std::string watched = std::string(kWatchedHeader) +
                              "2024-01-01,Alpha,2001,https://boxd.it/Aa11\r\n"
                              "2024-01-01,Beta,1999,https://boxd.it/Bb22\r\n"
                              "2024-01-01,Gamma,1980,https://boxd.it/Cc33\r\n";
  const std::string ratings =
      std::string(kRatingsHeader) + "2024-01-01,Beta,1999,https://boxd.it/Bb22,2\r\n";
  // Rows out of order on purpose: the later Watched Date wins, then the later Date.
  const std::string diary = std::string(kDiaryHeader) +
                            "2024-06-02,Alpha,2001,https://boxd.it/e00002,4.5,Yes,,2024-06-01\r\n"
                            "2024-01-02,Alpha,2001,https://boxd.it/e00001,2,,,2024-01-01\r\n"
                            "2024-03-01,Beta,1999,https://boxd.it/e00003,5,,,2024-02-01\r\n"
                            "2024-05-02,Gamma,1980,https://boxd.it/e00004,3,,,2024-05-01\r\n"
                            "2024-05-03,Gamma,1980,https://boxd.it/e00005,,Yes,,2024-05-01\r\n"
                            "2024-05-01,Gamma,1980,https://boxd.it/e00006,1,,,2024-05-01\r\n";
  const Profile p = read_ok(
      make_archive({{"watched.csv", watched}, {"ratings.csv", ratings}, {"diary.csv", diary}}));
  ASSERT_EQ(p.films.size(), 3u);
  EXPECT_EQ(p.films[0].rating, 9);
  EXPECT_EQ(p.films[0].watched_date, "2024-06-01");
  EXPECT_TRUE(p.films[0].rewatch);
  EXPECT_EQ(p.films[1].rating, 4) << "ratings.csv beats the diary";
  EXPECT_EQ(p.films[1].watched_date, "2024-02-01");
  EXPECT_FALSE(p.films[1].rewatch);
  EXPECT_EQ(p.films[2].rating, std::nullopt) << "same Watched Date: the later Date wins";
  EXPECT_TRUE(p.films[2].rewatch);
  EXPECT_EQ(p.films[2].watched_date, "2024-05-01");
  for (const auto& f : p.films) {
    EXPECT_EQ(f.film.lid.size(), 4u) << "diary URIs are entries, never film ids";
  }
}

TEST(ExportReader, DiaryFilmsMissingFromWatchedAreAddedAndAmbiguousTitlesIgnored) {
  const std::string watched = std::string(kWatchedHeader) +
                              "2024-01-01,Twin,2001,https://boxd.it/Tw01\r\n"
                              "2024-01-01,Twin,2001,https://boxd.it/Tw02\r\n";
  const std::string diary = std::string(kDiaryHeader) +
                            "2024-02-02,Twin,2001,https://boxd.it/e00001,4,,,2024-02-01\r\n"
                            "2024-02-02,Solo,,https://boxd.it/e00002,3,,,2024-02-01\r\n";
  const Profile p = read_ok(make_archive({{"watched.csv", watched}, {"diary.csv", diary}}));
  ASSERT_EQ(p.films.size(), 3u);
  EXPECT_EQ(p.films[0].rating, std::nullopt);
  EXPECT_EQ(p.films[1].rating, std::nullopt);
  EXPECT_EQ(p.films[2].film.title, "Solo");
  EXPECT_EQ(p.films[2].film.lid, "");
  EXPECT_EQ(p.films[2].rating, 6);
}

TEST(ExportReader, WatchlistAndUsername) {
  const Profile p = read_ok(make_archive(
      {{"watched.csv", std::string(kWatchedHeader)},
       {"watchlist.csv", std::string(kWatchedHeader) +
                             "2025-01-01,Alpha,2001,https://boxd.it/Aa11\r\n"
                             "2025-01-02,Beta,,https://boxd.it/Bb22\r\n"
                             "2025-01-03,Alpha,2001,https://boxd.it/Aa11\r\n"},
       {"profile.csv",
        "Date Joined,Username,Given Name,Bio\r\n2020-01-01,cinefan,C,\"Films,\nmostly\"\r\n"}}));
  EXPECT_TRUE(p.films.empty());
  ASSERT_EQ(p.watchlist.size(), 2u);
  EXPECT_EQ(p.watchlist[0].lid, "Aa11");
  EXPECT_EQ(p.watchlist[1].year, std::nullopt);
  EXPECT_EQ(p.username, "cinefan");
}

TEST(ExportReader, BadRatingNamesFileAndLine) {
  for (std::string_view bad : {"6", "4.25", "0", "abc", "", "-1", "4.5.5"}) {
    const std::string msg = read_error(make_archive(
        {{"ratings.csv", std::string(kRatingsHeader) +
                             "2025-01-01,Alpha,2001,https://boxd.it/Aa11,4\r\n"
                             "2025-01-01,\"Two\nLines\",2001,https://boxd.it/Bb22,3\r\n"
                             "2025-01-01,Gamma,2001,https://boxd.it/Cc33," +
                             std::string(bad) + "\r\n"}}));
    EXPECT_TRUE(contains(msg, "ratings.csv line 5")) << bad << ": " << msg;
  }
  const std::string diary_msg = read_error(make_archive(
      {{"watched.csv", std::string(kWatchedHeader)},
       {"diary.csv", std::string(kDiaryHeader) +
                         "2025-01-01,Alpha,2001,https://boxd.it/e00001,11,,,2025-01-01\r\n"}}));
  EXPECT_TRUE(contains(diary_msg, "diary.csv line 2")) << diary_msg;
}

TEST(ExportReader, BadYearAndDateNameFileAndLine) {
  EXPECT_TRUE(contains(
      read_error(make_archive({{"watched.csv", std::string(kWatchedHeader) +
                                                   "2025-01-01,A,20x1,https://boxd.it/Aa11\r\n"}})),
      "watched.csv line 2"));
  EXPECT_TRUE(contains(
      read_error(make_archive(
          {{"watched.csv", std::string(kWatchedHeader)},
           {"diary.csv", std::string(kDiaryHeader) + "2025-01-01,A,2001,https://boxd.it/e00001,,,,"
                                                     "yesterday\r\n"}})),
      "diary.csv line 2"));
}

TEST(ExportReader, WrongHeaderNamesTheFile) {
  EXPECT_TRUE(contains(
      read_error(
          make_archive({{"watched.csv", "Title,Year,URL\r\nAlpha,2001,https://boxd.it/Aa11\r\n"}})),
      "watched.csv"));
  EXPECT_TRUE(contains(read_error(make_archive({{"watched.csv", std::string(kWatchedHeader)},
                                                {"ratings.csv", std::string(kWatchedHeader)}})),
                       "ratings.csv"));
  const std::string diary =
      read_error(make_archive({{"watched.csv", std::string(kWatchedHeader)},
                               {"diary.csv", "Date,Name,Year,Letterboxd URI,Rating\r\n"}}));
  EXPECT_TRUE(contains(diary, "diary.csv")) << diary;
  EXPECT_TRUE(contains(diary, "Watched Date")) << diary;
  EXPECT_TRUE(contains(read_error(make_archive({{"watched.csv", std::string(kWatchedHeader)},
                                                {"likes/films.csv", "Date,Content\r\n"}})),
                       "likes/films.csv"));
  EXPECT_TRUE(contains(read_error(make_archive({{"watched.csv", std::string(kWatchedHeader)},
                                                {"watchlist.csv", "Date,Name,Year\r\n"}})),
                       "watchlist.csv"));
}

TEST(ExportReader, MalformedCsvNamesTheFile) {
  const std::string msg = read_error(
      make_archive({{"watched.csv", std::string(kWatchedHeader) +
                                        "2025-01-01,\"Alpha,2001,https://boxd.it/Aa11\r\n"}}));
  EXPECT_TRUE(contains(msg, "watched.csv")) << msg;
  EXPECT_TRUE(contains(msg, "line 2")) << msg;
}

TEST(ExportReader, MissingRequiredFiles) {
  const std::string msg = read_error(make_archive({{"watchlist.csv", std::string(kWatchedHeader)},
                                                   {"profile.csv", "Username\r\nsomeone\r\n"},
                                                   {"reviews.csv", "Date,Name\r\n"}}));
  EXPECT_EQ(msg, "not a Letterboxd export: no watched.csv or ratings.csv");
  EXPECT_TRUE(contains(read_error(make_archive({{"notes.txt", "hello"}})), "no watched.csv"));
}

TEST(ExportReader, RejectsWhatIsNotAZip) {
  std::mt19937 rng(1);
  std::string random(4096, '\0');
  for (char& c : random)
    c = static_cast<char>(rng());
  EXPECT_TRUE(contains(read_error(random), "not a ZIP archive"));
  EXPECT_TRUE(contains(read_error(""), "not a ZIP archive"));
  EXPECT_TRUE(contains(read_error("PK\x03\x04 truncated"), "ZIP"));
  EXPECT_TRUE(contains(read_error(std::string(kWatchedHeader)), "not a ZIP archive"));
  const std::string tar = make_archive(
      {{"watched.csv", std::string(kWatchedHeader) + "2025-01-01,A,2001,https://boxd.it/Aa11\r\n"}},
      Format::kTar);
  EXPECT_TRUE(contains(read_error(tar), "not a ZIP archive"));
  // gzip of the same bytes.
  std::string gz;
  {
    std::unique_ptr<archive, WriteDeleter> a(archive_write_new());
    archive_write_set_format_raw(a.get());
    archive_write_add_filter_gzip(a.get());
    archive_write_open2(a.get(), &gz, nullptr, append_output, nullptr, nullptr);
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(),
                                                                    archive_entry_free);
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_write_header(a.get(), e.get());
    archive_write_data(a.get(), kWatchedHeader.data(), kWatchedHeader.size());
    archive_write_close(a.get());
  }
  ASSERT_TRUE(gz.starts_with("\x1f\x8b"));
  EXPECT_TRUE(contains(read_error(gz), "not a ZIP archive"));
}

TEST(ExportReader, EmptyZipIsNotAnExport) {
  const std::string empty = make_archive({});
  ASSERT_FALSE(empty.empty());
  EXPECT_TRUE(contains(read_error(empty), "not a Letterboxd export")) << read_error(empty);
}

TEST(ExportReader, ZipBombIsRejectedQuickly) {
  const auto built = std::chrono::steady_clock::now();
  const std::string bomb = make_zeros_zip("watched.csv", std::size_t{300} << 20);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_LT(bomb.size(), std::size_t{2} << 20) << "the bomb compresses well";
  const std::string msg = read_error(bomb);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(contains(msg, "watched.csv is larger than 32 MiB")) << msg;
  EXPECT_LT(took, std::chrono::seconds(2));
  std::cout << "[ bomb     ] " << bomb.size() << " bytes built in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(start - built).count()
            << " ms, rejected in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
}

// The declared sizes of a ZIP's entries set to `size` (local headers and central directory), as
// a hostile archive would: the caps must hold on the bytes that come out, not on what is declared.
void lie_about_sizes(std::string& zip, std::uint32_t size) {
  const auto put32 = [&](std::size_t at) {
    for (int i = 0; i < 4; ++i)
      zip[at + static_cast<std::size_t>(i)] = static_cast<char>((size >> (8 * i)) & 0xff);
  };
  for (std::size_t at = 0; (at = zip.find("PK\x01\x02", at)) != std::string::npos; at += 4) {
    put32(at + 24);  // central directory: uncompressed size
  }
  for (std::size_t at = 0; (at = zip.find(std::string("PK\x03\x04", 4), at)) != std::string::npos;
       at += 4) {
    put32(at + 22);  // local header: uncompressed size
  }
  for (std::size_t at = 0; (at = zip.find("PK\x07\x08", at)) != std::string::npos; at += 4) {
    put32(at + 12);  // data descriptor: uncompressed size
  }
}

TEST(ExportReader, ZipBombWithLyingSizesStopsAtTheCap) {
  std::string bomb = make_zeros_zip("watched.csv", std::size_t{300} << 20);
  lie_about_sizes(bomb, 1000);
  const auto start = std::chrono::steady_clock::now();
  const std::string first = read_error(bomb);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(contains(first, "watched.csv is larger than 32 MiB")) << first;
  EXPECT_LT(took, std::chrono::seconds(3));
  std::cout << "[ bomb     ] lying sizes: rejected in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  // A smaller cap stops it sooner, with the cap in the message.
  ExportLimits limits;
  limits.max_entry_bytes = 1 << 20;
  const std::string msg = read_error(bomb, limits);
  EXPECT_TRUE(contains(msg, "watched.csv is larger than 1 MiB")) << msg;
}

TEST(ExportReader, BombUnderAnUnknownNameIsSkippedNotInflated) {
  std::string zip = make_zeros_zip("lists/huge.csv", std::size_t{300} << 20);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(contains(read_error(zip), "no watched.csv"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
}

TEST(ExportReader, EntryAndTotalCaps) {
  const std::string row = "2025-01-01,Alpha,2001,https://boxd.it/Aa11\r\n";
  std::string big(kWatchedHeader);
  while (big.size() < 5000)
    big += row;
  const std::string zip = make_archive({{"watched.csv", big}, {"watchlist.csv", big}});
  ExportLimits entry_cap;
  entry_cap.max_entry_bytes = 4096;
  EXPECT_TRUE(contains(read_error(zip, entry_cap), "watched.csv is larger than 4096 bytes"));
  ExportLimits total_cap;
  total_cap.max_total_bytes = 8000;
  EXPECT_TRUE(contains(read_error(zip, total_cap), "uncompressed"));
  EXPECT_EQ(read_ok(zip).films.size(), 1u);
}

TEST(ExportReader, TooManyEntries) {
  const auto zip = fakeworld::export_zip(world(), *world().user("demo"));
  ASSERT_TRUE(zip.has_value());
  ExportLimits limits;
  limits.max_entries = 5;
  EXPECT_TRUE(contains(read_error(*zip, limits), "more than 5 entries"));
}

TEST(ExportReader, TooManyRows) {
  std::string watched(kWatchedHeader);
  for (int i = 0; i < 20; ++i)
    watched += "2025-01-01,Film " + std::to_string(i) + ",2001,https://boxd.it/F" +
               std::to_string(100 + i) + "\r\n";
  const std::string zip = make_archive({{"watched.csv", watched}});
  ExportLimits limits;
  limits.max_rows = 10;
  const std::string msg = read_error(zip, limits);
  EXPECT_TRUE(contains(msg, "watched.csv")) << msg;
  EXPECT_TRUE(contains(msg, "more than 10 rows")) << msg;
  limits.max_rows = 21;
  EXPECT_EQ(read_ok(zip, limits).films.size(), 20u);
}

TEST(ExportReader, ArchiveOverMaxArchiveBytes) {
  const auto zip = fakeworld::export_zip(world(), *world().user("demo"));
  ASSERT_TRUE(zip.has_value());
  ExportLimits limits;
  limits.max_archive_bytes = zip->size() - 1;
  EXPECT_TRUE(contains(read_error(*zip, limits), "export is larger than"));
  limits.max_archive_bytes = zip->size();
  EXPECT_TRUE(read_export_zip(*zip, limits).has_value());
}

TEST(ExportReader, PathTraversalAndAbsoluteNamesAreNotTaken) {
  const std::string watched =
      std::string(kWatchedHeader) + "2025-01-01,Evil,2001,https://boxd.it/Ev11\r\n";
  const std::string ratings =
      std::string(kRatingsHeader) + "2025-01-01,Good,2001,https://boxd.it/Gd11,4\r\n";
  EXPECT_TRUE(contains(read_error(make_archive({{"../watched.csv", watched}})), "no watched.csv"));
  EXPECT_TRUE(contains(read_error(make_archive({{"/watched.csv", watched}})), "no watched.csv"));
  EXPECT_TRUE(
      contains(read_error(make_archive({{"a/../../watched.csv", watched}})), "no watched.csv"));
  EXPECT_TRUE(contains(read_error(make_archive({{"..\\watched.csv", watched}})), "no watched.csv"));
  const Profile p = read_ok(make_archive(
      {{"../watched.csv", watched}, {"x/../watched.csv", watched}, {"ratings.csv", ratings}}));
  ASSERT_EQ(p.films.size(), 1u);
  EXPECT_EQ(p.films[0].film.title, "Good");
}

TEST(ExportReader, SymlinksAndDirectoriesAreIgnored) {
  const std::string ratings =
      std::string(kRatingsHeader) + "2025-01-01,Good,2001,https://boxd.it/Gd11,4\r\n";
  const Profile p = read_ok(make_archive({{"letterboxd/", "", AE_IFDIR},
                                          {"watched.csv", "", AE_IFLNK, "/etc/passwd"},
                                          {"ratings.csv", ratings}}));
  ASSERT_EQ(p.films.size(), 1u);
  EXPECT_EQ(p.films[0].rating, 8);
}

TEST(ExportReader, NestedFolderRules) {
  const std::string watched =
      std::string(kWatchedHeader) + "2025-01-01,Alpha,2001,https://boxd.it/Aa11\r\n";
  const std::string diary =
      std::string(kDiaryHeader) + "2025-01-02,Alpha,2001,https://boxd.it/e00001,4,,,2025-01-01\r\n";
  // One folder: accepted, with its subfolders.
  const Profile p =
      read_ok(make_archive({{"letterboxd-someone-2026-01-01/watched.csv", watched},
                            {"letterboxd-someone-2026-01-01/likes/films.csv", watched},
                            {"letterboxd-someone-2026-01-01/deleted/diary.csv", diary}}));
  ASSERT_EQ(p.films.size(), 1u);
  EXPECT_TRUE(p.films[0].liked);
  EXPECT_EQ(p.films[0].rating, std::nullopt) << "deleted/diary.csv is not the diary";
  // deleted/ at the root is never the export's folder.
  EXPECT_TRUE(contains(read_error(make_archive({{"deleted/diary.csv", diary}})), "no watched.csv"));
  // Two folders that each look like an export: ambiguous.
  EXPECT_TRUE(contains(
      read_error(make_archive({{"one/watched.csv", watched}, {"two/watched.csv", watched}})),
      "more than one folder"));
  // Two levels down is not an export.
  EXPECT_TRUE(contains(read_error(make_archive({{"a/b/watched.csv", watched}})), "no watched.csv"));
  // Files at the root win over a folder.
  const Profile root = read_ok(
      make_archive({{"watched.csv", watched},
                    {"old/watched.csv", std::string(kWatchedHeader) +
                                            "2020-01-01,Old,1990,https://boxd.it/Ol11\r\n"}}));
  ASSERT_EQ(root.films.size(), 1u);
  EXPECT_EQ(root.films[0].film.title, "Alpha");
}

TEST(ExportReader, DuplicateEntryIsRejected) {
  const std::string watched =
      std::string(kWatchedHeader) + "2025-01-01,Alpha,2001,https://boxd.it/Aa11\r\n";
  EXPECT_TRUE(contains(
      read_error(make_archive({{"watched.csv", watched}, {"watched.csv", watched}})), "twice"));
}

TEST(ExportReader, EncryptedEntryIsRejected) {
  const std::string watched =
      std::string(kWatchedHeader) + "2025-01-01,Alpha,2001,https://boxd.it/Aa11\r\n";
  const std::string zip = make_archive({{"watched.csv", watched}}, Format::kZip, "secret");
  const std::string msg = read_error(zip);
  EXPECT_TRUE(contains(msg, "encrypted")) << msg;
}

TEST(ExportReader, OtherLetterboxdUrisAreAccepted) {
  const Profile p = read_ok(make_archive(
      {{"watched.csv", std::string(kWatchedHeader) +
                           "2025-01-01,A,2001,http://boxd.it/Aa11/\r\n"
                           "2025-01-01,B,2001,https://www.letterboxd.com/film/b-film/\r\n"
                           "2025-01-01,C,2001,https://letterboxd.com/someone/film/c-film/1/\r\n"
                           "2025-01-01,D,2001,https://example.com/film/x/\r\n"}}));
  ASSERT_EQ(p.films.size(), 4u);
  EXPECT_EQ(p.films[0].film.lid, "Aa11");
  EXPECT_EQ(p.films[1].film.slug, "b-film");
  EXPECT_EQ(p.films[2].film.slug, "c-film");
  EXPECT_EQ(p.films[3].film.slug, "");
  EXPECT_EQ(p.films[3].film.lid, "");
  EXPECT_EQ(p.films[3].film.title, "D");
}

}  // namespace
}  // namespace lbrec::sources::letterboxd
