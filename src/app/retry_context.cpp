#include "app/retry_context.hpp"

#include <memory>
#include <random>

namespace lbrec::app {

std::chrono::nanoseconds seconds_to_ns(double seconds) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(seconds * 1e9));
}

net::RetryContext real_retry_context(net::HttpClient& client, net::HostGate& gate,
                                     net::RetryPolicy policy) {
  auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
  return net::RetryContext{
      client, gate, policy, net::timer_sleep(), core::RealClock::instance(), [rng] {
        return std::uniform_real_distribution<double>(0, 1)(*rng);
      }};
}

}  // namespace lbrec::app
