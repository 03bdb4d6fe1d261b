// Prometheus text exposition: grouping, escaping, value spelling and the HTTP histograms.

#include "server/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace lbrec::server {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::string render(const std::vector<Sample>& samples) {
  std::string out;
  render_samples(samples, out);
  return out;
}

std::string render(const HttpMetrics& metrics) {
  std::string out;
  metrics.render(out);
  return out;
}

// The value of the one line that starts with `series ` (name and labels as printed).
std::string value_of(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string found = "<missing>";
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(series + " ")) {
      if (found != "<missing>") return "<twice>";
      found = line.substr(series.size() + 1);
    }
  }
  return found;
}

// A comment or sample line of the text exposition format, as Prometheus reads it.
bool is_exposition_line(const std::string& line) {
  static const std::regex kHelp(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* ([^\\\n]|\\\\|\\n)*)");
  static const std::regex kType(
      R"(# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))");
  static const std::regex kSample(R"([a-zA-Z_:][a-zA-Z0-9_:]*)"
                                  R"((\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\\\|\\"|\\n)*")"
                                  R"((,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\\\|\\"|\\n)*")*\})?)"
                                  R"( (NaN|[+-]Inf|-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?))");
  return std::regex_match(line, kHelp) || std::regex_match(line, kType) ||
         std::regex_match(line, kSample);
}

void expect_exposition_format(const std::string& text) {
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(is_exposition_line(line)) << "not exposition format: " << line;
  }
}

// The check itself can fail: it rejects lines Prometheus would reject.
TEST(ExpositionCheck, RejectsBrokenLines) {
  for (const char* bad : {"m{a=\"x\"y\"} 1", "m{a=\"x\ny\"} 1", "m{a=x} 1", "1m 1", "m 1e",
                          "m{a-b=\"x\"} 1", "# TYPE m gauges", "m{a=\"x\"}", "m", ""}) {
    EXPECT_FALSE(is_exposition_line(bad)) << bad;
  }
  for (const char* good : {"m{a=\"x\\\"y\\\\\\n\",b=\"\"} -1.5e-07", "m NaN", "a:b +Inf"}) {
    EXPECT_TRUE(is_exposition_line(good)) << good;
  }
}

TEST(RenderSamples, GroupsSamplesOfANameUnderOneHeaderInFirstSeenOrder) {
  const std::vector<Sample> samples = {
      {"lbrec_jobs", "Jobs by state.", "gauge", {{"state", "queued"}}, 3},
      {"lbrec_cache_hits_total", "Cache hits.", "counter", {}, 10},
      {"lbrec_jobs", "ignored: the first sample's help wins", "counter", {{"state", "running"}}, 2},
  };
  EXPECT_EQ(render(samples),
            "# HELP lbrec_jobs Jobs by state.\n"
            "# TYPE lbrec_jobs gauge\n"
            "lbrec_jobs{state=\"queued\"} 3\n"
            "lbrec_jobs{state=\"running\"} 2\n"
            "# HELP lbrec_cache_hits_total Cache hits.\n"
            "# TYPE lbrec_cache_hits_total counter\n"
            "lbrec_cache_hits_total 10\n");
}

TEST(RenderSamples, AppendsToWhatIsThere) {
  std::string out = "before\n";
  const std::vector<Sample> samples = {{"up", "", "gauge", {}, 1}};
  render_samples(samples, out);
  EXPECT_EQ(out, "before\n# TYPE up gauge\nup 1\n");
  out.clear();
  render_samples({}, out);
  EXPECT_EQ(out, "");
}

TEST(RenderSamples, EscapesLabelValuesAndHelp) {
  const std::vector<Sample> samples = {
      {"m", "a \\ b\nc \"d\"", "gauge", {{"path", "C:\\x \"q\"\nnext"}, {"b", ""}}, 1}};
  const std::string text = render(samples);
  EXPECT_EQ(text,
            "# HELP m a \\\\ b\\nc \"d\"\n"
            "# TYPE m gauge\n"
            "m{path=\"C:\\\\x \\\"q\\\"\\nnext\",b=\"\"} 1\n");
  expect_exposition_format(text);
}

TEST(RenderSamples, SpellsValuesAsPrometheusReadsThem) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<double, std::string>> cases = {
      {0, "0"},
      {-0.0, "0"},
      {42, "42"},
      {-7, "-7"},
      {1234567890123, "1234567890123"},
      {3.5, "3.5"},
      {0.1, "0.1"},
      {0.001, "0.001"},
      {1e20, "1e+20"},
      {1.5e-7, "1.5e-07"},
      {std::nan(""), "NaN"},
      {inf, "+Inf"},
      {-inf, "-Inf"},
  };
  for (const auto& [value, spelled] : cases) {
    const std::vector<Sample> samples = {{"v", "", "gauge", {}, value}};
    EXPECT_EQ(value_of(render(samples), "v"), spelled) << value;
  }
}

TEST(RenderSamples, LeavesOutSamplesWithInvalidNamesAndCallsOtherTypesUntyped) {
  const std::vector<Sample> samples = {
      {"1abc", "", "gauge", {}, 1},
      {"a-b", "", "gauge", {}, 1},
      {"", "", "gauge", {}, 1},
      {"ok", "", "gauge", {{"bad-label", "x"}}, 1},
      {"ok", "", "gauge", {{"ns:label", "x"}}, 1},
      {"ok", "", "gauge", {{"9", "x"}}, 1},
      {"name:with_colon", "", "summary", {{"_l1", "x"}}, 2},
  };
  EXPECT_EQ(render(samples),
            "# TYPE name:with_colon untyped\n"
            "name:with_colon{_l1=\"x\"} 2\n");
}

TEST(HttpMetrics, RendersEmptyFamiliesBeforeTheFirstRequest) {
  const HttpMetrics metrics;
  EXPECT_EQ(render(metrics),
            "# HELP lbrec_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE lbrec_http_requests_total counter\n"
            "# HELP lbrec_http_request_duration_seconds Time from reading a request to "
            "answering it, by route.\n"
            "# TYPE lbrec_http_request_duration_seconds histogram\n");
}

TEST(HttpMetrics, CountsRequestsByRouteAndStatus) {
  HttpMetrics metrics;
  metrics.observe("/api/result", 200, milliseconds(1));
  metrics.observe("/api/result", 200, milliseconds(1));
  metrics.observe("/api/result", 202, milliseconds(1));
  metrics.observe("/api/recommend", 429, milliseconds(1));
  metrics.observe("static", 404, milliseconds(1));
  const std::string text = render(metrics);
  const std::string total = "lbrec_http_requests_total";
  EXPECT_EQ(value_of(text, total + "{route=\"/api/result\",status=\"200\"}"), "2");
  EXPECT_EQ(value_of(text, total + "{route=\"/api/result\",status=\"202\"}"), "1");
  EXPECT_EQ(value_of(text, total + "{route=\"/api/recommend\",status=\"429\"}"), "1");
  EXPECT_EQ(value_of(text, total + "{route=\"static\",status=\"404\"}"), "1");
  EXPECT_EQ(value_of(text, total + "{route=\"static\",status=\"200\"}"), "<missing>");
  // Routes and statuses in ascending order.
  EXPECT_LT(text.find("/api/recommend\",status"), text.find("/api/result\",status=\"200"));
  EXPECT_LT(text.find("/api/result\",status=\"200"), text.find("/api/result\",status=\"202"));
  expect_exposition_format(text);
}

TEST(HttpMetrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  HttpMetrics metrics;
  metrics.observe("/api/result", 200, microseconds(500));  // <= 0.001
  metrics.observe("/api/result", 200, milliseconds(1));    // == 0.001: bounds are inclusive
  metrics.observe("/api/result", 200, milliseconds(3));    // <= 0.005
  metrics.observe("/api/result", 500, milliseconds(200));  // <= 0.25
  metrics.observe("/api/result", 200, seconds(20));        // only +Inf
  metrics.observe("other", 200, milliseconds(-5));         // clock went backwards: 0
  const std::string text = render(metrics);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"0.001", "2"}, {"0.005", "3"}, {"0.01", "3"}, {"0.025", "3"}, {"0.05", "3"},
      {"0.1", "3"},   {"0.25", "4"},  {"0.5", "4"},  {"1", "4"},     {"2.5", "4"},
      {"5", "4"},     {"10", "4"},    {"+Inf", "5"},
  };
  const std::string bucket =
      "lbrec_http_request_duration_seconds_bucket{route=\"/api/result\",le=\"";
  std::size_t last = 0;
  for (const auto& [le, count] : expected) {
    EXPECT_EQ(value_of(text, bucket + le + "\"}"), count) << le;
    const std::size_t at = text.find(bucket + le + "\"}");
    EXPECT_GT(at, last) << "buckets in ascending order: " << le;
    last = at;
  }
  const std::string sum =
      value_of(text, "lbrec_http_request_duration_seconds_sum{route=\"/api/result\"}");
  EXPECT_NEAR(std::stod(sum), 0.0005 + 0.001 + 0.003 + 0.2 + 20, 1e-9) << sum;
  EXPECT_EQ(value_of(text, "lbrec_http_request_duration_seconds_count{route=\"/api/result\"}"),
            "5");
  EXPECT_EQ(
      value_of(text, "lbrec_http_request_duration_seconds_bucket{route=\"other\",le=\"0.001\"}"),
      "1");
  EXPECT_EQ(value_of(text, "lbrec_http_request_duration_seconds_sum{route=\"other\"}"), "0");
  expect_exposition_format(text);
}

TEST(HttpMetrics, IsSafeToObserveFromManyThreads) {
  HttpMetrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 1000; ++i)
        metrics.observe(t % 2 ? "a" : "b", 200, milliseconds(2));
    });
  }
  for (auto& thread : threads)
    thread.join();
  const std::string text = render(metrics);
  EXPECT_EQ(value_of(text, "lbrec_http_requests_total{route=\"a\",status=\"200\"}"), "2000");
  EXPECT_EQ(value_of(text, "lbrec_http_request_duration_seconds_count{route=\"b\"}"), "2000");
  EXPECT_EQ(value_of(text, "lbrec_http_request_duration_seconds_bucket{route=\"b\",le=\"0.001\"}"),
            "0");
}

TEST(Exposition, EverythingTogetherParsesLineByLine) {
  HttpMetrics metrics;
  metrics.observe("/api/re\"sult\\\n", 200, milliseconds(7));
  std::string text = render(metrics);
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<Sample> samples = {
      {"lbrec_jobs", "Jobs.\nSecond line \\", "gauge", {{"state", "a\"b"}}, 2.5},
      {"lbrec_breaker_open", "", "gauge", {{"host", "letterboxd.com"}, {"x", "\n"}}, inf},
      {"lbrec_nan", "n", "gauge", {}, std::nan("")},
      {"lbrec_neg", "n", "counter", {}, -inf},
      {"lbrec_big", "n", "counter", {}, 1e300},
  };
  render_samples(samples, text);
  expect_exposition_format(text);
}

}  // namespace
}  // namespace lbrec::server
