// How fast the cache tiers answer (issue 7). Target: MemoryCache >= 1 M gets/s on one core, hits
// on a 10,000-entry cache (CACHE_MAX_SIZE's default). SqliteCache: gets/s and puts/s on a file in
// $TMPDIR, and what open() costs (quick_check) on a 10 MB and a 100 MB file, warm and cold.

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/memory_cache.hpp"
#include "store/sqlite_cache.hpp"

namespace lbrec::store {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

constexpr int kEntries = 10000;  // CACHE_MAX_SIZE's default

// Keys as the service writes them, read in a fixed pseudo-random order.
const std::vector<std::string>& keys() {
  static const std::vector<std::string> k = [] {
    std::vector<std::string> out;
    for (int i = 0; i < kEntries; ++i)
      out.push_back("tmdb:movie:" + std::to_string(100000 + i * 7));
    return out;
  }();
  return k;
}
const std::vector<std::size_t>& order() {
  static const std::vector<std::size_t> o = [] {
    std::vector<std::size_t> out(1 << 16);
    std::mt19937 rng(1);
    for (auto& i : out)
      i = rng() % kEntries;
    return out;
  }();
  return o;
}

// A directory under $TMPDIR for the benchmark's files, removed at exit.
const fs::path& bench_dir() {
  struct Dir {
    fs::path path;
    Dir() {
      std::string pattern = (fs::temp_directory_path() / "lbrec-cache-bench-XXXXXX").string();
      if (::mkdtemp(pattern.data()) == nullptr) std::abort();
      path = pattern;
    }
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Dir dir;
  return dir.path;
}

const core::Clock& clock() {
  return core::RealClock::instance();
}

MemoryCache& memory_cache(std::size_t value_size) {
  static std::map<std::size_t, std::unique_ptr<MemoryCache>> caches;
  auto& c = caches[value_size];
  if (!c) {
    c = std::make_unique<MemoryCache>(kEntries, clock());
    for (const auto& k : keys())
      c->put(k, std::string(value_size, 'v'), hours(1));
  }
  return *c;
}

SqliteCache& sqlite_cache(std::size_t value_size) {
  static std::map<std::size_t, std::unique_ptr<SqliteCache>> caches;
  auto& c = caches[value_size];
  if (!c) {
    auto opened = SqliteCache::open(bench_dir() / ("cache-" + std::to_string(value_size) + ".db"),
                                    {}, clock());
    if (!opened) std::abort();
    c = std::move(*opened);
    for (const auto& k : keys())
      c->put(k, std::string(value_size, 'v'), hours(1));
  }
  return *c;
}

template <typename Cache>
void gets(benchmark::State& state, Cache& cache, std::string_view prefix) {
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 7919;
  benchmark::IterationCount hits = 0;
  const std::string miss_key = std::string(prefix) + "tmdb:movie:1";
  for (auto _ : state) {
    const auto& key = prefix.empty() ? keys()[order()[i++ & 0xffff]] : miss_key;
    auto e = cache.get(key);
    hits += e.has_value();
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  if (prefix.empty() && hits != state.iterations()) state.SkipWithError("a get missed");
}

void BM_MemoryGetHit(benchmark::State& state) {
  auto& cache = memory_cache(static_cast<std::size_t>(state.range(0)));
  gets(state, cache, "");
}
BENCHMARK(BM_MemoryGetHit)->Arg(200)->Arg(1024)->Arg(4096)->ArgName("value_bytes");
BENCHMARK(BM_MemoryGetHit)->Arg(200)->ArgName("value_bytes")->Threads(2)->UseRealTime();

void BM_MemoryGetMiss(benchmark::State& state) {
  gets(state, memory_cache(200), "absent:");
}
BENCHMARK(BM_MemoryGetMiss);

void BM_MemoryPut(benchmark::State& state) {
  auto& cache = memory_cache(200);
  const std::string value(200, 'w');
  std::size_t i = 0;
  for (auto _ : state)
    cache.put(keys()[order()[i++ & 0xffff]], value, hours(1));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_MemoryPut);

void BM_SqliteGetHit(benchmark::State& state) {
  auto& cache = sqlite_cache(static_cast<std::size_t>(state.range(0)));
  gets(state, cache, "");
}
BENCHMARK(BM_SqliteGetHit)->Arg(200)->Arg(1024)->Arg(4096)->ArgName("value_bytes");
BENCHMARK(BM_SqliteGetHit)->Arg(200)->ArgName("value_bytes")->Threads(2)->UseRealTime();

void BM_SqliteGetMiss(benchmark::State& state) {
  gets(state, sqlite_cache(200), "absent:");
}
BENCHMARK(BM_SqliteGetMiss);

// Overwrites of existing keys (each one autocommitted), as a warm cache sees them.
void BM_SqlitePut(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  auto& cache = sqlite_cache(size);
  const std::string value(size, 'w');
  std::size_t i = 0;
  for (auto _ : state)
    cache.put(keys()[order()[i++ & 0xffff]], value, hours(1));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
  if (cache.failures() != 0) state.SkipWithError("a put failed");
}
BENCHMARK(BM_SqlitePut)->Arg(200)->Arg(4096)->ArgName("value_bytes");

// open() of an existing file of `mb` MB (1 KB values), with and without quick_check. Warm: the
// file is in the OS page cache, as on a quick restart. Cold: its pages are dropped first
// (posix_fadvise on that file only), as after a reboot.
void BM_SqliteOpen(benchmark::State& state) {
  const auto mb = state.range(0);
  const bool check = state.range(1) != 0;
  const bool cold = state.range(2) != 0;
  const fs::path file = bench_dir() / ("open-" + std::to_string(mb) + ".db");
  if (!fs::exists(file)) {
    auto cache = SqliteCache::open(file, {.max_bytes = 0}, clock());
    if (!cache) std::abort();
    const std::string value(1000, 'o');
    for (std::int64_t i = 0; i < mb * 1000; ++i)
      (*cache)->put("open:" + std::to_string(i), value, hours(1));
  }
  for (auto _ : state) {
    if (cold) {
      state.PauseTiming();
      const int fd = ::open(file.c_str(), O_RDONLY);
      ::fdatasync(fd);
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      ::close(fd);
      state.ResumeTiming();
    }
    auto cache = SqliteCache::open(file, {.quick_check = check}, clock());
    if (!cache) state.SkipWithError(cache.error().message.c_str());
    benchmark::DoNotOptimize(cache);
  }
  state.SetLabel(std::to_string(fs::file_size(file) >> 20) + " MiB file");
}
BENCHMARK(BM_SqliteOpen)
    ->Args({10, 0, 0})
    ->Args({10, 1, 0})
    ->Args({100, 0, 0})
    ->Args({100, 1, 0})
    ->Args({100, 0, 1})
    ->Args({100, 1, 1})
    ->ArgNames({"mb", "quick_check", "cold"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

}  // namespace
}  // namespace lbrec::store
