#include "store/sqlite_level.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lbrec::store {

namespace asio = boost::asio;

namespace {

asio::awaitable<std::optional<CacheEntry>> read_row(SqliteCache* db, std::string key) {
  co_return db->get(key);
}

asio::awaitable<SweepStats> sweep_rows(SqliteCache* db) {
  co_return db->sweep();
}

}  // namespace

SqliteLevel::SqliteLevel(std::unique_ptr<SqliteCache> db, const core::Clock& clock)
    : Cache(clock), db_(std::move(db)) {}

SqliteLevel::~SqliteLevel() {
  thread_.join();
}

asio::awaitable<std::optional<CacheEntry>> SqliteLevel::get(std::string key) {
  co_return co_await asio::co_spawn(thread_, read_row(db_.get(), std::move(key)),
                                    asio::use_awaitable);
}

asio::awaitable<void> SqliteLevel::put(std::string key, std::string value,
                                       std::chrono::nanoseconds ttl) {
  asio::post(thread_, [db = db_.get(), key = std::move(key), value = std::move(value),
                       ttl]() mutable { db->put(std::move(key), std::move(value), ttl); });
  co_return;
}

asio::awaitable<void> SqliteLevel::erase(std::string key) {
  asio::post(thread_, [db = db_.get(), key = std::move(key)] { db->erase(key); });
  co_return;
}

asio::awaitable<SweepStats> SqliteLevel::sweep() {
  co_return co_await asio::co_spawn(thread_, sweep_rows(db_.get()), asio::use_awaitable);
}

}  // namespace lbrec::store
