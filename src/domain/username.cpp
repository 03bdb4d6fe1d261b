#include "domain/username.hpp"

#include <algorithm>

namespace lbrec::domain {

bool is_valid_username(std::string_view name) {
  if (name.empty() || name.size() > kMaxUsernameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace lbrec::domain
