#include "app/cache_stack.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "core/clock.hpp"
#include "store/redis_cache.hpp"
#include "store/sqlite_cache.hpp"
#include "store/sqlite_level.hpp"

namespace lbrec::app {

namespace {

std::unique_ptr<store::SqliteLevel> open_sqlite(const core::Config& config,
                                                const std::string& file) {
  store::SqliteCacheOptions options;
  options.max_bytes = static_cast<std::uint64_t>(config.cache_max_mb) << 20;
  auto db = store::SqliteCache::open(file, options, core::RealClock::instance());
  if (!db) {
    spdlog::warn("event=cache_memory_only file={} reason=\"{}\"", file, db.error().message);
    return nullptr;
  }
  spdlog::info("event=cache_open level=sqlite file={}", file);
  return std::make_unique<store::SqliteLevel>(std::move(*db), core::RealClock::instance());
}

}  // namespace

CacheStack::CacheStack(const core::Config& config, store::RedisClient* redis) {
  if (redis) {
    redis_ = std::make_unique<store::RedisCache>(*redis, core::RealClock::instance());
    tiered_ =
        std::make_unique<store::TieredCache>(static_cast<std::size_t>(config.cache_max_size),
                                             core::RealClock::instance(), redis_.get(), "redis");
    return;
  }
  if (config.cache_persistent && !config.data_dir.empty()) {
    file_ = (std::filesystem::path(config.data_dir) / "cache.sqlite3").string();
    sqlite_ = open_sqlite(config, file_);
    if (!sqlite_) file_.clear();
  }
  tiered_ = std::make_unique<store::TieredCache>(static_cast<std::size_t>(config.cache_max_size),
                                                 core::RealClock::instance(), sqlite_.get(),
                                                 sqlite_ ? "sqlite" : "");
}

CacheStack::~CacheStack() {
  tiered_.reset();
  redis_.reset();
  sqlite_.reset();  // finishes the writes handed to the SQLite thread
}

boost::asio::awaitable<void> CacheStack::maintain(std::chrono::seconds every) {
  const auto now = std::chrono::steady_clock::now();
  if (!sqlite_ ||
      (last_sweep_ != std::chrono::steady_clock::time_point{} && now - last_sweep_ < every)) {
    co_return;
  }
  last_sweep_ = now;
  const store::SweepStats s = co_await sqlite_->sweep();
  if (s.expired + s.evicted > 0) {
    spdlog::info("event=cache_sweep expired={} evicted={} entries={} bytes={}", s.expired,
                 s.evicted, s.entries, s.bytes);
  }
}

}  // namespace lbrec::app
