#include "export_zip.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <memory>
#include <vector>

#include "dates.hpp"

namespace lbrec::fakeworld {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// Rows of a CSV file, each a list of already-formatted fields.
class Csv {
 public:
  explicit Csv(std::string_view header) { text_ += std::string(header) + std::string(kCrlf); }
  void row(std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (std::string_view f : fields) {
      if (!first) text_ += ',';
      first = false;
      text_ += csv_field(f);
    }
    text_ += kCrlf;
  }
  void raw(std::string_view line) {
    text_ += line;
    text_ += kCrlf;
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};

la_ssize_t append_output(archive*, void* client, const void* buffer, std::size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

std::string boxd(std::string_view code) {
  return fmt::format("https://boxd.it/{}", code);
}

std::string year_text(const Film& f) {
  return f.letterboxd_year ? std::to_string(f.letterboxd_year) : std::string();
}

std::string rating_text(int half_stars) {
  return half_stars % 2 ? fmt::format("{}.5", half_stars / 2) : std::to_string(half_stars / 2);
}

// A 6-character diary/review code derived from the viewing id (exports use entry URIs, not film
// URIs, for diary.csv and reviews.csv).
std::string entry_code(std::uint32_t id) {
  static constexpr std::string_view kChars = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  std::uint64_t v = id * 2654435761ULL + 12345;
  for (int i = 0; i < 6; ++i) {
    s += kChars[v % kChars.size()];
    v /= kChars.size();
  }
  return s;
}

}  // namespace

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

core::Result<std::string> export_zip(const World& world, const User& u, bool nested) {
  const auto film = [&](int index) -> const Film& {
    return world.films()[static_cast<std::size_t>(index)];
  };
  std::vector<std::pair<std::string, std::string>> files;

  Csv profile(
      "Date Joined,Username,Given Name,Family Name,Email "
      "Address,Location,Website,Bio,Pronoun,Favorite Films");
  std::string favourites;
  int favs = 0;
  for (const Viewing& v : u.films) {
    if (v.rating == 10 && favs < 4) {
      favourites += (favs++ ? ", " : "") + boxd(film(v.film).lid);
    }
  }
  const std::size_t space = u.display_name.find(' ');
  profile.row({iso_date(u.joined_day), u.name, u.display_name.substr(0, space),
               space == std::string::npos ? "" : u.display_name.substr(space + 1),
               fmt::format("{}@example.invalid", u.name), "Somewhere, Earth", "",
               "Films, mostly.\nSometimes \"series\" too.", "they/them", favourites});
  files.emplace_back("profile.csv", profile.text());

  Csv watched("Date,Name,Year,Letterboxd URI");
  Csv ratings("Date,Name,Year,Letterboxd URI,Rating");
  Csv diary("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date");
  Csv reviews("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date");
  Csv likes("Date,Name,Year,Letterboxd URI");
  // Exports list oldest first.
  for (auto it = u.films.rbegin(); it != u.films.rend(); ++it) {
    const Viewing& v = *it;
    const Film& f = film(v.film);
    const std::string logged = iso_date(std::min(v.watched_day + 1, kWorldToday));
    watched.row({logged, f.title, year_text(f), boxd(f.lid)});
    if (v.rating) ratings.row({logged, f.title, year_text(f), boxd(f.lid), rating_text(v.rating)});
    if (v.liked) likes.row({logged, f.title, year_text(f), boxd(f.lid)});
    if (v.in_diary) {
      const std::string tags = v.rewatch ? "cinema, 35mm" : "";
      diary.row({logged, f.title, year_text(f), boxd(entry_code(v.viewing_id)),
                 v.rating ? rating_text(v.rating) : "", v.rewatch ? "Yes" : "", tags,
                 iso_date(v.watched_day)});
      if (v.reviewed) {
        reviews.row({logged, f.title, year_text(f), boxd(entry_code(v.viewing_id ^ 0x5555)),
                     v.rating ? rating_text(v.rating) : "", v.rewatch ? "Yes" : "",
                     "Loved it, mostly.\nThe \"ending\" though, <em>wow</em>.", "",
                     iso_date(v.watched_day)});
      }
    }
  }
  Csv watchlist("Date,Name,Year,Letterboxd URI");
  for (auto it = u.watchlist.rbegin(); it != u.watchlist.rend(); ++it) {
    const Film& f = film(*it);
    watchlist.row({iso_date(kWorldToday - 1), f.title, year_text(f), boxd(f.lid)});
  }
  files.emplace_back("watched.csv", watched.text());
  files.emplace_back("ratings.csv", ratings.text());
  files.emplace_back("diary.csv", diary.text());
  files.emplace_back("reviews.csv", reviews.text());
  files.emplace_back("watchlist.csv", watchlist.text());
  files.emplace_back("comments.csv", Csv("Date,Content,Comment").text());
  files.emplace_back("likes/films.csv", likes.text());
  files.emplace_back("likes/reviews.csv", Csv("Date,Content").text());
  files.emplace_back("likes/lists.csv", Csv("Date,Content").text());

  Csv list("Letterboxd list export v7");
  list.raw("Date,Name,Tags,URL,Description");
  list.row({iso_date(kWorldToday - 30), "Favourites", "",
            fmt::format("https://boxd.it/{}", entry_code(7)),
            "The ones I keep returning to, in no order"});
  list.raw("");
  list.raw("Position,Name,Year,URL,Description");
  int position = 0;
  for (const Viewing& v : u.films) {
    if (v.rating < 9 || position >= 10) continue;
    const Film& f = film(v.film);
    list.row({std::to_string(++position), f.title, year_text(f), boxd(f.lid), ""});
  }
  files.emplace_back("lists/favourites.csv", list.text());
  files.emplace_back("deleted/diary.csv",
                     Csv("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date").text());
  files.emplace_back(
      "deleted/reviews.csv",
      Csv("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date").text());
  files.emplace_back("deleted/comments.csv", Csv("Date,Content,Comment").text());
  files.emplace_back("orphaned/diary.csv",
                     Csv("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date").text());
  files.emplace_back(
      "orphaned/reviews.csv",
      Csv("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date").text());
  files.emplace_back("orphaned/comments.csv", Csv("Date,Content,Comment").text());

  std::string zip;
  std::unique_ptr<archive, ArchiveDeleter> a(archive_write_new());
  if (!a || archive_write_set_format_zip(a.get()) != ARCHIVE_OK ||
      archive_write_open2(a.get(), &zip, nullptr, append_output, nullptr, nullptr) != ARCHIVE_OK) {
    return core::fail(core::ErrorCode::kInternal, "libarchive: cannot start a zip");
  }
  const std::string prefix =
      nested ? fmt::format("letterboxd-{}-{}/", u.name, iso_date(kWorldToday)) : "";
  for (const auto& [name, content] : files) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        archive_entry_free);
    archive_entry_set_pathname(entry.get(), (prefix + name).c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_mtime(entry.get(), static_cast<time_t>(kWorldToday) * 86400, 0);
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(a.get(), content.data(), content.size()) !=
            static_cast<la_ssize_t>(content.size())) {
      return core::fail(core::ErrorCode::kInternal,
                        std::string("libarchive: ") + archive_error_string(a.get()));
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    return core::fail(core::ErrorCode::kInternal,
                      std::string("libarchive: ") + archive_error_string(a.get()));
  }
  return zip;
}

}  // namespace lbrec::fakeworld
