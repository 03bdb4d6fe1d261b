#include "core/clock.hpp"

namespace lbrec::core {

const RealClock& RealClock::instance() {
  static const RealClock clock;
  return clock;
}

}  // namespace lbrec::core
