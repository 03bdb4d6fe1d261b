#include "providers.hpp"

#include <array>

namespace lbrec::fakeworld {
namespace {

using K = Provider::Kind;

constexpr std::array<Provider, 34> kProviders = {{
    {8, "Netflix", "nfx", K::kSubscription, 1},
    {9, "Amazon Prime Video", "amp", K::kSubscription, 2},
    {337, "Disney Plus", "dnp", K::kSubscription, 3},
    {1899, "Max", "mxx", K::kSubscription, 4},
    {350, "Apple TV Plus", "atp", K::kSubscription, 5},
    {531, "Paramount Plus", "pmp", K::kSubscription, 6},
    {11, "MUBI", "mbi", K::kSubscription, 7},
    {10, "Amazon Video", "amz", K::kStore, 10},
    {2, "Apple TV", "itu", K::kStore, 11},
    {3, "Google Play Movies", "ply", K::kStore, 12},
    // United States
    {15, "Hulu", "hlu", K::kSubscription, 8},
    {386, "Peacock", "pct", K::kSubscription, 9},
    {258, "Criterion Channel", "crc", K::kSubscription, 13},
    {73, "Tubi TV", "tbv", K::kAds, 14},
    {300, "Pluto TV", "ptv", K::kAds, 15},
    {191, "Kanopy", "knp", K::kFree, 16},
    {7, "Fandango At Home", "vdu", K::kStore, 17},
    // United Kingdom and Ireland
    {38, "BBC iPlayer", "bbc", K::kFree, 8},
    {39, "NOW", "ntv", K::kSubscription, 9},
    {130, "Sky Store", "sks", K::kStore, 13},
    // France
    {381, "Canal+", "cpd", K::kSubscription, 8},
    {234, "Arte", "art", K::kFree, 9},
    // Germany
    {30, "WOW", "wow", K::kSubscription, 8},
    {219, "ARD Mediathek", "ard", K::kFree, 9},
    // Japan and Korea
    {84, "U-NEXT", "unx", K::kSubscription, 8},
    {97, "Watcha", "wac", K::kSubscription, 8},
    {356, "wavve", "wav", K::kSubscription, 9},
    // India
    {220, "JioCinema", "jio", K::kSubscription, 8},
    {232, "Zee5", "zee", K::kSubscription, 9},
    // Latin America
    {167, "Claro video", "cla", K::kStore, 13},
    {307, "Globoplay", "gop", K::kSubscription, 8},
    {339, "MovistarTV", "mvt", K::kSubscription, 9},
    // Australia and New Zealand
    {385, "BINGE", "bng", K::kSubscription, 8},
    {134, "Foxtel Now", "ftn", K::kSubscription, 9},
}};

constexpr int kInternational = 10;  // the first ten operate everywhere

struct Regional {
  std::string_view country;
  std::array<int, 7> ids;  // 0-terminated
};

constexpr std::array<Regional, 17> kRegional = {{
    {"US", {15, 386, 258, 73, 300, 191, 7}},
    {"GB", {38, 39, 130, 73, 0, 0, 0}},
    {"IE", {39, 130, 0, 0, 0, 0, 0}},
    {"FR", {381, 234, 0, 0, 0, 0, 0}},
    {"DE", {30, 219, 0, 0, 0, 0, 0}},
    {"JP", {84, 15, 0, 0, 0, 0, 0}},
    {"KR", {97, 356, 0, 0, 0, 0, 0}},
    {"IN", {220, 232, 0, 0, 0, 0, 0}},
    {"BR", {307, 167, 0, 0, 0, 0, 0}},
    {"AR", {167, 339, 0, 0, 0, 0, 0}},
    {"CL", {167, 339, 0, 0, 0, 0, 0}},
    {"CO", {167, 339, 0, 0, 0, 0, 0}},
    {"PE", {167, 339, 0, 0, 0, 0, 0}},
    {"MX", {167, 73, 300, 0, 0, 0, 0}},
    {"ES", {339, 0, 0, 0, 0, 0, 0}},
    {"AU", {385, 134, 73, 0, 0, 0, 0}},
    {"NZ", {134, 73, 0, 0, 0, 0, 0}},
}};

const Provider* by_id(int id) {
  for (const Provider& p : kProviders) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

}  // namespace

std::span<const Provider> all_providers() {
  return kProviders;
}

std::vector<const Provider*> providers_in(std::string_view country) {
  std::vector<const Provider*> out;
  for (int i = 0; i < kInternational; ++i)
    out.push_back(&kProviders[static_cast<std::size_t>(i)]);
  for (const Regional& r : kRegional) {
    if (r.country != country) continue;
    for (int id : r.ids) {
      if (id != 0) out.push_back(by_id(id));
    }
  }
  return out;
}

}  // namespace lbrec::fakeworld
