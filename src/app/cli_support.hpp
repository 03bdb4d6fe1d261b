#pragma once

#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/error.hpp"
#include "domain/profile.hpp"

namespace lbrec::app {

inline constexpr const char* kInvalidUsername =
    "invalid username: use 1-50 letters, digits, '_' or '-'";

// Loads the configuration or prints the one-line reason on stderr and returns nullopt.
std::optional<core::Config> config_or_report();

// Reads a Letterboxd export ZIP from a file (bounded in size) into a profile.
core::Result<domain::Profile> read_export_file(const std::string& path);

}  // namespace lbrec::app
