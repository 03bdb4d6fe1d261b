#pragma once

// Prometheus text exposition (format 0.0.4) for GET /metrics. Pure: the server gathers the
// numbers and serves the text.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lbrec::server {

// A metric sample supplied from outside at scrape time (gauges and counters the server reads from
// the job hub, caches, breaker, HTTP clients).
struct Sample {
  std::string name;  // e.g. "lbrec_jobs"; must match [a-zA-Z_:][a-zA-Z0-9_:]*
  std::string help;
  std::string type;  // "gauge" or "counter"; anything else is exposed as "untyped"
  std::vector<std::pair<std::string, std::string>> labels;  // names match [a-zA-Z_][a-zA-Z0-9_]*
  double value = 0;
};

// Renders the samples in Prometheus text format 0.0.4: samples sharing a name grouped under one
// # HELP (left out when the help is empty) and # TYPE line, in first-seen order with the help and
// type of the first sample of the name. HELP text and label values are escaped (backslash, newline,
// and double quote in label values); values print so Prometheus parses them (integers without
// exponent, NaN, +Inf, -Inf). A sample whose metric or label name is invalid is left out, since
// one bad line makes Prometheus reject the whole scrape.
void render_samples(std::span<const Sample> samples, std::string& out);

// Request counts and latency histograms by route and status. Thread-safe (one mutex; cheap).
class HttpMetrics {
 public:
  // Upper bounds (seconds) of the latency histogram's buckets, before +Inf.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,   1,    2.5,   5,    10};

  // route: a bounded route label chosen by the server (e.g. "/api/result", "static", "other"),
  // never the raw path. A negative latency counts as 0.
  void observe(std::string_view route, int status, std::chrono::nanoseconds latency);

  // Appends families lbrec_http_requests_total{route,status} (counter) and
  // lbrec_http_request_duration_seconds{route} (histogram: _bucket{le=...} cumulative including
  // +Inf, _sum, _count), routes and statuses in ascending order. Both families' HELP and TYPE
  // lines are written even before the first request.
  void render(std::string& out) const;

 private:
  struct Route {
    std::map<int, std::uint64_t> by_status;
    std::array<std::uint64_t, kBuckets.size() + 1> buckets{};  // per bucket, not cumulative
    double sum_seconds = 0;
    std::uint64_t count = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::string, Route, std::less<>> routes_;
};

}  // namespace lbrec::server
