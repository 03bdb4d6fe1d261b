#include "server/static_assets.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "server/web_assets_data.hpp"

namespace lbrec::server {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kContentTypes = {{
    {"css", "text/css; charset=utf-8"},
    {"html", "text/html; charset=utf-8"},
    {"ico", "image/x-icon"},
    {"jpg", "image/jpeg"},
    {"js", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"png", "image/png"},
    {"svg", "image/svg+xml"},
    {"txt", "text/plain; charset=utf-8"},
    {"webmanifest", "application/manifest+json"},
    {"woff2", "font/woff2"},
}};

bool iequals(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == y; });
}

// Built on first use rather than at static initialisation, so a caller in another translation
// unit's initialiser cannot see it half-made.
const std::vector<Asset>& table() {
  static const std::vector<Asset> assets = [] {
    std::vector<Asset> out;
    for (const detail::EmbeddedFile& f : detail::embedded_files()) {
      out.push_back(Asset{
          .path = f.path,
          .body = {reinterpret_cast<const char*>(f.body.data()), f.body.size()},
          .content_type = content_type_for(f.path),
          .etag = f.etag,
      });
    }
    // The generator sorts already; sorting again keeps the lookup correct whatever order it used.
    std::sort(out.begin(), out.end(),
              [](const Asset& a, const Asset& b) { return a.path < b.path; });
    return out;
  }();
  return assets;
}

}  // namespace

std::string_view content_type_for(std::string_view path) {
  const auto slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string_view ext = name.substr(dot + 1);
    for (const auto& [known, type] : kContentTypes) {
      if (iequals(ext, known)) return type;
    }
  }
  return "application/octet-stream";
}

const Asset* find_asset(std::string_view path) {
  const auto& assets = table();
  const auto it = std::lower_bound(assets.begin(), assets.end(), path,
                                   [](const Asset& a, std::string_view p) { return a.path < p; });
  if (it == assets.end() || it->path != path) return nullptr;
  return &*it;
}

std::span<const Asset> all_assets() {
  return table();
}

}  // namespace lbrec::server
