#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "world.hpp"

namespace lbrec::fakeworld {

// Streaming providers with their real TMDB provider ids (== JustWatch package ids), and which of
// them operate in a country. Countries outside the table get the international services only.
std::vector<const Provider*> providers_in(std::string_view country);
std::span<const Provider> all_providers();

}  // namespace lbrec::fakeworld
