#pragma once

#include <span>
#include <string_view>

namespace lbrec::server {

// One file of the web UI, embedded in the binary at build time (from web/ at the repository
// root). Every view points into static storage and stays valid for the life of the process.
struct Asset {
  std::string_view path;          // relative to web/: "index.html", "app.js"
  std::string_view body;          // the file's bytes
  std::string_view content_type;  // from the extension, e.g. "text/html; charset=utf-8"
  std::string_view etag;          // quoted strong validator, the same for the same bytes
};

// The embedded file at `path` ("index.html", "app.js"), or nullptr. Only exact names of embedded
// files match: no normalisation, so "../x", "%2e%2e/x", "a//b", absolute paths and names with NUL
// bytes never match anything.
const Asset* find_asset(std::string_view path);

// Every embedded asset, sorted by path (for tests and listings).
std::span<const Asset> all_assets();

// The Content-Type for a file name, from its extension (case-insensitive);
// "application/octet-stream" when the extension is unknown.
std::string_view content_type_for(std::string_view path);

}  // namespace lbrec::server
