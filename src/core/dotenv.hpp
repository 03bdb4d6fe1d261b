#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace lbrec::core {

// Parses the text of a .env file: `KEY=VALUE` lines, `#` comments, blank lines, an optional
// `export ` prefix, single-quoted (literal) and double-quoted (\n, \t, \", \\ escapes) values,
// and ` #` comments after unquoted values. A malformed line is an error naming its number.
Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text);

}  // namespace lbrec::core
