#include "sources/letterboxd/export_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/strings.hpp"
#include "sources/csv_reader.hpp"

namespace lbrec::sources::letterboxd {
namespace {

using core::ErrorCode;
using domain::FilmRef;
using domain::WatchedFilm;

tl::unexpected<core::Error> invalid(std::string message) {
  return core::fail(ErrorCode::kInvalidInput, std::move(message));
}

std::string bytes_text(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) {
    return std::to_string(bytes >> 20) + " MiB";
  }
  return std::to_string(bytes) + " bytes";
}

// The files read; everything else in an export (reviews, comments, lists, deleted/, orphaned/)
// says nothing about what a member watched or wants to.
constexpr std::array<std::string_view, 6> kKnownFiles = {
    "watched.csv", "ratings.csv", "diary.csv", "watchlist.csv", "likes/films.csv", "profile.csv"};

// Letterboxd's own sub-folders, which are never the one folder a nested export sits in
// ("deleted/diary.csv" is not an export's diary).
constexpr std::array<std::string_view, 4> kExportSubfolders = {"likes", "lists", "deleted",
                                                               "orphaned"};

bool is_known(std::string_view name) {
  return std::find(kKnownFiles.begin(), kKnownFiles.end(), name) != kKnownFiles.end();
}

// Path components of an entry name; nullopt for absolute paths, drive letters and "..".
// Backslashes count as separators, as Windows tools write them.
std::optional<std::vector<std::string_view>> safe_components(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.front() == '\\') return std::nullopt;
  if (path.size() >= 2 && path[1] == ':') return std::nullopt;
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find_first_of("/\\", start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part == "..") return std::nullopt;
    if (!part.empty() && part != ".") parts.push_back(part);
    start = end + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string_view>& parts, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < parts.size(); ++i) {
    if (i > from) out += '/';
    out += parts[i];
  }
  return out;
}

// Where a known file sits: ("", name) at the root, (folder, name) one folder down.
std::optional<std::pair<std::string, std::string>> place(
    const std::vector<std::string_view>& parts) {
  if (parts.empty()) return std::nullopt;
  std::string whole = join(parts, 0);
  if (is_known(whole)) return std::pair{std::string(), std::move(whole)};
  if (parts.size() < 2 || std::find(kExportSubfolders.begin(), kExportSubfolders.end(), parts[0]) !=
                              kExportSubfolders.end()) {
    return std::nullopt;
  }
  std::string inner = join(parts, 1);
  if (!is_known(inner)) return std::nullopt;
  return std::pair{std::string(parts[0]), std::move(inner)};
}

using FileSet = std::map<std::string, std::string>;  // known file name -> content

struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

std::string archive_message(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "unknown error";
}

// Every known file of the archive, by folder ("" = root). Uncompressed bytes are counted as they
// come out of the decompressor, so the caps hold whatever sizes the archive declares.
core::Result<std::map<std::string, FileSet>> collect_files(std::string_view zip_bytes,
                                                           const ExportLimits& limits) {
  if (zip_bytes.empty()) return invalid("not a ZIP archive: the file is empty");
  if (zip_bytes.size() > limits.max_archive_bytes) {
    return invalid("export is larger than " + bytes_text(limits.max_archive_bytes));
  }
  std::unique_ptr<archive, ArchiveReadDeleter> a(archive_read_new());
  if (!a) return core::fail(ErrorCode::kInternal, "libarchive: cannot allocate a reader");
  // ZIP only: no tar, no gzip, no raw, whatever the bytes look like.
  if (archive_read_support_format_zip(a.get()) != ARCHIVE_OK ||
      archive_read_open_memory(a.get(), zip_bytes.data(), zip_bytes.size()) != ARCHIVE_OK) {
    return invalid("not a ZIP archive");
  }

  std::map<std::string, FileSet> files;
  std::vector<char> buffer(64 * 1024);
  std::size_t entries = 0;
  std::size_t total = 0;
  for (;;) {
    archive_entry* entry = nullptr;
    const int status = archive_read_next_header(a.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
      return invalid((entries == 0 ? "not a ZIP archive: " : "damaged ZIP archive: ") +
                     archive_message(a.get()));
    }
    if (++entries > limits.max_entries) {
      return invalid("export has more than " + std::to_string(limits.max_entries) + " entries");
    }
    if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_hardlink(entry) != nullptr) {
      continue;
    }
    const char* raw_name = archive_entry_pathname_utf8(entry);
    if (raw_name == nullptr) raw_name = archive_entry_pathname(entry);
    if (raw_name == nullptr) continue;
    const auto parts = safe_components(raw_name);
    if (!parts) continue;
    auto where = place(*parts);
    if (!where) continue;
    auto& [folder, name] = *where;
    if (archive_entry_is_encrypted(entry)) {
      return invalid(name + " is encrypted; export it again without a password");
    }
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) >= 0 &&
        static_cast<std::uint64_t>(archive_entry_size(entry)) > limits.max_entry_bytes) {
      return invalid(name + " is larger than " + bytes_text(limits.max_entry_bytes));
    }
    FileSet& set = files[folder];
    if (set.contains(name)) return invalid("export holds " + name + " twice");

    std::string content;
    for (;;) {
      const la_ssize_t got = archive_read_data(a.get(), buffer.data(), buffer.size());
      if (got < 0) return invalid("damaged ZIP entry " + name + ": " + archive_message(a.get()));
      if (got == 0) break;
      const auto n = static_cast<std::size_t>(got);
      if (content.size() + n > limits.max_entry_bytes) {
        return invalid(name + " is larger than " + bytes_text(limits.max_entry_bytes));
      }
      if (total + n > limits.max_total_bytes) {
        return invalid("export is larger than " + bytes_text(limits.max_total_bytes) +
                       " uncompressed");
      }
      content.append(buffer.data(), n);
      total += n;
    }
    set.emplace(std::move(name), std::move(content));
  }
  return files;
}

// The export's files: the root's when it holds watched.csv or ratings.csv, else the one folder's.
core::Result<FileSet> choose_export(std::map<std::string, FileSet> files) {
  const auto is_export = [](const FileSet& set) {
    return set.contains("watched.csv") || set.contains("ratings.csv");
  };
  if (const auto root = files.find(""); root != files.end() && is_export(root->second)) {
    return std::move(root->second);
  }
  const FileSet* chosen = nullptr;
  for (const auto& [folder, set] : files) {
    if (folder.empty() || !is_export(set)) continue;
    if (chosen != nullptr) {
      return invalid("not a Letterboxd export: more than one folder holds watched.csv");
    }
    chosen = &set;
  }
  if (chosen == nullptr) return invalid("not a Letterboxd export: no watched.csv or ratings.csv");
  return *chosen;
}

// One known CSV file: its header and its non-blank data rows.
struct Table {
  std::string file;
  CsvHeader header;
  std::vector<CsvRecord> rows;

  std::string_view get(const CsvRecord& row, std::string_view column) const {
    return header.field(row.fields, column);
  }
  tl::unexpected<core::Error> error(const CsvRecord& row, const std::string& what) const {
    return invalid(file + " line " + std::to_string(row.line) + ": " + what);
  }
};

// The table for `file`, nullopt when the export lacks it. A file without the required columns is
// not the file its name says; a file with no bytes at all is taken as empty.
core::Result<std::optional<Table>> load_table(const FileSet& files, const std::string& file,
                                              std::initializer_list<std::string_view> required,
                                              const ExportLimits& limits) {
  const auto it = files.find(file);
  if (it == files.end()) return std::nullopt;
  auto records = parse_csv_records(it->second, limits.max_rows);
  if (!records) return invalid(file + ": " + records.error().message);
  if (records->empty()) return Table{file, CsvHeader(std::vector<std::string>{}), {}};
  Table table{file, CsvHeader(records->front().fields), {}};
  const auto missing = table.header.missing(required);
  if (!missing.empty()) {
    std::string names;
    for (const std::string& m : missing)
      names += (names.empty() ? "" : ", ") + m;
    return invalid(file + ": not a Letterboxd export file (no " + names + " column)");
  }
  for (std::size_t i = 1; i < records->size(); ++i) {
    CsvRecord& r = (*records)[i];
    const bool blank = std::all_of(r.fields.begin(), r.fields.end(),
                                   [](const std::string& f) { return core::trim(f).empty(); });
    if (!blank) table.rows.push_back(std::move(r));
  }
  return table;
}

bool is_alnum_ascii(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

// https://boxd.it/<code> -> lid; https://letterboxd.com/film/<slug>/ (or a member's
// /<user>/film/<slug>/...) -> slug. Anything else leaves both empty.
void apply_uri(std::string_view uri, FilmRef& film) {
  uri = core::trim(uri);
  for (std::string_view scheme : {"https://", "http://"}) {
    if (uri.size() >= scheme.size() && core::iequals_ascii(uri.substr(0, scheme.size()), scheme)) {
      uri.remove_prefix(scheme.size());
      break;
    }
  }
  uri = uri.substr(0, uri.find_first_of("?#"));
  const std::size_t slash = uri.find('/');
  std::string host = core::to_lower_ascii(uri.substr(0, slash));
  if (host.starts_with("www.")) host.erase(0, 4);
  std::vector<std::string_view> segments;
  if (slash != std::string_view::npos) {
    for (std::string_view s : core::split(uri.substr(slash + 1), '/')) {
      if (!s.empty()) segments.push_back(s);
    }
  }
  if (host == "boxd.it" && segments.size() == 1 && is_alnum_ascii(segments[0])) {
    film.lid = std::string(segments[0]);
  } else if (host == "letterboxd.com") {
    const auto f = std::find(segments.begin(), segments.end(), "film");
    if (f != segments.end() && f + 1 != segments.end()) film.slug = std::string(*(f + 1));
  }
}

core::Result<std::optional<int>> parse_year(const Table& t, const CsvRecord& row) {
  const std::string_view text = core::trim(t.get(row, "Year"));
  if (text.empty()) return std::nullopt;
  const auto year = core::parse_int(text);
  if (!year || *year < 1000 || *year > 9999) {
    return t.error(row, "Year '" + std::string(text) + "' is not a year");
  }
  return static_cast<int>(*year);
}

// "4" or "4.5" (also "4.0") -> 8 or 9; nullopt for anything outside 0.5..5 in half steps.
std::optional<int> parse_half_stars(std::string_view text) {
  text = core::trim(text);
  if (text.empty() || text[0] < '0' || text[0] > '5') return std::nullopt;
  int half_stars = (text[0] - '0') * 2;
  const std::string_view rest = text.substr(1);
  if (rest == ".5") {
    ++half_stars;
  } else if (!rest.empty() && rest != ".0") {
    return std::nullopt;
  }
  if (half_stars < domain::kMinHalfStars || half_stars > domain::kMaxHalfStars) return std::nullopt;
  return half_stars;
}

core::Result<std::optional<int>> parse_rating(const Table& t, const CsvRecord& row, bool empty_ok) {
  const std::string_view text = core::trim(t.get(row, "Rating"));
  if (text.empty() && empty_ok) return std::nullopt;
  const auto half_stars = parse_half_stars(text);
  if (!half_stars) {
    return t.error(row, "Rating '" + std::string(text) + "' is not 0.5 to 5 in half steps");
  }
  return half_stars;
}

// "" or "YYYY-MM-DD".
core::Result<std::string> parse_date(const Table& t, const CsvRecord& row,
                                     std::string_view column) {
  const std::string_view text = core::trim(t.get(row, column));
  if (text.empty()) return std::string();
  bool ok = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (std::size_t i = 0; ok && i < text.size(); ++i) {
    ok = i == 4 || i == 7 || (text[i] >= '0' && text[i] <= '9');
  }
  if (!ok) {
    return t.error(row, std::string(column) + " '" + std::string(text) + "' is not YYYY-MM-DD");
  }
  return std::string(text);
}

// Title, year and URI of a film row.
core::Result<FilmRef> film_of(const Table& t, const CsvRecord& row) {
  FilmRef film;
  film.title = std::string(t.get(row, "Name"));
  auto year = parse_year(t, row);
  if (!year) return tl::unexpected(std::move(year.error()));
  film.year = *year;
  apply_uri(t.get(row, "Letterboxd URI"), film);
  if (film.title.empty() && film.lid.empty() && film.slug.empty()) {
    return t.error(row, "neither a Name nor a Letterboxd film URI");
  }
  return film;
}

std::string key_of(const FilmRef& film) {
  if (!film.lid.empty()) return "lid:" + film.lid;
  if (!film.slug.empty()) return "slug:" + film.slug;
  return "title:" + film.title + '\x1f' + (film.year ? std::to_string(*film.year) : "");
}

using TitleYear = std::pair<std::string, std::optional<int>>;

// The films of a profile under construction, in first-seen order.
class FilmList {
 public:
  // Position of the film, added (as watched) when new.
  std::size_t find_or_add(FilmRef film) {
    const auto [it, added] = by_key_.try_emplace(key_of(film), films_.size());
    if (added) {
      by_title_[{film.title, film.year}].push_back(films_.size());
      films_.push_back(WatchedFilm{.film = std::move(film)});
      rating_date_.emplace_back();
    }
    return it->second;
  }
  const std::vector<std::size_t>* by_title(const TitleYear& key) const {
    const auto it = by_title_.find(key);
    return it == by_title_.end() ? nullptr : &it->second;
  }
  WatchedFilm& operator[](std::size_t i) { return films_[i]; }
  // The Date of the ratings.csv row that set a film's rating; nullopt when none did.
  std::optional<std::string>& rating_date(std::size_t i) { return rating_date_[i]; }
  std::vector<WatchedFilm> release() && { return std::move(films_); }

 private:
  std::vector<WatchedFilm> films_;
  std::vector<std::optional<std::string>> rating_date_;
  std::unordered_map<std::string, std::size_t> by_key_;
  std::map<TitleYear, std::vector<std::size_t>> by_title_;
};

core::Result<void> add_watched(const Table& t, FilmList& films) {
  for (const CsvRecord& row : t.rows) {
    auto film = film_of(t, row);
    if (!film) return tl::unexpected(std::move(film.error()));
    films.find_or_add(std::move(*film));
  }
  return {};
}

core::Result<void> add_ratings(const Table& t, FilmList& films) {
  for (const CsvRecord& row : t.rows) {
    auto film = film_of(t, row);
    if (!film) return tl::unexpected(std::move(film.error()));
    auto rating = parse_rating(t, row, false);
    if (!rating) return tl::unexpected(std::move(rating.error()));
    auto date = parse_date(t, row, "Date");
    if (!date) return tl::unexpected(std::move(date.error()));
    const std::size_t i = films.find_or_add(std::move(*film));
    std::optional<std::string>& rated_on = films.rating_date(i);
    if (!rated_on || *date >= *rated_on) {
      films[i].rating = *rating;
      rated_on = std::move(*date);
    }
  }
  return {};
}

core::Result<void> add_likes(const Table& t, FilmList& films) {
  for (const CsvRecord& row : t.rows) {
    auto film = film_of(t, row);
    if (!film) return tl::unexpected(std::move(film.error()));
    films[films.find_or_add(std::move(*film))].liked = true;
  }
  return {};
}

core::Result<void> add_diary(const Table& t, FilmList& films) {
  struct Latest {
    std::string watched_date;
    std::string date;
    std::optional<int> rating;
    bool rewatch = false;
  };
  std::map<std::size_t, Latest> latest;  // film position -> its latest entry
  for (const CsvRecord& row : t.rows) {
    FilmRef film;
    film.title = std::string(t.get(row, "Name"));
    auto year = parse_year(t, row);
    if (!year) return tl::unexpected(std::move(year.error()));
    film.year = *year;
    auto rating = parse_rating(t, row, true);
    if (!rating) return tl::unexpected(std::move(rating.error()));
    auto watched_date = parse_date(t, row, "Watched Date");
    if (!watched_date) return tl::unexpected(std::move(watched_date.error()));
    auto date = parse_date(t, row, "Date");
    if (!date) return tl::unexpected(std::move(date.error()));
    if (film.title.empty()) return t.error(row, "no Name");

    // Diary URIs name the entry, not the film: only the title and year identify it.
    std::size_t i = 0;
    const auto* matches = films.by_title({film.title, film.year});
    if (matches == nullptr) {
      i = films.find_or_add(std::move(film));
    } else if (matches->size() == 1) {
      i = matches->front();
    } else {
      continue;  // two films share the title and year; guessing would misplace a rating
    }
    Latest entry{std::move(*watched_date), std::move(*date), *rating,
                 core::iequals_ascii(core::trim(t.get(row, "Rewatch")), "yes")};
    const auto it = latest.find(i);
    if (it == latest.end()) {
      latest.emplace(i, std::move(entry));
    } else if (std::tie(entry.watched_date, entry.date) >=
               std::tie(it->second.watched_date, it->second.date)) {
      it->second = std::move(entry);
    }
  }
  for (auto& [i, entry] : latest) {
    WatchedFilm& w = films[i];
    if (!entry.watched_date.empty()) w.watched_date = std::move(entry.watched_date);
    w.rewatch = entry.rewatch;
    if (!films.rating_date(i) && entry.rating) w.rating = entry.rating;
  }
  return {};
}

core::Result<std::vector<FilmRef>> read_watchlist(const Table& t) {
  std::vector<FilmRef> out;
  std::set<std::string> seen;
  for (const CsvRecord& row : t.rows) {
    auto film = film_of(t, row);
    if (!film) return tl::unexpected(std::move(film.error()));
    if (seen.insert(key_of(*film)).second) out.push_back(std::move(*film));
  }
  return out;
}

core::Result<domain::Profile> build_profile(const FileSet& files, const ExportLimits& limits) {
  domain::Profile profile;
  profile.source = domain::ProfileSource::kExport;

  auto watched = load_table(files, "watched.csv", {"Name", "Year", "Letterboxd URI"}, limits);
  if (!watched) return tl::unexpected(std::move(watched.error()));
  auto ratings =
      load_table(files, "ratings.csv", {"Name", "Year", "Letterboxd URI", "Rating"}, limits);
  if (!ratings) return tl::unexpected(std::move(ratings.error()));
  auto likes = load_table(files, "likes/films.csv", {"Name", "Year", "Letterboxd URI"}, limits);
  if (!likes) return tl::unexpected(std::move(likes.error()));
  auto diary = load_table(files, "diary.csv", {"Name", "Year", "Rating", "Watched Date"}, limits);
  if (!diary) return tl::unexpected(std::move(diary.error()));
  auto watchlist = load_table(files, "watchlist.csv", {"Name", "Year", "Letterboxd URI"}, limits);
  if (!watchlist) return tl::unexpected(std::move(watchlist.error()));
  auto profile_csv = load_table(files, "profile.csv", {}, limits);
  if (!profile_csv) return tl::unexpected(std::move(profile_csv.error()));

  FilmList films;
  if (*watched) {
    if (auto r = add_watched(**watched, films); !r) return tl::unexpected(std::move(r.error()));
  }
  if (*ratings) {
    if (auto r = add_ratings(**ratings, films); !r) return tl::unexpected(std::move(r.error()));
  }
  if (*likes) {
    if (auto r = add_likes(**likes, films); !r) return tl::unexpected(std::move(r.error()));
  }
  if (*diary) {
    if (auto r = add_diary(**diary, films); !r) return tl::unexpected(std::move(r.error()));
  }
  profile.films = std::move(films).release();
  if (*watchlist) {
    auto list = read_watchlist(**watchlist);
    if (!list) return tl::unexpected(std::move(list.error()));
    profile.watchlist = std::move(*list);
  }
  if (*profile_csv && !(*profile_csv)->rows.empty()) {
    const Table& t = **profile_csv;
    profile.username = std::string(core::trim(t.get(t.rows.front(), "Username")));
  }
  return profile;
}

}  // namespace

core::Result<domain::Profile> read_export_zip(std::string_view zip_bytes,
                                              const ExportLimits& limits) {
  try {
    auto files = collect_files(zip_bytes, limits);
    if (!files) return tl::unexpected(std::move(files.error()));
    auto chosen = choose_export(std::move(*files));
    if (!chosen) return tl::unexpected(std::move(chosen.error()));
    return build_profile(*chosen, limits);
  } catch (const std::exception& e) {
    // Only allocation can throw here; the caller gets an error, not an exception.
    return core::fail(ErrorCode::kInternal, std::string("reading the export: ") + e.what());
  }
}

}  // namespace lbrec::sources::letterboxd
