// `kill -9` during heavy cache writes: the next open finds an intact database holding every entry
// whose put() had returned before the kill (issue 7).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_cache.hpp"
#include "support/temp_dir.hpp"

namespace lbrec::store {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr int kRounds = 3;
constexpr int kWritersPerRound = 2;  // processes on the same file at once
constexpr int kThreadsPerWriter = 2;

// What a writer reports on its pipe after each put() that returned without a failure. Eight bytes:
// pipe writes this small are atomic, so records from several threads never interleave.
struct Ack {
  std::uint32_t thread;
  std::uint32_t index;
};
constexpr std::uint32_t kFailed = 0xffffffff;  // thread field of "a statement failed"

std::string key_for(int round, int writer, std::uint32_t thread, std::uint32_t index) {
  return "crash:" + std::to_string(round) + ":" + std::to_string(writer) + ":" +
         std::to_string(thread) + ":" + std::to_string(index);
}

// Values from 40 bytes to about 8 KB (so some rows span overflow pages), derived from the key.
std::string value_for(const std::string& key) {
  const std::size_t h = std::hash<std::string>{}(key);
  std::string v = key + "|";
  v.append(40 + h % 8000, static_cast<char>('A' + h % 26));
  return v;
}

using testing::TempDir;

// The child: threads putting fresh keys as fast as they can, plus one thread sweeping and
// churning short-lived keys (deletes and page reuse), until it is killed.
[[noreturn]] void run_writer(const fs::path& file, int round, int writer, int out) {
  // No size bound: eviction would delete acknowledged rows.
  auto opened = SqliteCache::open(file, {.max_bytes = 0}, core::RealClock::instance());
  if (!opened) {
    const Ack failed{kFailed, 0};
    (void)!::write(out, &failed, sizeof failed);
    ::_exit(2);
  }
  SqliteCache& cache = **opened;
  std::vector<std::thread> threads;
  for (std::uint32_t t = 0; t < kThreadsPerWriter; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint32_t i = 0;; ++i) {
        const std::string key = key_for(round, writer, t, i);
        cache.put(key, value_for(key), std::chrono::hours(1));
        const Ack ack{cache.failures() == 0 ? t : kFailed, i};
        if (::write(out, &ack, sizeof ack) != sizeof ack || ack.thread == kFailed) ::_exit(3);
      }
    });
  }
  threads.emplace_back([&] {
    for (std::uint32_t i = 0;; ++i) {
      const std::string key = "scratch:" + std::to_string(writer) + ":" + std::to_string(i % 200);
      cache.put(key, std::string(3000, 's'), milliseconds(1));
      if (i % 3 == 0) cache.erase(key);
      if (i % 50 == 0) cache.sweep();
    }
  });
  for (auto& t : threads)
    t.join();
  ::_exit(0);
}

struct Writer {
  pid_t pid = -1;
  int fd = -1;
  std::string pending;  // bytes of an incomplete record
  std::vector<Ack> acks;
  bool failed = false;

  // Reads what is available; false at end of file.
  bool drain() {
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t at = 0;
    for (; at + sizeof(Ack) <= pending.size(); at += sizeof(Ack)) {
      Ack ack;
      std::memcpy(&ack, pending.data() + at, sizeof ack);
      if (ack.thread == kFailed)
        failed = true;
      else
        acks.push_back(ack);
    }
    pending.erase(0, at);
    return true;
  }
};

std::string integrity_check(const fs::path& file) {
  sqlite3* db = nullptr;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  std::string result;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK) {
    while (sqlite3_step(s) == SQLITE_ROW)
      result += reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  } else {
    result = sqlite3_errmsg(db);
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return result;
}

TEST(SqliteCrash, KillNineDuringHeavyWritesLeavesAnIntactDatabaseWithItsData) {
  TempDir dir("lbrec-crash");
  const fs::path file = dir.path() / "data" / "cache.db";
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::size_t acked_before = 0;

  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<Writer> writers(kWritersPerRound);
    for (int w = 0; w < kWritersPerRound; ++w) {
      int fds[2];
      ASSERT_EQ(::pipe(fds), 0);
      const pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        ::close(fds[0]);
        run_writer(file, round, w, fds[1]);
      }
      ::close(fds[1]);
      writers[w].pid = pid;
      writers[w].fd = fds[0];
    }

    // Let them write for 150 to 400 ms, reading their acknowledgements meanwhile.
    const auto kill_at = std::chrono::steady_clock::now() +
                         milliseconds(std::uniform_int_distribution<int>(150, 400)(rng));
    while (std::chrono::steady_clock::now() < kill_at) {
      std::vector<pollfd> fds;
      for (const auto& w : writers)
        fds.push_back({w.fd, POLLIN, 0});
      ::poll(fds.data(), fds.size(), 10);
      for (std::size_t i = 0; i < writers.size(); ++i)
        if (fds[i].revents & (POLLIN | POLLHUP)) writers[i].drain();
    }
    for (const auto& w : writers)
      ::kill(w.pid, SIGKILL);
    std::size_t acked = 0;
    for (auto& w : writers) {
      while (w.drain()) {
      }
      ::close(w.fd);
      int status = 0;
      ASSERT_EQ(::waitpid(w.pid, &status, 0), w.pid);
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
          << "the writer ended before the kill, status " << status;
      EXPECT_FALSE(w.failed) << "a put failed in a writer";
      acked += w.acks.size();
    }
    // Killed mid-writing: work got done and the WAL was left behind. (Not per writer: on a loaded
    // machine one process can wait out a whole round on the other's write lock.)
    EXPECT_GT(acked, 50u);
    EXPECT_TRUE(fs::exists(file.string() + "-wal"));

    EXPECT_EQ(integrity_check(file), "ok");

    core::FakeClock clock(std::chrono::system_clock::now());
    auto cache = SqliteCache::open(file, {}, clock);
    ASSERT_TRUE(cache.has_value()) << cache.error().message;
    std::size_t missing = 0;
    std::size_t wrong = 0;
    for (int w = 0; w < kWritersPerRound; ++w) {
      for (const Ack& ack : writers[w].acks) {
        const std::string key = key_for(round, w, ack.thread, ack.index);
        const auto entry = (*cache)->get(key);
        if (!entry)
          ++missing;
        else if (entry->value != value_for(key))
          ++wrong;
      }
    }
    EXPECT_EQ(missing, 0u) << "of " << acked << " acknowledged puts";
    EXPECT_EQ(wrong, 0u);
    // Every round's rows are still there (TTL 1 h); scratch rows come and go.
    EXPECT_GE((*cache)->size(), acked_before + acked);
    EXPECT_EQ((*cache)->failures(), 0u);
    acked_before += acked;
    std::printf("round %d: killed after %zu acknowledged puts (%zu + %zu), %zu missing; %zu rows\n",
                round, acked, writers[0].acks.size(), writers[1].acks.size(), missing,
                (*cache)->size());
  }
}

}  // namespace
}  // namespace lbrec::store
