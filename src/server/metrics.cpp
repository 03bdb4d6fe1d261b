#include "server/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>

namespace lbrec::server {
namespace {

bool is_alpha_or_underscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_name_char(char c, bool colon_allowed) {
  return is_alpha_or_underscore(c) || (c >= '0' && c <= '9') || (colon_allowed && c == ':');
}

bool valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return is_name_char(c, colon_allowed); });
}

bool valid_sample(const Sample& s) {
  return valid_name(s.name, true) && std::all_of(s.labels.begin(), s.labels.end(), [](auto& l) {
           return valid_name(l.first, false);
         });
}

// Prometheus reads values with Go's ParseFloat: whole numbers print without an exponent so a
// counter reads as one, and the non-finite values use the spellings the format defines.
void append_value(double v, std::string& out) {
  auto to = std::back_inserter(out);
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else if (v == std::floor(v) && std::fabs(v) < 1e15) {
    fmt::format_to(to, "{}", static_cast<long long>(v));  // also turns -0 into 0
  } else {
    fmt::format_to(to, "{}", v);  // shortest form that reads back to the same double
  }
}

// HELP text escapes backslash and newline; label values also escape the double quote.
void append_escaped(std::string_view text, bool label_value, std::string& out) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && label_value) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_family(std::string_view name, std::string_view help, std::string_view type,
                   std::string& out) {
  if (!help.empty()) {
    fmt::format_to(std::back_inserter(out), "# HELP {} ", name);
    append_escaped(help, false, out);
    out += '\n';
  }
  fmt::format_to(std::back_inserter(out), "# TYPE {} {}\n", name, type);
}

using LabelView = std::pair<std::string_view, std::string_view>;

void append_sample(std::string_view name, std::span<const LabelView> labels, double value,
                   std::string& out) {
  out += name;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    out += i == 0 ? '{' : ',';
    out += labels[i].first;
    out += "=\"";
    append_escaped(labels[i].second, true, out);
    out += '"';
  }
  if (!labels.empty()) out += '}';
  out += ' ';
  append_value(value, out);
  out += '\n';
}

}  // namespace

void render_samples(std::span<const Sample> samples, std::string& out) {
  std::vector<std::string_view> order;
  std::unordered_map<std::string_view, std::vector<const Sample*>> by_name;
  for (const Sample& s : samples) {
    if (!valid_sample(s)) continue;
    auto& group = by_name[s.name];
    if (group.empty()) order.push_back(s.name);
    group.push_back(&s);
  }
  std::vector<LabelView> labels;
  for (const std::string_view name : order) {
    const auto& group = by_name[name];
    const std::string_view type = group.front()->type;
    append_family(name, group.front()->help,
                  type == "gauge" || type == "counter" ? type : std::string_view("untyped"), out);
    for (const Sample* s : group) {
      labels.assign(s->labels.begin(), s->labels.end());
      append_sample(name, labels, s->value, out);
    }
  }
}

void HttpMetrics::observe(std::string_view route, int status, std::chrono::nanoseconds latency) {
  const double seconds =
      std::chrono::duration<double>(std::max(latency, std::chrono::nanoseconds::zero())).count();
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
  const std::lock_guard lock(mutex_);
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.emplace(std::string(route), Route{}).first;
  Route& r = it->second;
  ++r.by_status[status];
  ++r.buckets[bucket];
  r.sum_seconds += seconds;
  ++r.count;
}

void HttpMetrics::render(std::string& out) const {
  constexpr std::string_view kRequests = "lbrec_http_requests_total";
  constexpr std::string_view kDuration = "lbrec_http_request_duration_seconds";
  const std::lock_guard lock(mutex_);

  append_family(kRequests, "HTTP requests answered, by route and status.", "counter", out);
  for (const auto& [route, r] : routes_) {
    for (const auto& [status, n] : r.by_status) {
      const std::string code = std::to_string(status);
      const LabelView labels[] = {{"route", route}, {"status", code}};
      append_sample(kRequests, labels, static_cast<double>(n), out);
    }
  }

  append_family(kDuration, "Time from reading a request to answering it, by route.", "histogram",
                out);
  const std::string bucket_name = fmt::format("{}_bucket", kDuration);
  for (const auto& [route, r] : routes_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < r.buckets.size(); ++i) {
      cumulative += r.buckets[i];
      std::string le = "+Inf";
      if (i < kBuckets.size()) {
        le.clear();
        append_value(kBuckets[i], le);
      }
      const LabelView labels[] = {{"route", route}, {"le", le}};
      append_sample(bucket_name, labels, static_cast<double>(cumulative), out);
    }
    const LabelView labels[] = {{"route", route}};
    append_sample(fmt::format("{}_sum", kDuration), labels, r.sum_seconds, out);
    append_sample(fmt::format("{}_count", kDuration), labels, static_cast<double>(r.count), out);
  }
}

}  // namespace lbrec::server
