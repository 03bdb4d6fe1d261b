#include "app/cache_stack.hpp"

#include "core/clock.hpp"

namespace lbrec::app {

CacheStack::CacheStack(const core::Config& config, boost::asio::io_context& io) {
  (void)io;
  const auto& clock = core::RealClock::instance();
  tiered_ = std::make_unique<store::TieredCache>(static_cast<std::size_t>(config.cache_max_size),
                                                 clock, second_.get());
}

CacheStack::~CacheStack() = default;

}  // namespace lbrec::app
