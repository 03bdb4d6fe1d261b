#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace lbrec::fakeworld {

// Request counters per family and per route, for GET /__stats.
class RequestStats {
 public:
  void count(std::string_view family, const std::string& route, bool faulted);
  void reset();
  std::uint64_t family_total(std::string_view family) const;
  std::uint64_t route_total(const std::string& route) const;
  boost::json::object describe() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t, std::less<>> families_;
  std::map<std::string, std::uint64_t, std::less<>> routes_;
  std::map<std::string, std::uint64_t, std::less<>> faults_;
};

}  // namespace lbrec::fakeworld
