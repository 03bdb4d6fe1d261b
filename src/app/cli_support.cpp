#include "app/cli_support.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "app/config_loader.hpp"
#include "sources/letterboxd/export_reader.hpp"

namespace lbrec::app {

namespace {
constexpr std::uintmax_t kMaxExportBytes = 256u << 20;  // far beyond any real export
}

std::optional<core::Config> config_or_report() {
  auto config = load_config();
  if (!config) {
    std::fprintf(stderr, "lbrec: %s\n", config.error().message.c_str());
    return std::nullopt;
  }
  return *config;
}

core::Result<domain::Profile> read_export_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    return tl::unexpected(
        core::Error{core::ErrorCode::kInvalidInput, fmt::format("cannot read {}", path), false});
  }
  const auto size = static_cast<std::uintmax_t>(file.tellg());
  if (size > kMaxExportBytes) {
    return tl::unexpected(core::Error{core::ErrorCode::kInvalidInput,
                                      fmt::format("{} is too large for an export ZIP", path),
                                      false});
  }
  file.seekg(0);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return sources::letterboxd::read_export_zip(bytes);
}

}  // namespace lbrec::app
