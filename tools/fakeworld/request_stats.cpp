#include "request_stats.hpp"

#include "faults.hpp"

namespace lbrec::fakeworld {

namespace json = boost::json;

void RequestStats::count(std::string_view family, const std::string& route, bool faulted) {
  std::lock_guard lock(mutex_);
  ++families_[std::string(family)];
  ++routes_[route];
  if (faulted) ++faults_[std::string(family)];
}

void RequestStats::reset() {
  std::lock_guard lock(mutex_);
  families_.clear();
  routes_.clear();
  faults_.clear();
}

std::uint64_t RequestStats::family_total(std::string_view family) const {
  std::lock_guard lock(mutex_);
  const auto it = families_.find(family);
  return it == families_.end() ? 0 : it->second;
}

std::uint64_t RequestStats::route_total(const std::string& route) const {
  std::lock_guard lock(mutex_);
  const auto it = routes_.find(route);
  return it == routes_.end() ? 0 : it->second;
}

json::object RequestStats::describe() const {
  std::lock_guard lock(mutex_);
  json::object families, routes, faults;
  std::uint64_t total = 0;
  for (Family f : kFamilies)
    families[to_string(f)] = 0;
  for (const auto& [k, v] : families_) {
    families[k] = v;
    total += v;
  }
  for (const auto& [k, v] : routes_)
    routes[k] = v;
  for (const auto& [k, v] : faults_)
    faults[k] = v;
  return json::object{{"total", total},
                      {"families", std::move(families)},
                      {"routes", std::move(routes)},
                      {"faults_injected", std::move(faults)}};
}

}  // namespace lbrec::fakeworld
