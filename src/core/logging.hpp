#pragma once

namespace lbrec::core {

// Configures the process-wide spdlog logger: one line per event on stderr, `key=value` fields
// written by the callers. Debug level when `verbose`.
void setup_logging(bool verbose);

}  // namespace lbrec::core
