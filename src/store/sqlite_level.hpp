#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>

#include "store/cache.hpp"
#include "store/sqlite_cache.hpp"

namespace lbrec::store {

// The SQLite cache as a second cache level. SQLite calls block, so they run on a thread of their
// own: reads hop there and back with one co_await each; writes and erases are handed over without
// waiting (the memory level in front already holds the value). sweep() runs there too.
class SqliteLevel final : public Cache {
 public:
  SqliteLevel(std::unique_ptr<SqliteCache> db, const core::Clock& clock);
  // Finishes the writes handed over before closing the database.
  ~SqliteLevel() override;

  boost::asio::awaitable<std::optional<CacheEntry>> get(std::string key) override;
  boost::asio::awaitable<void> put(std::string key, std::string value,
                                   std::chrono::nanoseconds ttl) override;
  boost::asio::awaitable<void> erase(std::string key) override;

  // Drops expired rows and keeps the file under its size bound, on the SQLite thread.
  boost::asio::awaitable<SweepStats> sweep();

  std::uint64_t failures() const { return db_->failures(); }

 private:
  std::unique_ptr<SqliteCache> db_;
  boost::asio::thread_pool thread_{1};
};

}  // namespace lbrec::store
