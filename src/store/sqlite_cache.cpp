#include "store/sqlite_cache.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <thread>
#include <utility>
#include <vector>

namespace lbrec::store {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::fail;

// Rows deleted or touched per transaction in sweep(): small enough that a get() waiting on the
// mutex, or another process waiting on the write lock, waits milliseconds, not seconds.
constexpr std::uint64_t kChunk = 500;
// Reads remembered between sweeps; beyond this, further keys are not remembered (their rows keep
// their older last-used time), so memory stays bounded whatever the caller reads.
constexpr std::size_t kMaxTouched = 65536;

constexpr const char* kSchema = R"sql(
CREATE TABLE entries(
  key TEXT PRIMARY KEY NOT NULL,
  stored_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE INDEX entries_expires_at ON entries(expires_at);
CREATE INDEX entries_used_at ON entries(used_at);
)sql";

std::int64_t to_ns(core::Clock::System::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

core::Clock::System::time_point from_ns(std::int64_t ns) {
  return core::Clock::System::time_point(
      std::chrono::duration_cast<core::Clock::System::duration>(std::chrono::nanoseconds(ns)));
}

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  if (b > 0 && a > std::numeric_limits<std::int64_t>::max() - b)
    return std::numeric_limits<std::int64_t>::max();
  return a + b;
}

// sqlite3_bind_text/blob turn a null pointer into SQL NULL; an empty key or value is not NULL.
int bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  return sqlite3_bind_text64(s, i, v.data() ? v.data() : "", v.size(), SQLITE_STATIC, SQLITE_UTF8);
}
int bind_blob(sqlite3_stmt* s, int i, std::string_view v) {
  return sqlite3_bind_blob64(s, i, v.data() ? v.data() : "", v.size(), SQLITE_STATIC);
}

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// Resets a statement when the scope ends, whatever path leaves it.
struct ResetGuard {
  sqlite3_stmt* s;
  ~ResetGuard() { sqlite3_reset(s); }
};

// The error kind for a failed open, by SQLite's primary result code.
ErrorCode open_error_code(int rc) {
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
    case SQLITE_SCHEMA:
      return ErrorCode::kParseError;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return ErrorCode::kConfigError;
    default:
      return ErrorCode::kUnavailable;
  }
}

// What the operator can do about an open error, appended to its message.
std::string_view hint(ErrorCode code) {
  switch (code) {
    case ErrorCode::kParseError:
      return "; the file is left as it is: move it away to start a new cache";
    case ErrorCode::kConfigError:
      return "; lbrec must be able to write the file and create its -wal and -shm files next to it";
    default:
      return "";
  }
}

bool retryable(int rc) {
  return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

// Owns the connection while open() checks the file. A file found bad is left byte for byte as it
// was: when a crash left frames in its WAL, closing skips the checkpoint that would copy them into
// the file. An empty WAL (made by our reads) is closed normally, which removes it.
class Opening {
 public:
  explicit Opening(fs::path path) : path_(std::move(path)) {}
  ~Opening() {
    if (!db_) return;
    std::error_code ec;
    if (const auto wal = fs::file_size(path_.string() + "-wal", ec); !ec && wal > 0)
      sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    sqlite3_close_v2(db_);
  }
  sqlite3*& db() { return db_; }
  sqlite3* release() { return std::exchange(db_, nullptr); }

  tl::unexpected<core::Error> error(ErrorCode code, std::string_view what,
                                    bool retry = false) const {
    return fail(code, fmt::format("sqlite cache {}: {}{}", path_.string(), what, hint(code)),
                retry);
  }
  tl::unexpected<core::Error> sqlite_error(int rc, std::string_view doing) const {
    const std::string_view generic = sqlite3_errstr(rc);
    const std::string_view detail = db_ ? sqlite3_errmsg(db_) : generic;
    return error(open_error_code(rc),
                 fmt::format("{}: {}{}", doing, detail,
                             detail == generic ? "" : fmt::format(" ({})", generic)),
                 retryable(rc));
  }

  // Runs SQL with no result rows.
  int exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

  // The first column of the first row of `sql` as text (empty when no row), or the result code.
  tl::expected<std::string, int> text(const char* sql) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
    const Stmt s(raw);
    if (rc != SQLITE_OK) return tl::unexpected(rc);
    rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) return std::string();
    if (rc != SQLITE_ROW) return tl::unexpected(rc);
    const auto* p = sqlite3_column_text(s.get(), 0);
    return std::string(p ? reinterpret_cast<const char*>(p) : "");
  }
  tl::expected<std::int64_t, int> integer(const char* sql) {
    return text(sql).map([](const std::string& v) { return std::strtoll(v.c_str(), nullptr, 10); });
  }

 private:
  fs::path path_;
  sqlite3* db_ = nullptr;
};

// Creates the missing directories above `file`, each with mode 0700 (the cache holds what members
// asked for; other local users have no business reading it). Existing directories are left alone.
tl::expected<void, std::string> make_parents(const fs::path& file) {
  const fs::path parent = file.parent_path();
  if (parent.empty()) return {};
  fs::path current;
  for (const auto& part : parent) {
    current /= part;
    struct stat st {};
    if (::stat(current.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        return tl::unexpected(fmt::format("{} is not a directory", current.string()));
      continue;
    }
    if (errno != ENOENT)
      return tl::unexpected(fmt::format("{}: {}", current.string(), std::strerror(errno)));
    if (::mkdir(current.c_str(), 0700) != 0 && errno != EEXIST)
      return tl::unexpected(
          fmt::format("cannot create directory {}: {}", current.string(), std::strerror(errno)));
  }
  return {};
}

}  // namespace

struct SqliteCache::Statements {
  Stmt get, put, erase, count, bytes, touch, delete_expired, evict, begin, commit, rollback;
};

core::Result<std::unique_ptr<SqliteCache>> SqliteCache::open(const fs::path& file,
                                                             SqliteCacheOptions options,
                                                             const core::Clock& clock) {
  // Processes opening one new file at once can meet a lock that SQLite does not wait out (the
  // switch to WAL, the first schema read): such an open is tried again until busy_timeout.
  const auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
  for (;;) {
    auto opened = open_once(file, options, clock);
    if (opened || !opened.error().retryable || std::chrono::steady_clock::now() >= deadline)
      return opened;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

core::Result<std::unique_ptr<SqliteCache>> SqliteCache::open_once(const fs::path& file,
                                                                  SqliteCacheOptions options,
                                                                  const core::Clock& clock) {
  Opening o(file);
  if (file.empty() || !file.has_filename())
    return fail(ErrorCode::kConfigError,
                fmt::format("sqlite cache: \"{}\" is not a file path", file.string()));
  if (auto made = make_parents(file); !made) return o.error(ErrorCode::kConfigError, made.error());

  int rc =
      sqlite3_open_v2(file.c_str(), &o.db(),
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return o.sqlite_error(rc, "cannot open");
  sqlite3_extended_result_codes(o.db(), 1);
  sqlite3_busy_timeout(o.db(), static_cast<int>(std::clamp<std::int64_t>(
                                   options.busy_timeout.count(), 0, 24 * 3600 * 1000)));
  // SQLite quietly falls back to read-only when it may not write the file.
  if (sqlite3_db_readonly(o.db(), "main") == 1)
    return o.error(ErrorCode::kConfigError, "the file is read-only");

  // Reads first: nothing is written before the file is known to be an lbrec cache.
  const auto tables = o.integer("SELECT count(*) FROM sqlite_schema");
  if (!tables) return o.sqlite_error(tables.error(), "cannot read");
  auto check_identity = [&]() -> core::Result<void> {
    const auto app = o.integer("PRAGMA application_id");
    if (!app) return o.sqlite_error(app.error(), "cannot read");
    if (*app != kApplicationId)
      return o.error(ErrorCode::kParseError,
                     fmt::format("not an lbrec cache (another application's SQLite database, "
                                 "application_id {})",
                                 *app));
    const auto version = o.integer("PRAGMA user_version");
    if (!version) return o.sqlite_error(version.error(), "cannot read");
    if (*version != kSchemaVersion)
      return o.error(ErrorCode::kParseError,
                     fmt::format("cache schema version {}, this lbrec reads version {}", *version,
                                 kSchemaVersion));
    return {};
  };
  if (*tables > 0) {
    if (auto ok = check_identity(); !ok) return tl::unexpected(ok.error());
    if (options.quick_check) {
      // One reported problem is enough to refuse the file.
      const auto check = o.text("PRAGMA quick_check(1)");
      if (!check) return o.sqlite_error(check.error(), "corrupt");
      if (*check != "ok") return o.error(ErrorCode::kParseError, "corrupt: " + *check);
    }
  }

  const auto mode = o.text("PRAGMA journal_mode=WAL");
  if (!mode) return o.sqlite_error(mode.error(), "cannot switch to WAL");
  if (*mode != "wal")
    return o.error(ErrorCode::kConfigError,
                   fmt::format("cannot switch to WAL (journal_mode stays {})", *mode));
  // NORMAL: a commit survives a crash of the process, not of the machine, which a cache can
  // afford. The journal limit trims the WAL file after checkpoints.
  rc = o.exec(
      "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF; PRAGMA journal_size_limit=67108864; "
      "PRAGMA cache_size=-8192");
  if (rc != SQLITE_OK) return o.sqlite_error(rc, "cannot configure");

  if (*tables == 0) {
    // Two processes may create the same new file at once: the write lock decides who does.
    rc = o.exec("BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) return o.sqlite_error(rc, "cannot create the schema");
    const auto again = o.integer("SELECT count(*) FROM sqlite_schema");
    if (again && *again == 0) {
      rc = o.exec(kSchema);
      if (rc == SQLITE_OK)
        rc = o.exec(fmt::format("PRAGMA application_id={}; PRAGMA user_version={}", kApplicationId,
                                kSchemaVersion)
                        .c_str());
    } else if (!again) {
      rc = again.error();
    }
    if (rc == SQLITE_OK) rc = o.exec("COMMIT");
    if (rc != SQLITE_OK) {
      const auto error = o.sqlite_error(rc, "cannot create the schema");
      o.exec("ROLLBACK");
      return error;
    }
    if (auto ok = check_identity(); !ok) return tl::unexpected(ok.error());
  }

  auto stmts = std::make_unique<Statements>();
  const std::pair<Stmt*, const char*> sql[] = {
      {&stmts->get,
       "SELECT value, stored_at, expires_at FROM entries WHERE key = ?1 AND expires_at > ?2"},
      {&stmts->put,
       "INSERT INTO entries(key, stored_at, expires_at, used_at, value) VALUES(?1, ?2, ?3, ?2, ?4) "
       "ON CONFLICT(key) DO UPDATE SET stored_at = excluded.stored_at, "
       "expires_at = excluded.expires_at, used_at = excluded.used_at, value = excluded.value"},
      {&stmts->erase, "DELETE FROM entries WHERE key = ?1"},
      {&stmts->count, "SELECT count(*) FROM entries"},
      {&stmts->bytes,
       "SELECT (p.page_count - f.freelist_count) * s.page_size "
       "FROM pragma_page_count() p, pragma_freelist_count() f, pragma_page_size() s"},
      {&stmts->touch, "UPDATE entries SET used_at = max(used_at, ?2) WHERE key = ?1"},
      {&stmts->delete_expired,
       "DELETE FROM entries WHERE rowid IN "
       "(SELECT rowid FROM entries WHERE expires_at <= ?2 LIMIT ?1)"},
      {&stmts->evict,
       "DELETE FROM entries WHERE rowid IN "
       "(SELECT rowid FROM entries ORDER BY used_at LIMIT ?1)"},
      {&stmts->begin, "BEGIN IMMEDIATE"},
      {&stmts->commit, "COMMIT"},
      {&stmts->rollback, "ROLLBACK"},
  };
  for (const auto& [slot, text] : sql) {
    sqlite3_stmt* raw = nullptr;
    rc = sqlite3_prepare_v3(o.db(), text, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    slot->reset(raw);
    if (rc != SQLITE_OK) return o.sqlite_error(rc, "unexpected table layout");
  }

  std::unique_ptr<SqliteCache> cache(new SqliteCache(file, options, clock, o.release()));
  cache->stmts_ = std::move(stmts);
  return cache;
}

SqliteCache::SqliteCache(fs::path path, SqliteCacheOptions options, const core::Clock& clock,
                         sqlite3* db)
    : path_(std::move(path)), options_(options), clock_(clock), db_(db) {}

SqliteCache::~SqliteCache() {
  stmts_.reset();  // statements first: close_v2 would otherwise keep the connection as a zombie
  sqlite3_close_v2(db_);
}

void SqliteCache::failed(const char* op, int rc) const {
  const auto n = failures_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (n == 1) {
    spdlog::error(
        "event=sqlite_cache_failed path={} op={} code={} error=\"{}\" note=\"first failure; "
        "get misses and put is dropped when a statement fails\"",
        path_.string(), op, rc, sqlite3_errmsg(db_));
  } else {
    spdlog::debug("event=sqlite_cache_failed path={} op={} code={} failures={} error=\"{}\"",
                  path_.string(), op, rc, n, sqlite3_errmsg(db_));
  }
}

std::optional<CacheEntry> SqliteCache::get(std::string_view key) {
  const std::int64_t now = to_ns(clock_.wall_now());
  std::lock_guard lock(mutex_);
  sqlite3_stmt* s = stmts_->get.get();
  const ResetGuard reset{s};
  bind_text(s, 1, key);
  sqlite3_bind_int64(s, 2, now);
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return std::nullopt;
  if (rc != SQLITE_ROW) {
    failed("get", rc);
    return std::nullopt;
  }
  const auto* data = static_cast<const char*>(sqlite3_column_blob(s, 0));
  const auto n = static_cast<std::size_t>(sqlite3_column_bytes(s, 0));
  CacheEntry entry{std::string(data ? data : "", n), from_ns(sqlite3_column_int64(s, 1)),
                   from_ns(sqlite3_column_int64(s, 2))};
  remember_use_locked(key, now);
  return entry;
}

void SqliteCache::remember_use_locked(std::string_view key, std::int64_t now) {
  if (const auto it = touched_.find(key); it != touched_.end())
    it->second = now;
  else if (touched_.size() < kMaxTouched)
    touched_.emplace(std::string(key), now);
}

void SqliteCache::touch(std::string_view key) {
  const std::int64_t now = to_ns(clock_.wall_now());
  std::lock_guard lock(mutex_);
  remember_use_locked(key, now);
}

void SqliteCache::put(std::string key, std::string value, std::chrono::nanoseconds ttl) {
  if (ttl <= std::chrono::nanoseconds::zero()) {
    erase(key);
    return;
  }
  const std::int64_t now = to_ns(clock_.wall_now());
  const std::int64_t expires = saturating_add(now, ttl.count());
  std::lock_guard lock(mutex_);
  sqlite3_stmt* s = stmts_->put.get();
  const ResetGuard reset{s};
  bind_text(s, 1, key);
  sqlite3_bind_int64(s, 2, now);
  sqlite3_bind_int64(s, 3, expires);
  bind_blob(s, 4, value);
  if (const int rc = sqlite3_step(s); rc != SQLITE_DONE) failed("put", rc);
}

void SqliteCache::erase(std::string_view key) {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* s = stmts_->erase.get();
  const ResetGuard reset{s};
  bind_text(s, 1, key);
  if (const int rc = sqlite3_step(s); rc != SQLITE_DONE) failed("erase", rc);
}

std::uint64_t SqliteCache::count_locked() const {
  sqlite3_stmt* s = stmts_->count.get();
  const ResetGuard reset{s};
  if (const int rc = sqlite3_step(s); rc != SQLITE_ROW) {
    failed("count", rc);
    return 0;
  }
  return static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
}

std::uint64_t SqliteCache::bytes_locked() const {
  sqlite3_stmt* s = stmts_->bytes.get();
  const ResetGuard reset{s};
  if (const int rc = sqlite3_step(s); rc != SQLITE_ROW) {
    failed("bytes", rc);
    return 0;
  }
  return static_cast<std::uint64_t>(std::max<sqlite3_int64>(0, sqlite3_column_int64(s, 0)));
}

std::size_t SqliteCache::size() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(count_locked());
}

std::uint64_t SqliteCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_locked();
}

std::uint64_t SqliteCache::delete_chunk(sqlite3_stmt* s, std::int64_t now, std::uint64_t limit,
                                        bool& ok) {
  const ResetGuard reset{s};
  sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(limit));
  if (sqlite3_bind_parameter_count(s) >= 2) sqlite3_bind_int64(s, 2, now);
  if (const int rc = sqlite3_step(s); rc != SQLITE_DONE) {
    failed("sweep", rc);
    ok = false;
    return 0;
  }
  return static_cast<std::uint64_t>(sqlite3_changes64(db_));
}

SweepStats SqliteCache::sweep() {
  SweepStats stats;
  const std::int64_t now = to_ns(clock_.wall_now());

  std::vector<std::pair<std::string, std::int64_t>> touched;
  {
    std::lock_guard lock(mutex_);
    touched.reserve(touched_.size());
    for (auto& [key, at] : touched_)
      touched.emplace_back(key, at);
    touched_.clear();
  }
  // Last-used times, a chunk per transaction; a key gone meanwhile updates nothing.
  auto step = [&](sqlite3_stmt* s, int want) {
    const ResetGuard reset{s};
    const int rc = sqlite3_step(s);
    if (rc != want) {
      failed("sweep", rc);
      stats.ok = false;
    }
    return rc == want;
  };
  for (std::size_t begin = 0; begin < touched.size() && stats.ok; begin += kChunk) {
    std::lock_guard lock(mutex_);
    if (!step(stmts_->begin.get(), SQLITE_DONE)) break;
    const std::size_t end = std::min(touched.size(), begin + kChunk);
    std::uint64_t rows = 0;
    for (std::size_t i = begin; i < end && stats.ok; ++i) {
      sqlite3_stmt* s = stmts_->touch.get();
      bind_text(s, 1, touched[i].first);
      sqlite3_bind_int64(s, 2, touched[i].second);
      if (step(s, SQLITE_DONE)) rows += sqlite3_changes64(db_) > 0 ? 1 : 0;
    }
    if (stats.ok && step(stmts_->commit.get(), SQLITE_DONE)) {
      stats.touched += rows;
    } else {
      // Some errors already rolled the transaction back; then this ROLLBACK fails, harmlessly.
      sqlite3_step(stmts_->rollback.get());
      sqlite3_reset(stmts_->rollback.get());
    }
  }

  // Expired rows, then the least recently used while over a bound. Each chunk is one autocommit
  // statement; the mutex is released between chunks.
  for (std::uint64_t n = kChunk; stats.ok && n == kChunk;) {
    std::lock_guard lock(mutex_);
    n = delete_chunk(stmts_->delete_expired.get(), now, kChunk, stats.ok);
    stats.expired += n;
  }
  if (stats.ok && (options_.max_entries > 0 || options_.max_bytes > 0)) {
    // count(*) walks an index, so it is taken once; the bytes in use are O(1) to read.
    std::uint64_t rows = size();
    while (stats.ok && rows > 0) {
      std::lock_guard lock(mutex_);
      std::uint64_t excess = 0;
      if (options_.max_entries > 0 && rows > options_.max_entries)
        excess = rows - options_.max_entries;
      if (const std::uint64_t used = bytes_locked();
          options_.max_bytes > 0 && used > options_.max_bytes) {
        // Rows to delete, estimated from the mean row footprint; re-measured after each chunk.
        const std::uint64_t per_row = std::max<std::uint64_t>(1, used / rows);
        excess = std::max(excess, (used - options_.max_bytes + per_row - 1) / per_row);
      }
      if (excess == 0) break;
      const std::uint64_t n =
          delete_chunk(stmts_->evict.get(), now, std::min(excess, kChunk), stats.ok);
      stats.evicted += n;
      if (n == 0) break;
      rows -= std::min(rows, n);
    }
  }

  std::lock_guard lock(mutex_);
  stats.entries = count_locked();
  stats.bytes = bytes_locked();
  return stats;
}

}  // namespace lbrec::store
