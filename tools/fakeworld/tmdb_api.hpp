#pragma once

#include <string>

#include "fake_http.hpp"
#include "world.hpp"

namespace lbrec::fakeworld {

inline constexpr int kTmdbPageSize = 20;
inline constexpr int kTmdbMaxPage = 500;
inline constexpr int kTmdbMaxAppends = 20;

// Serves the TMDB v3 API under /3/ as docs/upstreams/tmdb-and-streaming.md describes it: auth by
// api_key or Bearer token, search, details with append_to_response, sub-resources, providers,
// configuration, genres, find; TMDB's error JSON. Sets `route` for request counters.
FakeReply serve_tmdb(const World& world, const FakeRequest& request, std::string& route);

// TMDB's error envelope.
FakeReply tmdb_error(int http_status, int status_code, std::string_view message);

}  // namespace lbrec::fakeworld
