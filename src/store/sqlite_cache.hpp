#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/memory_cache.hpp"  // CacheEntry

struct sqlite3;
struct sqlite3_stmt;

namespace lbrec::store {

struct SqliteCacheOptions {
  // Bound on the database pages in use (rows, indexes, free space inside pages), enforced by
  // sweep(). 0: no bound. The file keeps its high-water size: freed pages are reused, not returned.
  std::uint64_t max_bytes = std::uint64_t{256} << 20;
  // Bound on the number of rows, enforced by sweep(). 0: no bound.
  std::uint64_t max_entries = 0;
  // How long a statement waits for another connection's (or process's) write lock before it gives
  // up: get() then misses, put() is dropped.
  std::chrono::milliseconds busy_timeout{5000};
  // Run `PRAGMA quick_check` on an existing file at open. It reads the whole file: 0.1 s for
  // 136 MiB in the OS page cache, 2 s read from disk (docs/benchmarks.md).
  bool quick_check = true;
};

// What one sweep() did.
struct SweepStats {
  std::uint64_t expired = 0;  // rows deleted because their time to live had passed
  std::uint64_t evicted = 0;  // rows deleted to get under max_bytes / max_entries
  std::uint64_t touched = 0;  // rows whose last-used time was written (see get())
  std::uint64_t entries = 0;  // rows left
  std::uint64_t bytes = 0;    // bytes of pages in use left
  bool ok = true;             // false when a statement failed (counted in failures())
};

// A persistent key/value cache in one SQLite file, with the data model of MemoryCache: a time to
// live per entry, least-recently-used eviction beyond a size bound. Several SqliteCache objects,
// in one process or several, may use the same file at once (WAL, busy timeout).
//
// Thread-safe: one connection guarded by a mutex. Every call is synchronous and blocks on disk I/O
// or on another writer for up to `busy_timeout`: call it off the I/O thread.
//
// After a successful open(), no method throws or fails loudly: a statement that fails (disk full,
// lock timeout, corruption found later) turns get() into a miss and put()/erase() into no-ops. The
// first failure is logged; all are counted in failures(), so the owner can fall back to memory.
// Keys and values are never logged.
class SqliteCache {
 public:
  // The schema this code reads and writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 1;
  // PRAGMA application_id of an lbrec cache file ("lbrc").
  static constexpr std::int32_t kApplicationId = 0x6c627263;

  // Opens (or creates) the cache file; creates missing parent directories with mode 0700.
  // Errors, each with one clear message naming the file:
  //   kConfigError  the path cannot be used: a parent is not a directory, permission denied,
  //                 read-only file or directory;
  //   kParseError   the file is not an lbrec cache of this schema version: not a database,
  //                 corrupt (quick_check), another application's database, another version;
  //   kUnavailable  anything else (I/O error, disk full, locked beyond busy_timeout: retryable).
  // A failed open never modifies, truncates, renames or deletes an existing file: the caller runs
  // memory-only and the operator decides what to do with the file.
  static core::Result<std::unique_ptr<SqliteCache>> open(const std::filesystem::path& file,
                                                         SqliteCacheOptions options,
                                                         const core::Clock& clock);

  ~SqliteCache();
  SqliteCache(const SqliteCache&) = delete;
  SqliteCache& operator=(const SqliteCache&) = delete;

  // The entry, unless missing or expired. Expired rows are left for sweep(). A hit is remembered
  // in memory and written as the row's last-used time by the next sweep(), so reads stay reads.
  std::optional<CacheEntry> get(std::string_view key);
  // Records a read of `key` served by another tier (the memory cache in front), so that eviction
  // here sees the key as used. In memory only, like a hit in get(); written by sweep().
  void touch(std::string_view key);
  // Stores (or replaces) the entry; a ttl <= 0 erases the key instead.
  void put(std::string key, std::string value, std::chrono::nanoseconds ttl);
  void erase(std::string_view key);
  // Rows in the file, including expired ones not swept yet (other processes' rows too).
  std::size_t size() const;
  // Bytes of database pages in use (what max_bytes bounds).
  std::uint64_t bytes() const;

  // Writes remembered last-used times, deletes expired rows, then deletes the least recently used
  // rows (stored or read) while over max_bytes or max_entries. Works in small transactions so
  // get() and other processes are not held up. Call it periodically (e.g. once a minute).
  SweepStats sweep();

  // Statements that failed since open (each one counted once).
  std::uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static core::Result<std::unique_ptr<SqliteCache>> open_once(const std::filesystem::path& file,
                                                              SqliteCacheOptions options,
                                                              const core::Clock& clock);
  struct Statements;

  SqliteCache(std::filesystem::path path, SqliteCacheOptions options, const core::Clock& clock,
              sqlite3* db);

  // Counts a failed statement (logs the first one) and resets it.
  void failed(const char* op, int rc) const;
  std::uint64_t bytes_locked() const;
  void remember_use_locked(std::string_view key, std::int64_t now);
  std::uint64_t count_locked() const;
  std::uint64_t delete_chunk(sqlite3_stmt* stmt, std::int64_t param, std::uint64_t limit, bool& ok);

  const std::filesystem::path path_;
  const SqliteCacheOptions options_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;
  sqlite3* db_;
  std::unique_ptr<Statements> stmts_;
  // Keys read since the last sweep, with the time of the latest read (ns since the epoch).
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view k) const { return std::hash<std::string_view>{}(k); }
  };
  std::unordered_map<std::string, std::int64_t, KeyHash, std::equal_to<>> touched_;
  mutable std::atomic<std::uint64_t> failures_{0};
};

}  // namespace lbrec::store
