#pragma once

#include <chrono>

#include "net/fetch_with_retry.hpp"

namespace lbrec::app {

// Seconds from a configuration value as a duration.
std::chrono::nanoseconds seconds_to_ns(double seconds);

// A retry context on the real clock with real sleeps and a seeded jitter source.
net::RetryContext real_retry_context(net::HttpClient& client, net::HostGate& gate,
                                     net::RetryPolicy policy);

}  // namespace lbrec::app
