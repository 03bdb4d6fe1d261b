#include "store/sqlite_cache.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace lbrec::store {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

using testing::TempDir;

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& p, const std::string& bytes, std::streamoff at = 0) {
  std::fstream out(p, std::ios::binary | std::ios::in | std::ios::out);
  if (!out) out.open(p, std::ios::binary | std::ios::out);
  out.seekp(at);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::unique_ptr<SqliteCache> open_ok(const fs::path& file, const core::Clock& clock,
                                     SqliteCacheOptions options = {}) {
  auto cache = SqliteCache::open(file, options, clock);
  if (!cache) ADD_FAILURE() << cache.error().message;
  return cache ? std::move(*cache) : nullptr;
}

// A cache file with `n` rows of `value_size` bytes, closed (so its WAL is checkpointed away).
void fill(const fs::path& file, int n, std::size_t value_size) {
  core::FakeClock clock;
  auto cache = open_ok(file, clock);
  ASSERT_TRUE(cache);
  for (int i = 0; i < n; ++i)
    cache->put("k:" + std::to_string(i), std::string(value_size, static_cast<char>('a' + i % 26)),
               seconds(3600));
}

// Runs SQL on the file through a connection of its own.
void raw_exec(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(SqliteCache, StoresAndExpires) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  auto cache = open_ok(dir.path() / "cache.db", clock);
  ASSERT_TRUE(cache);
  cache->put("profile:demo", "v1", seconds(60));
  auto e = cache->get("profile:demo");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->value, "v1");
  EXPECT_EQ(e->expires_at - e->stored_at, seconds(60));
  clock.advance(seconds(30));
  ASSERT_TRUE(cache->get("profile:demo").has_value());
  EXPECT_EQ(cache->get("profile:demo")->age(clock), seconds(30));
  clock.advance(seconds(30));
  EXPECT_FALSE(cache->get("profile:demo").has_value());
  EXPECT_EQ(cache->size(), 1u);  // left for the sweep
  EXPECT_FALSE(cache->get("other").has_value());
  EXPECT_EQ(cache->failures(), 0u);
}

TEST(SqliteCache, KeepsEntriesAcrossReopen) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  const auto file = dir.path() / "cache.db";
  {
    auto cache = open_ok(file, clock);
    ASSERT_TRUE(cache);
    cache->put("profile:demo", "films", seconds(60));
    cache->put("tmdb:1", "details", seconds(10));
  }
  EXPECT_FALSE(fs::exists(file.string() + "-wal"));  // the last close checkpoints the WAL away
  clock.advance(seconds(20));
  auto cache = open_ok(file, clock);
  ASSERT_TRUE(cache);
  auto e = cache->get("profile:demo");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->value, "films");
  EXPECT_EQ(e->age(clock), seconds(20));
  EXPECT_FALSE(cache->get("tmdb:1").has_value());  // expired while closed
}

TEST(SqliteCache, OverwriteRestartsTheClockAndEraseRemoves) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  auto cache = open_ok(dir.path() / "cache.db", clock);
  ASSERT_TRUE(cache);
  cache->put("k", "old", seconds(10));
  clock.advance(seconds(9));
  cache->put("k", "new", seconds(10));
  clock.advance(seconds(9));
  ASSERT_TRUE(cache->get("k").has_value());
  EXPECT_EQ(cache->get("k")->value, "new");
  EXPECT_EQ(cache->size(), 1u);
  cache->erase("k");
  EXPECT_FALSE(cache->get("k").has_value());
  EXPECT_EQ(cache->size(), 0u);
  cache->erase("never-there");
  EXPECT_EQ(cache->failures(), 0u);
}

TEST(SqliteCache, NonPositiveTtlErasesAndHugeTtlSaturates) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  auto cache = open_ok(dir.path() / "cache.db", clock);
  ASSERT_TRUE(cache);
  cache->put("k", "v", seconds(10));
  cache->put("k", "v2", seconds(0));
  EXPECT_FALSE(cache->get("k").has_value());
  EXPECT_EQ(cache->size(), 0u);
  cache->put("forever", "v", std::chrono::nanoseconds::max());
  clock.advance(std::chrono::hours(24 * 365 * 100));
  ASSERT_TRUE(cache->get("forever").has_value());
  EXPECT_EQ(cache->get("forever")->value, "v");
}

TEST(SqliteCache, KeysAndValuesAreBytes) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  auto cache = open_ok(dir.path() / "cache.db", clock);
  ASSERT_TRUE(cache);
  const std::string nul_key("a\0b", 3);
  const std::string binary("\0\xff\xfe\x01 \"'", 7);
  std::string big(3 << 20, 'x');  // 3 MiB, spans overflow pages
  big[12345] = '\0';
  cache->put(nul_key, binary, seconds(60));
  cache->put("a", "plain a", seconds(60));
  cache->put("", "", seconds(60));
  cache->put("\xc3\x28 not utf-8", big, seconds(60));
  ASSERT_TRUE(cache->get(nul_key).has_value());
  EXPECT_EQ(cache->get(nul_key)->value, binary);
  EXPECT_EQ(cache->get("a")->value, "plain a");  // not confused with "a\0b"
  ASSERT_TRUE(cache->get("").has_value());
  EXPECT_EQ(cache->get("")->value, "");
  ASSERT_TRUE(cache->get(std::string_view{}).has_value());  // a null view is the empty key
  ASSERT_TRUE(cache->get("\xc3\x28 not utf-8").has_value());
  EXPECT_EQ(cache->get("\xc3\x28 not utf-8")->value, big);
  EXPECT_EQ(cache->size(), 4u);
  EXPECT_EQ(cache->failures(), 0u);
}

TEST(SqliteCache, SweepDeletesExpiredRows) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  auto cache = open_ok(dir.path() / "cache.db", clock);
  ASSERT_TRUE(cache);
  for (int i = 0; i < 1200; ++i)  // more than one chunk
    cache->put("short:" + std::to_string(i), "v", seconds(10));
  for (int i = 0; i < 30; ++i)
    cache->put("long:" + std::to_string(i), "v", seconds(100));
  clock.advance(seconds(10));
  const SweepStats stats = cache->sweep();
  EXPECT_TRUE(stats.ok);
  EXPECT_EQ(stats.expired, 1200u);
  EXPECT_EQ(stats.evicted, 0u);
  EXPECT_EQ(stats.entries, 30u);
  EXPECT_EQ(cache->size(), 30u);
  EXPECT_TRUE(cache->get("long:29").has_value());
  EXPECT_EQ(cache->sweep().expired, 0u);
}

TEST(SqliteCache, SweepEvictsTheLeastRecentlyUsedBeyondMaxEntries) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  auto cache = open_ok(dir.path() / "cache.db", clock, {.max_bytes = 0, .max_entries = 3});
  ASSERT_TRUE(cache);
  for (const char* key : {"a", "b", "c", "d"}) {
    cache->put(key, key, seconds(600));
    clock.advance(seconds(1));
  }
  ASSERT_TRUE(cache->get("a").has_value());  // a is now more recent than b, c and d
  clock.advance(seconds(1));
  ASSERT_TRUE(cache->get("c").has_value());
  const SweepStats stats = cache->sweep();
  EXPECT_TRUE(stats.ok);
  EXPECT_EQ(stats.touched, 2u);
  EXPECT_EQ(stats.evicted, 1u);
  EXPECT_EQ(stats.entries, 3u);
  EXPECT_TRUE(cache->get("a").has_value());
  EXPECT_FALSE(cache->get("b").has_value());
  EXPECT_TRUE(cache->get("c").has_value());
  EXPECT_TRUE(cache->get("d").has_value());
  // The reads were remembered in the file: another connection evicts by them too.
  cache->put("e", "e", seconds(600));
  cache.reset();
  auto again = open_ok(dir.path() / "cache.db", clock, {.max_bytes = 0, .max_entries = 2});
  ASSERT_TRUE(again);
  // Last uses in the file: a 4 s, c 5 s, d 3 s (its put), e 5 s. The reads just above came after
  // the last sweep, so they were not written: remembered reads are lost on close.
  EXPECT_EQ(again->sweep().evicted, 2u);
  EXPECT_FALSE(again->get("a").has_value());
  EXPECT_FALSE(again->get("d").has_value());
  EXPECT_TRUE(again->get("c").has_value());
  EXPECT_TRUE(again->get("e").has_value());
}

TEST(SqliteCache, TouchCountsAsAUseForEviction) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  auto cache = open_ok(dir.path() / "cache.db", clock, {.max_bytes = 0, .max_entries = 1});
  ASSERT_TRUE(cache);
  cache->put("served-from-memory", "1", seconds(600));
  clock.advance(seconds(1));
  cache->put("newer", "2", seconds(600));
  clock.advance(seconds(1));
  cache->touch("served-from-memory");  // the memory tier in front answered it
  cache->touch("never-stored");        // harmless
  const SweepStats stats = cache->sweep();
  EXPECT_EQ(stats.touched, 1u);
  EXPECT_EQ(stats.evicted, 1u);
  EXPECT_TRUE(cache->get("served-from-memory").has_value());
  EXPECT_FALSE(cache->get("newer").has_value());
}

TEST(SqliteCache, SweepBoundsTheBytesInUse) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  const std::uint64_t bound = 1 << 20;
  auto cache = open_ok(dir.path() / "cache.db", clock, {.max_bytes = bound});
  ASSERT_TRUE(cache);
  for (int i = 0; i < 400; ++i) {  // about 4 MB
    cache->put("k:" + std::to_string(i), std::string(10000, 'v'), seconds(600));
    clock.advance(milliseconds(1));
  }
  EXPECT_GT(cache->bytes(), 4 * bound - bound / 4);
  const SweepStats stats = cache->sweep();
  EXPECT_TRUE(stats.ok);
  EXPECT_LE(stats.bytes, bound);
  EXPECT_GT(stats.bytes, bound / 2);  // it stops near the bound, it does not empty the file
  EXPECT_EQ(stats.evicted + stats.entries, 400u);
  EXPECT_LE(cache->bytes(), bound);
  EXPECT_FALSE(cache->get("k:0").has_value());  // oldest gone, newest kept
  EXPECT_TRUE(cache->get("k:399").has_value());
}

TEST(SqliteCache, CreatesMissingParentDirectoriesPrivately) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  const auto file = dir.path() / "data" / "lbrec" / "cache.db";
  auto cache = open_ok(file, clock);
  ASSERT_TRUE(cache);
  cache->put("k", "v", seconds(1));
  EXPECT_TRUE(fs::is_regular_file(file));
  for (const auto& made : {dir.path() / "data", dir.path() / "data" / "lbrec"}) {
    struct stat st {};
    ASSERT_EQ(::stat(made.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u) << made;
  }
}

TEST(SqliteCache, RefusesAFileWithAGarbageHeaderAndLeavesItAlone) {
  TempDir dir("lbrec-sqlite");
  const auto file = dir.path() / "cache.db";
  fill(file, 200, 100);
  std::mt19937 rng(7);
  std::string garbage(4096, '\0');
  for (auto& c : garbage)
    c = static_cast<char>(rng());
  write_bytes(file, garbage);
  const std::string before = read_bytes(file);

  core::FakeClock clock;
  auto cache = SqliteCache::open(file, {}, clock);
  ASSERT_FALSE(cache.has_value());
  EXPECT_EQ(cache.error().code, core::ErrorCode::kParseError);
  EXPECT_NE(cache.error().message.find(file.string()), std::string::npos) << cache.error().message;
  EXPECT_NE(cache.error().message.find("not a database"), std::string::npos)
      << cache.error().message;
  EXPECT_EQ(read_bytes(file), before);
  EXPECT_FALSE(fs::exists(file.string() + "-wal"));
}

TEST(SqliteCache, RefusesATextFileAndLeavesItAlone) {
  TempDir dir("lbrec-sqlite");
  const auto file = dir.path() / "cache.db";
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += "LBREC_DATA_DIR=/var/lib/lbrec # not a database\n";
  write_bytes(file, text);
  core::FakeClock clock;
  auto cache = SqliteCache::open(file, {}, clock);
  ASSERT_FALSE(cache.has_value());
  EXPECT_EQ(cache.error().code, core::ErrorCode::kParseError);
  EXPECT_EQ(read_bytes(file), text);
}

TEST(SqliteCache, RefusesACorruptPageFoundByQuickCheckAndLeavesItAlone) {
  TempDir dir("lbrec-sqlite");
  const auto file = dir.path() / "cache.db";
  fill(file, 2000, 300);
  const auto size = fs::file_size(file);
  ASSERT_GT(size, 40u * 4096);
  write_bytes(file, std::string(4096, '\xab'), 20 * 4096);  // one page in the middle
  const std::string before = read_bytes(file);

  core::FakeClock clock;
  auto cache = SqliteCache::open(file, {}, clock);
  ASSERT_FALSE(cache.has_value());
  EXPECT_EQ(cache.error().code, core::ErrorCode::kParseError);
  EXPECT_NE(cache.error().message.find("corrupt"), std::string::npos) << cache.error().message;
  EXPECT_EQ(read_bytes(file), before);
  EXPECT_FALSE(fs::exists(file.string() + "-wal"));
}

TEST(SqliteCache, RefusesAnotherSchemaVersionOrApplication) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  const auto newer = dir.path() / "newer.db";
  fill(newer, 10, 10);
  raw_exec(newer, "PRAGMA user_version=2");
  const std::string before = read_bytes(newer);
  auto cache = SqliteCache::open(newer, {}, clock);
  ASSERT_FALSE(cache.has_value());
  EXPECT_EQ(cache.error().code, core::ErrorCode::kParseError);
  EXPECT_NE(cache.error().message.find("schema version 2"), std::string::npos)
      << cache.error().message;
  EXPECT_EQ(read_bytes(newer), before);

  const auto foreign = dir.path() / "foreign.db";
  raw_exec(foreign, "CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES('mine')");
  const std::string foreign_before = read_bytes(foreign);
  cache = SqliteCache::open(foreign, {}, clock);
  ASSERT_FALSE(cache.has_value());
  EXPECT_EQ(cache.error().code, core::ErrorCode::kParseError);
  EXPECT_NE(cache.error().message.find("not an lbrec cache"), std::string::npos);
  EXPECT_EQ(read_bytes(foreign), foreign_before);
}

TEST(SqliteCache, RefusesUnusablePaths) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  write_bytes(dir.path() / "plain", "a regular file");
  auto cache = SqliteCache::open(dir.path() / "plain" / "cache.db", {}, clock);
  ASSERT_FALSE(cache.has_value());
  EXPECT_EQ(cache.error().code, core::ErrorCode::kConfigError);
  EXPECT_NE(cache.error().message.find("not a directory"), std::string::npos)
      << cache.error().message;
  EXPECT_EQ(read_bytes(dir.path() / "plain"), "a regular file");

  fs::create_directory(dir.path() / "a-directory");
  cache = SqliteCache::open(dir.path() / "a-directory", {}, clock);
  ASSERT_FALSE(cache.has_value());
  EXPECT_EQ(cache.error().code, core::ErrorCode::kConfigError) << cache.error().message;
}

// Opens each path expecting a kConfigError naming the problem; 0 when all were refused so, else
// the 1-based number of the first that was not. Plain return codes: it may run in a child process.
int refused_as_unwritable(const std::vector<std::pair<fs::path, std::string>>& cases) {
  core::FakeClock clock;
  int n = 0;
  for (const auto& [path, words] : cases) {
    ++n;
    const std::string before = fs::is_regular_file(path) ? read_bytes(path) : "";
    auto cache = SqliteCache::open(path, {}, clock);
    if (cache || cache.error().code != core::ErrorCode::kConfigError ||
        cache.error().message.find(words) == std::string::npos) {
      std::fprintf(stderr, "case %d: %s\n", n, cache ? "opened" : cache.error().message.c_str());
      return n;
    }
    if (fs::is_regular_file(path) && read_bytes(path) != before) return 100 + n;
  }
  return 0;
}

TEST(SqliteCache, RefusesAReadOnlyFileOrDirectory) {
  TempDir dir("lbrec-sqlite");
  const auto read_only_file = dir.path() / "read-only.db";
  const auto locked = dir.path() / "locked";
  fill(read_only_file, 5, 10);
  fs::create_directory(locked);
  fill(locked / "in-locked-dir.db", 5, 10);
  fs::permissions(read_only_file,
                  fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::group_exec | fs::perms::others_read |
                              fs::perms::others_exec);
  const std::vector<std::pair<fs::path, std::string>> cases = {
      {read_only_file, "read-only"},
      {locked / "new.db", "cannot open"},     // a new file in a read-only directory
      {locked / "in-locked-dir.db", "-wal"},  // its WAL file cannot be created
  };
  if (::geteuid() != 0) {
    EXPECT_EQ(refused_as_unwritable(cases), 0);
    return;
  }
  // Permissions do not deny root: the checks run in a child that drops to user nobody.
  fs::permissions(dir.path(), fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  ASSERT_EQ(::chown((locked / "in-locked-dir.db").c_str(), 65534, 65534), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0) ::_exit(77);
    ::_exit(refused_as_unwritable(cases));
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "running as root and cannot drop to nobody";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "case that was not refused as expected (100+: modified)";
}

TEST(SqliteCache, TwoCachesShareOneFile) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  const auto file = dir.path() / "cache.db";
  auto first = open_ok(file, clock);
  auto second = open_ok(file, clock);
  ASSERT_TRUE(first && second);
  constexpr int kPerThread = 400;
  auto writer = [&](SqliteCache& cache, int id) {
    for (int i = 0; i < kPerThread; ++i) {
      const std::string key = "w" + std::to_string(id) + ":" + std::to_string(i);
      cache.put(key, std::string(500, static_cast<char>('a' + id)), seconds(60));
      if (i % 50 == 0) cache.sweep();
    }
  };
  std::vector<std::thread> threads;
  for (int id = 0; id < 4; ++id)
    threads.emplace_back(writer, std::ref(id % 2 ? *second : *first), id);
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(first->failures(), 0u);
  EXPECT_EQ(second->failures(), 0u);
  EXPECT_EQ(first->size(), 4u * kPerThread);
  EXPECT_EQ(second->size(), 4u * kPerThread);
  for (int id = 0; id < 4; ++id) {
    SqliteCache& reader = id % 2 ? *first : *second;  // the other object's rows
    auto e = reader.get("w" + std::to_string(id) + ":" + std::to_string(kPerThread - 1));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->value, std::string(500, static_cast<char>('a' + id)));
  }
}

TEST(SqliteCache, AWriterHoldingTheLockTooLongDropsPutsButNotReads) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  const auto file = dir.path() / "cache.db";
  auto cache = open_ok(file, clock, {.busy_timeout = milliseconds(50)});
  ASSERT_TRUE(cache);
  cache->put("k", "before", seconds(60));

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_NO_THROW(cache->put("k", "during", seconds(60)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(40));  // it waited, then gave up
  EXPECT_EQ(cache->failures(), 1u);
  ASSERT_TRUE(cache->get("k").has_value());  // WAL: readers are not blocked by the writer
  EXPECT_EQ(cache->get("k")->value, "before");
  EXPECT_FALSE(cache->sweep().ok);
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  const auto failures = cache->failures();
  cache->put("k", "after", seconds(60));
  EXPECT_EQ(cache->get("k")->value, "after");
  EXPECT_EQ(cache->failures(), failures);
}

TEST(SqliteCache, CorruptionFoundLaterIsAMissNotACrash) {
  TempDir dir("lbrec-sqlite");
  const auto file = dir.path() / "cache.db";
  fill(file, 3000, 200);
  core::FakeClock clock;
  auto cache = open_ok(file, clock);
  ASSERT_TRUE(cache);
  ASSERT_TRUE(cache->get("k:1234").has_value());

  // Every page but the first (header and schema) becomes garbage under the open connection; a
  // commit by another connection makes it drop its page cache and read the file again.
  const auto size = fs::file_size(file);
  write_bytes(file, std::string(size - 4096, '\xab'), 4096);
  raw_exec(file, "PRAGMA user_version=1");

  EXPECT_NO_THROW({
    EXPECT_FALSE(cache->get("k:1234").has_value());
    cache->put("k:new", "v", seconds(60));
    cache->erase("k:1");
    EXPECT_FALSE(cache->sweep().ok);
  });
  EXPECT_GE(cache->failures(), 3u);
}

TEST(SqliteCache, ThreadsReadAndWriteAtOnce) {
  TempDir dir("lbrec-sqlite");
  core::FakeClock clock;
  auto cache = open_ok(dir.path() / "cache.db", clock, {.max_entries = 300});
  ASSERT_TRUE(cache);
  std::atomic<int> hits{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const std::string key = "k:" + std::to_string((i * 7 + t) % 200);
        if (t % 2 == 0) {
          cache->put(key, key, seconds(60));
        } else if (auto e = cache->get(key)) {
          EXPECT_EQ(e->value, key);
          ++hits;
        }
        if (i % 100 == 99) cache->sweep();
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(cache->failures(), 0u);
  EXPECT_GT(hits.load(), 0);
  EXPECT_LE(cache->size(), 200u);
}

}  // namespace
}  // namespace lbrec::store
