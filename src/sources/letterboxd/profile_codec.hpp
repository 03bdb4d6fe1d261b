#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "domain/profile.hpp"

namespace lbrec::sources::letterboxd {

// A profile snapshot as the cache stores it: the profile and its /films/ page count.
struct ProfileSnapshot {
  domain::Profile profile;
  int pages = 1;
};

// JSON text for a snapshot, and back. decode_snapshot rejects text that is not a snapshot of this
// version (a corrupt or foreign cache entry is a miss, never a crash).
std::string encode_snapshot(const ProfileSnapshot& snapshot);
core::Result<ProfileSnapshot> decode_snapshot(std::string_view text);

}  // namespace lbrec::sources::letterboxd
