#include "app/config_loader.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "core/dotenv.hpp"

extern char** environ;

namespace lbrec::app {

core::Result<core::Config> load_config(const std::string& dotenv_path) {
  std::map<std::string, std::string> vars;
  std::ifstream file(dotenv_path, std::ios::binary);
  if (file) {
    std::ostringstream text;
    text << file.rdbuf();
    if (text.str().size() > (1u << 20)) {
      return core::fail(core::ErrorCode::kConfigError,
                        fmt::format("{} is larger than 1 MiB", dotenv_path));
    }
    auto parsed = core::parse_dotenv(text.str());
    if (!parsed) return tl::unexpected(parsed.error());
    vars = std::move(*parsed);
  }
  for (char** env = environ; env != nullptr && *env != nullptr; ++env) {
    const std::string_view entry(*env);
    const std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    vars[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  return core::parse_config(vars);
}

}  // namespace lbrec::app
