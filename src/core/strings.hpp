#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lbrec::core {

// Removes ASCII white space from both ends.
std::string_view trim(std::string_view text);

// ASCII lower-casing; bytes >= 0x80 are left as they are.
std::string to_lower_ascii(std::string_view text);
// ASCII letters upper-cased, every other byte kept.
std::string to_upper_ascii(std::string_view text);

bool iequals_ascii(std::string_view a, std::string_view b);

// Splits on every occurrence of sep; keeps empty pieces.
std::vector<std::string_view> split(std::string_view text, char sep);

// Whole-string number parsing: no leading/trailing junk, no white space, no overflow.
std::optional<long long> parse_int(std::string_view text);
std::optional<double> parse_double(std::string_view text);

// Appends the UTF-8 encoding of a code point (no validation: callers pass scalar values).
void append_utf8(char32_t code_point, std::string& out);

// "true/false/1/0/yes/no/on/off" in any case.
std::optional<bool> parse_bool(std::string_view text);

}  // namespace lbrec::core
