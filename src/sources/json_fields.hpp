#pragma once

// Small readers for fields of upstream (and cached) JSON that may be missing, null or of another
// type, shared by the TMDB and streaming readers.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace lbrec::sources {

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

// A number, whole or not (TMDB prints 8 and 8.0 alike); nullopt for anything else.
inline std::optional<double> number_of(const boost::json::value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_double()) return value->get_double();
  if (value->is_int64()) return static_cast<double>(value->get_int64());
  if (value->is_uint64()) return static_cast<double>(value->get_uint64());
  return std::nullopt;
}

// Field readers for an object: "" / fallback when the field is missing, null or of another type.
inline std::string text_field(const boost::json::object& o, std::string_view key) {
  return std::string(text_of(o.if_contains(key)));
}
inline int int_field(const boost::json::object& o, std::string_view key, int fallback = 0) {
  return int_of(o.if_contains(key)).value_or(fallback);
}
inline double number_field(const boost::json::object& o, std::string_view key) {
  return number_of(o.if_contains(key)).value_or(0.0);
}
inline const boost::json::object* object_field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}
inline const boost::json::array* array_field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}

}  // namespace lbrec::sources
