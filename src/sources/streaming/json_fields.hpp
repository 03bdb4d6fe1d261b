#pragma once

// Small readers for fields of upstream JSON that may be missing, null or of another type.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace lbrec::sources::streaming {

// The member `key` of `value` when `value` is an object that has it; nullptr otherwise.
inline const boost::json::value* member(const boost::json::value* value, std::string_view key) {
  if (value == nullptr || !value->is_object()) return nullptr;
  return value->get_object().if_contains(key);
}

// The text of a string value; "" for anything else.
inline std::string_view text_of(const boost::json::value* value) {
  return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                : std::string_view();
}

// A whole number that fits an int; nullopt for anything else (doubles, strings, null).
inline std::optional<int> int_of(const boost::json::value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) {
    const auto n = value->get_int64();
    if (n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max()) {
      return static_cast<int>(n);
    }
  } else if (value->is_uint64()) {
    const auto n = value->get_uint64();
    if (n <= static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
      return static_cast<int>(n);
    }
  }
  return std::nullopt;
}

// Country codes as lbrec keeps them: ASCII letters upper-cased, other bytes as they are.
inline std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace lbrec::sources::streaming
