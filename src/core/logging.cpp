#include "core/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace lbrec::core {

void setup_logging(bool verbose) {
  auto logger = spdlog::get("lbrec");
  if (!logger) logger = spdlog::stderr_color_mt("lbrec");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace lbrec::core
