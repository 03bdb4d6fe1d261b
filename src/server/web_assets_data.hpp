#pragma once

// The raw files of web/, as cmake/embed_assets.cmake writes them into the build tree
// (generated/server/web_assets_data.cpp). Used only by static_assets.cpp; everyone else asks
// find_asset().

#include <span>
#include <string_view>

namespace lbrec::server::detail {

struct EmbeddedFile {
  std::string_view path;                // relative to web/, '/'-separated
  std::span<const unsigned char> body;  // the file's bytes
  std::string_view etag;                // quoted, e.g. "\"0123456789abcdef\""
};

// Every embedded file, sorted by path.
std::span<const EmbeddedFile> embedded_files();

}  // namespace lbrec::server::detail
