#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/rate_limit.hpp"

namespace lbrec::core {

// Every setting of the service. Names, defaults and meanings follow the seed's configuration
// reference; lbrec's additions are marked. Times are in seconds unless the name says otherwise.
struct Config {
  std::string tmdb_key;               // TMDB_KEY (v3 key or v4 token; never logged)
  std::string redis_url;              // REDIS_URL (empty: in-process cache)
  std::string ratelimit_storage_uri;  // RATELIMIT_STORAGE_URI (default: REDIS_URL, else memory://)
  int port = 8080;                    // PORT
  std::string flask_env = "production";          // FLASK_ENV: development | production
  bool local_dev = false;                        // LOCAL_DEV
  double min_recommend_rating = 7.0;             // MIN_RECOMMEND_RATING
  int letterboxd_circuit_failure_threshold = 5;  // LETTERBOXD_CIRCUIT_FAILURE_THRESHOLD
  double letterboxd_circuit_cooldown_s = 180;    // LETTERBOXD_CIRCUIT_COOLDOWN_S
  int cache_max_size = 10000;                    // CACHE_MAX_SIZE
  double stream_max_age_s = 3600;                // STREAM_MAX_AGE_S
  int sse_queue_maxsize = 1000;                  // SSE_QUEUE_MAXSIZE
  int scrape_pool_size = 6;                      // SCRAPE_POOL_SIZE
  int work_pool_size = 8;                        // WORK_POOL_SIZE
  int pipeline_pool_size = 4;                    // PIPELINE_POOL_SIZE
  double job_result_ttl = 900;                   // JOB_RESULT_TTL
  double letterboxd_http_timeout = 12;           // LETTERBOXD_HTTP_TIMEOUT
  double tmdb_http_timeout = 12;                 // TMDB_HTTP_TIMEOUT
  double camoufox_timeout = 20;                  // CAMOUFOX_TIMEOUT (headless-browser tier)
  int camoufox_max_concurrent = 1;               // CAMOUFOX_MAX_CONCURRENT
  int http_pool_maxsize = 20;                    // HTTP_POOL_MAXSIZE
  double letterboxd_retry_sleep_s = 0.4;         // LETTERBOXD_RETRY_SLEEP_S
  double letterboxd_throttle_sleep_s = 1.5;      // LETTERBOXD_THROTTLE_SLEEP_S
  int similar_results_per_film = 20;             // SIMILAR_RESULTS_PER_FILM (one TMDB page)
  std::string internal_token;                    // INTERNAL_TOKEN (never logged)

  // lbrec additions.
  std::string letterboxd_base_url = "https://letterboxd.com";        // LETTERBOXD_BASE_URL
  std::string tmdb_base_url = "https://api.themoviedb.org";          // TMDB_BASE_URL
  std::string justwatch_url = "https://apis.justwatch.com/graphql";  // JUSTWATCH_URL
  bool justwatch_enabled = true;            // JUSTWATCH_ENABLED (false: TMDB watch/providers only)
  std::string data_dir;                     // LBREC_DATA_DIR
  bool cache_persistent = true;             // CACHE_PERSISTENT (SQLite cache in data_dir)
  int cache_max_mb = 256;                   // CACHE_MAX_MB (SQLite cache size bound)
  double tmdb_rate_limit = 40;              // TMDB_RATE_LIMIT
  bool trust_proxy = false;                 // TRUST_PROXY
  double letterboxd_min_interval_s = 0.15;  // LETTERBOXD_MIN_INTERVAL_S (seed's request spacing)
  int letterboxd_burst = 5;                 // LETTERBOXD_BURST (requests allowed at once)
  double profile_fresh_ttl_s = 1800;        // PROFILE_FRESH_TTL_S (seed: 30 minutes)
  double profile_stale_ttl_s = 7 * 86400;   // PROFILE_STALE_TTL_S (seed: 7 days)
  std::string letterboxd_proxy;             // HTTPS_PROXY, else ALL_PROXY (third fetch tier)
  std::string browser_path = "/usr/bin/chromium";  // BROWSER_PATH (fourth fetch tier)
  std::string host = "0.0.0.0";                    // HOST: address the service listens on
  // Per-client limits (Flask-Limiter's setting names); the seed's values by default.
  bool ratelimit_enabled = true;                                      // RATELIMIT_ENABLED
  RateLimit ratelimit_recommend{5, std::chrono::seconds(60)};         // RATELIMIT_RECOMMEND
  RateLimit ratelimit_get_pages{10, std::chrono::seconds(60)};        // RATELIMIT_GET_PAGES
  RateLimit ratelimit_result{60, std::chrono::seconds(60)};           // RATELIMIT_RESULT
  RateLimit ratelimit_stream{20, std::chrono::seconds(60)};           // RATELIMIT_STREAM (each)
  RateLimit ratelimit_incident_status{30, std::chrono::seconds(60)};  // RATELIMIT_INCIDENT_STATUS
  double sse_heartbeat_s = 15;  // SSE_HEARTBEAT_S: comment lines keeping idle streams open
  int max_upload_mb = 32;       // MAX_UPLOAD_MB: largest export ZIP accepted by POST

  // The seed's IS_DEV: debug output and JSON exports.
  bool is_dev() const { return flask_env == "development" || local_dev; }
};

// One row of the settings table: how a variable is named, documented, parsed and shown.
struct Setting {
  std::string_view name;
  std::string_view description;
  std::string accepted;  // what values are accepted, in words ("an integer from 1 to 65535")
  bool secret = false;   // never echoed back in errors or listings
  std::function<bool(Config&, std::string_view)> apply;  // false: the value is not accepted
  std::function<std::string(const Config&)> show;        // the value as a person would type it
  std::vector<std::string_view> aliases;  // other accepted names, read when `name` is unset
};

// The whole table, in the order of the seed's configuration reference, then lbrec's additions.
const std::vector<Setting>& settings();

// Builds the configuration from variables (environment merged with .env by the caller). Unset and
// empty variables keep their defaults. The first invalid value is an error whose message is one
// line naming the variable and what it accepts.
Result<Config> parse_config(const std::map<std::string, std::string>& vars);

// "NAME=value" lines for every setting, secrets shown as "(set)" or "(unset)".
std::vector<std::string> describe(const Config& config);

}  // namespace lbrec::core
