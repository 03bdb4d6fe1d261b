#pragma once

#include "fake_http.hpp"
#include "faults.hpp"
#include "request_stats.hpp"
#include "world.hpp"

namespace lbrec::fakeworld {

// The fake world's own endpoints under /__: counters (GET /__stats, POST /__reset), fault rules
// (GET, POST json, DELETE /__faults), members (GET /__users) and export ZIPs
// (GET /__export/<user>.zip[?nested=1]). Errors are JSON {"error": ...}.
FakeReply serve_admin(const World& world, FaultInjector& faults, RequestStats& stats,
                      const FakeRequest& request);

}  // namespace lbrec::fakeworld
