#pragma once

#include <string_view>

namespace lbrec::domain {

// The seed's rule for a Letterboxd username: 1-50 of A-Z, a-z, 0-9, '_' and '-'.
bool is_valid_username(std::string_view name);

inline constexpr std::size_t kMaxUsernameLength = 50;

}  // namespace lbrec::domain
