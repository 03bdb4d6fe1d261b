#include "core/dotenv.hpp"

#include <fmt/format.h>

#include "core/strings.hpp"

namespace lbrec::core {
namespace {

bool is_key_char(char c, bool first) {
  if (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  return !first && c >= '0' && c <= '9';
}

// Reads a double-quoted value starting after the opening quote. Returns false when unterminated.
bool read_double_quoted(std::string_view rest, std::string& out, std::string_view& after) {
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (c == '"') {
      after = rest.substr(i + 1);
      return true;
    }
    if (c == '\\' && i + 1 < rest.size()) {
      const char n = rest[++i];
      switch (n) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        default:
          out += n;  // \" \\ \$ and anything else stand for themselves
      }
      continue;
    }
    out += c;
  }
  return false;
}

}  // namespace

Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text) {
  std::map<std::string, std::string> vars;
  int line_no = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ") || line.starts_with("export\t")) line = trim(line.substr(7));

    const std::size_t eq = line.find('=');
    const std::string_view key = eq == std::string_view::npos ? line : trim(line.substr(0, eq));
    bool key_ok = !key.empty();
    for (std::size_t i = 0; key_ok && i < key.size(); ++i)
      key_ok = is_key_char(key[i], i == 0);
    if (eq == std::string_view::npos || !key_ok) {
      return fail(ErrorCode::kConfigError,
                  fmt::format(".env line {}: expected KEY=VALUE with KEY made of letters, digits "
                              "and underscores",
                              line_no));
    }

    std::string_view raw = trim(line.substr(eq + 1));
    std::string value;
    std::string_view after;
    if (!raw.empty() && raw.front() == '"') {
      if (!read_double_quoted(raw.substr(1), value, after)) {
        return fail(ErrorCode::kConfigError,
                    fmt::format(".env line {}: unterminated double quote in {}", line_no, key));
      }
    } else if (!raw.empty() && raw.front() == '\'') {
      const std::size_t close = raw.find('\'', 1);
      if (close == std::string_view::npos) {
        return fail(ErrorCode::kConfigError,
                    fmt::format(".env line {}: unterminated single quote in {}", line_no, key));
      }
      value = raw.substr(1, close - 1);
      after = raw.substr(close + 1);
    } else {
      const std::size_t hash = raw.find(" #");
      value = trim(hash == std::string_view::npos ? raw : raw.substr(0, hash));
    }
    after = trim(after);
    if (!after.empty() && after.front() != '#') {
      return fail(
          ErrorCode::kConfigError,
          fmt::format(".env line {}: unexpected text after the quoted value of {}", line_no, key));
    }
    vars[std::string(key)] = std::move(value);
  }
  return vars;
}

}  // namespace lbrec::core
