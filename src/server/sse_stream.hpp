#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <chrono>
#include <cstddef>

#include "server/job_hub.hpp"

namespace lbrec::server {

using SseHead = boost::beast::http::response<boost::beast::http::empty_body>;

struct SseOptions {
  std::chrono::milliseconds heartbeat{15000};  // SSE_HEARTBEAT_S: a comment line when idle
  std::chrono::seconds write_timeout{30};      // a client that stops reading is dropped
  std::chrono::milliseconds retry{2000};       // the browser's reconnection delay (SSE `retry:`)
};

// How a stream ended.
enum class SseEnd {
  kCompleted,   // every event was sent and the stream ended (job done or expired)
  kClientGone,  // the client closed, reset, sent bytes or stopped reading
};

struct SseOutcome {
  SseEnd end = SseEnd::kCompleted;
  std::size_t events = 0;  // events written
};

// Serves one Server-Sent Events response on `stream`: `head` (status, CORS and security headers
// chosen by the caller; content type, caching and connection headers are set here) with no
// Content-Length, so the body lasts until the connection closes. Then `retry:` once and each
// event of `subscription` as `id: <seq>` + `data: <json>`, a `: keep-alive` comment whenever
// `heartbeat` passes without one, until the subscription ends or the client goes away. A client
// that closes its side is noticed at once, not at the next write.
boost::asio::awaitable<SseOutcome> serve_sse(boost::beast::tcp_stream& stream, SseHead head,
                                             JobSubscription subscription, SseOptions options);

}  // namespace lbrec::server
