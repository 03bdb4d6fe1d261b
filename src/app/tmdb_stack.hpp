#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "core/config.hpp"
#include "net/host_gate.hpp"
#include "net/http_client.hpp"
#include "net/token_bucket.hpp"
#include "sources/streaming/justwatch_client.hpp"
#include "sources/streaming/streaming_service.hpp"
#include "sources/tmdb/movie_catalog.hpp"
#include "sources/tmdb/tmdb_client.hpp"
#include "store/cache.hpp"

namespace lbrec::app {

// Everything that asks TMDB and JustWatch, built from the configuration: one HTTP client (at most
// 20 connections per host), TMDB's gate paced by a token bucket at TMDB_RATE_LIMIT requests/s,
// retries (429 after Retry-After with a shared hold-off, 5xx and timeouts with backoff), the
// TMDB_KEY credential in whichever style it is, the cached catalogue, and the streaming lookup
// (JustWatch first unless JUSTWATCH_ENABLED=false, TMDB watch/providers as fallback).
struct TmdbStack {
  TmdbStack(const core::Config& config, boost::asio::io_context& io, store::Cache& cache);

  net::HttpClient client;
  std::shared_ptr<net::TokenBucket> tmdb_bucket;
  net::HostGate tmdb_gate;
  net::HostGate justwatch_gate;
  sources::tmdb::TmdbClient tmdb;
  sources::tmdb::MovieCatalog catalog;
  sources::streaming::JustWatchClient justwatch;
  sources::streaming::StreamingService streaming;
};

}  // namespace lbrec::app
