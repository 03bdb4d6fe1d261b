#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "store/single_flight.hpp"

namespace lbrec::store {

// A cached value, shared rather than copied: a hit on a 100 KB profile snapshot hands out a
// reference count, not 100 KB. Reads like a const std::string.
class SharedText {
 public:
  SharedText() = default;
  SharedText(std::string text) : text_(std::make_shared<const std::string>(std::move(text))) {}
  SharedText(const char* text) : SharedText(std::string(text)) {}

  const std::string& str() const { return text_ ? *text_ : empty(); }
  operator const std::string&() const { return str(); }
  operator std::string_view() const { return str(); }

  friend bool operator==(const SharedText& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const SharedText& a, const char* b) { return a.str() == b; }
  friend bool operator==(const SharedText& a, const std::string& b) { return a.str() == b; }
  friend std::ostream& operator<<(std::ostream& out, const SharedText& t) { return out << t.str(); }

 private:
  static const std::string& empty() {
    static const std::string none;
    return none;
  }
  std::shared_ptr<const std::string> text_;
};

struct CacheEntry {
  SharedText value;
  core::Clock::System::time_point stored_at;
  core::Clock::System::time_point expires_at;

  // How long ago the value was stored.
  std::chrono::nanoseconds age(const core::Clock& clock) const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock.wall_now() - stored_at);
  }
};

// The namespace of a cache key (the text before the first ':'), "other" when odd, so tables kept
// per namespace stay small whatever keys callers invent.
std::string_view key_space(std::string_view key);

// What get_or_compute() stores on a miss, and for how long.
struct Computed {
  std::string value;
  std::chrono::nanoseconds ttl;
};

// Hits and misses by key namespace (the text before the first ':'), with where the hits came
// from: the in-process memory level or the shared/persistent level behind it.
struct CacheCounts {
  std::string space;
  std::uint64_t memory_hits = 0;
  std::uint64_t second_hits = 0;
  std::uint64_t misses = 0;
};

// The cache the sources use: namespaced keys ("tmdb:details:603"), a time to live per entry, and
// awaitable operations, because a level may sit on disk (SQLite) or across the network (Redis).
// Failures never escape: a level that cannot answer reports a miss and drops the write, so a
// lost cache costs upstream calls, never a failed request. Called on the I/O executor.
class Cache {
 public:
  virtual ~Cache() = default;

  virtual boost::asio::awaitable<std::optional<CacheEntry>> get(std::string key) = 0;
  virtual boost::asio::awaitable<void> put(std::string key, std::string value,
                                           std::chrono::nanoseconds ttl) = 0;
  virtual boost::asio::awaitable<void> erase(std::string key) = 0;

  using Compute = std::function<boost::asio::awaitable<std::optional<Computed>>()>;
  // The entry for `key`; on a miss, compute() runs and its value is stored for its ttl. Misses
  // for one key that overlap compute once and share the answer. nullopt when compute() has
  // nothing worth keeping (an upstream failure, say); exceptions from compute() propagate.
  boost::asio::awaitable<std::optional<CacheEntry>> get_or_compute(std::string key,
                                                                   Compute compute);
  std::size_t computations() const { return flights_.runs(); }

  const core::Clock& clock() const { return clock_; }

 protected:
  explicit Cache(const core::Clock& clock) : clock_(clock) {}

 private:
  boost::asio::awaitable<std::optional<CacheEntry>> compute_and_store(std::string key,
                                                                      Compute compute);
  const core::Clock& clock_;
  SingleFlight<std::optional<CacheEntry>> flights_;
};

}  // namespace lbrec::store
