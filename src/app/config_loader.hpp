#pragma once

#include <string>

#include "core/config.hpp"

namespace lbrec::app {

// Reads the process environment and, when present, the .env file at `dotenv_path`; variables in
// the environment win over the file. Returns the parsed configuration or a one-line error.
core::Result<core::Config> load_config(const std::string& dotenv_path = ".env");

}  // namespace lbrec::app
