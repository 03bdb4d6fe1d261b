#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "core/config.hpp"
#include "store/cache.hpp"
#include "store/tiered_cache.hpp"

namespace lbrec::app {

// The cache a configuration asks for: the in-process LRU (CACHE_MAX_SIZE) always, in front of a
// second level when there is one. A second level that cannot be opened costs one log line and
// leaves the cache memory-only; it never stops the service.
class CacheStack {
 public:
  CacheStack(const core::Config& config, boost::asio::io_context& io);
  ~CacheStack();
  CacheStack(const CacheStack&) = delete;
  CacheStack& operator=(const CacheStack&) = delete;

  store::TieredCache& cache() { return *tiered_; }

 private:
  std::unique_ptr<store::Cache> second_;
  std::unique_ptr<store::TieredCache> tiered_;
};

}  // namespace lbrec::app
