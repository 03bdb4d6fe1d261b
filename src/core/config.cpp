#include "core/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <initializer_list>
#include <limits>

#include "core/strings.hpp"

namespace lbrec::core {
namespace {

// Longest value any setting accepts; guards against a pasted file ending up in a variable.
constexpr std::size_t kMaxValueLength = 4096;

std::string format_number(double v) {
  return fmt::format("{}", v);
}

// Control characters written as \xNN, so an error quoting a value stays one log line.
std::string escape_controls(std::string_view v) {
  std::string out;
  for (const char ch : v) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += ch;
    }
  }
  return out;
}

Setting integer(std::string_view name, int Config::*field, long long lo, long long hi,
                std::string_view description) {
  return Setting{name,
                 description,
                 hi == std::numeric_limits<int>::max()
                     ? fmt::format("an integer of at least {}", lo)
                     : fmt::format("an integer from {} to {}", lo, hi),
                 false,
                 [=](Config& c, std::string_view v) {
                   const auto n = parse_int(v);
                   if (!n || *n < lo || *n > hi) return false;
                   c.*field = static_cast<int>(*n);
                   return true;
                 },
                 [=](const Config& c) { return std::to_string(c.*field); }};
}

Setting real(std::string_view name, double Config::*field, double lo, double hi, bool lo_open,
             std::string_view description) {
  std::string accepted =
      hi == std::numeric_limits<double>::max()
          ? fmt::format("a number {} {}", lo_open ? "greater than" : "of at least",
                        format_number(lo))
          : fmt::format("a number from {} to {}", format_number(lo), format_number(hi));
  return Setting{name,
                 description,
                 std::move(accepted),
                 false,
                 [=](Config& c, std::string_view v) {
                   const auto n = parse_double(v);
                   if (!n || *n < lo || *n > hi || (lo_open && *n == lo)) return false;
                   c.*field = *n;
                   return true;
                 },
                 [=](const Config& c) { return format_number(c.*field); }};
}

Setting boolean(std::string_view name, bool Config::*field, std::string_view description) {
  return Setting{name,
                 description,
                 "true or false (also 1/0, yes/no, on/off)",
                 false,
                 [=](Config& c, std::string_view v) {
                   const auto b = parse_bool(v);
                   if (!b) return false;
                   c.*field = *b;
                   return true;
                 },
                 [=](const Config& c) { return std::string(c.*field ? "true" : "false"); }};
}

Setting choice(std::string_view name, std::string Config::*field,
               std::vector<std::string_view> options, std::string_view description) {
  std::string accepted = "one of";
  for (std::size_t i = 0; i < options.size(); ++i) {
    accepted += (i == 0 ? " " : i + 1 == options.size() ? " or " : ", ");
    accepted += options[i];
  }
  return Setting{name,
                 description,
                 std::move(accepted),
                 false,
                 [=](Config& c, std::string_view v) {
                   const std::string lowered = to_lower_ascii(v);
                   if (std::find(options.begin(), options.end(), lowered) == options.end()) {
                     return false;
                   }
                   c.*field = lowered;
                   return true;
                 },
                 [=](const Config& c) { return c.*field; }};
}

bool printable_token(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char ch) { return ch > ' ' && ch < 0x7f; });
}

Setting token(std::string_view name, std::string Config::*field, std::string_view description) {
  return Setting{
      name,
      description,
      "printable ASCII without spaces, at most 1024 characters",
      true,
      [=](Config& c, std::string_view v) {
        if (v.size() > 1024 || !printable_token(v)) return false;
        c.*field = std::string(v);
        return true;
      },
      [=](const Config& c) { return std::string((c.*field).empty() ? "(unset)" : "(set)"); }};
}

// An absolute URL whose scheme is one of `schemes`.
Setting url(std::string_view name, std::string Config::*field,
            std::initializer_list<std::string_view> schemes_list, std::string_view description,
            bool secret = false) {
  std::vector<std::string_view> schemes(schemes_list);
  std::string accepted = "an absolute URL starting with";
  for (std::size_t i = 0; i < schemes.size(); ++i) {
    accepted += (i == 0 ? " " : i + 1 == schemes.size() ? " or " : ", ");
    accepted += fmt::format("{}://", schemes[i]);
  }
  return Setting{name,
                 description,
                 std::move(accepted),
                 secret,
                 [=](Config& c, std::string_view v) {
                   const auto parsed = boost::urls::parse_absolute_uri(v);
                   if (!parsed) return false;
                   const std::string scheme = to_lower_ascii(parsed->scheme());
                   if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end()) {
                     return false;
                   }
                   // memory:// and unix:// carry no host; the web schemes must.
                   if ((scheme == "http" || scheme == "https") && parsed->encoded_host().empty()) {
                     return false;
                   }
                   c.*field = std::string(v);
                   return true;
                 },
                 [=](const Config& c) {
                   // Secret URLs may carry a password, in the user info or (redis-py style) in
                   // the query: show them with both masked.
                   const std::string& value = c.*field;
                   if (!secret || value.empty()) return value;
                   const auto parsed = boost::urls::parse_absolute_uri(value);
                   if (!parsed) return std::string("(set)");
                   boost::urls::url masked(*parsed);
                   if (masked.has_userinfo()) masked.set_encoded_userinfo("***");
                   if (masked.has_query()) masked.set_encoded_query("***");
                   return std::string(masked.buffer());
                 }};
}

Setting path(std::string_view name, std::string Config::*field, std::string_view description) {
  return Setting{name,
                 description,
                 "a directory path without control characters",
                 false,
                 [=](Config& c, std::string_view v) {
                   if (std::any_of(v.begin(), v.end(),
                                   [](char ch) { return static_cast<unsigned char>(ch) < ' '; })) {
                     return false;
                   }
                   c.*field = std::string(v);
                   return true;
                 },
                 [=](const Config& c) { return c.*field; }};
}

Setting limit(std::string_view name, RateLimit Config::*field, std::string_view description) {
  return Setting{name,
                 description,
                 "a limit such as 5/minute, 10 per minute or 2/5 seconds",
                 false,
                 [=](Config& c, std::string_view v) {
                   const auto parsed = parse_rate_limit(v);
                   if (!parsed) return false;
                   c.*field = *parsed;
                   return true;
                 },
                 [=](const Config& c) {
                   const RateLimit& l = c.*field;
                   return fmt::format("{}/{} seconds", l.count, l.period.count());
                 }};
}

Setting also_named(Setting s, std::vector<std::string_view> aliases) {
  s.aliases = std::move(aliases);
  return s;
}

constexpr long long kIntMax = std::numeric_limits<int>::max();
constexpr double kRealMax = std::numeric_limits<double>::max();

std::vector<Setting> build_table() {
  std::vector<Setting> t;
  t.push_back(token("TMDB_KEY", &Config::tmdb_key,
                    "TMDB API key (v3) or Bearer token (v4); auto-detected. Without it, "
                    "./scripts/run starts the offline demo"));
  // Redis URLs may carry a password, so they count as secrets in listings.
  t.push_back(url("REDIS_URL", &Config::redis_url, {"redis", "rediss", "unix"},
                  "Redis connection string; in-process cache when unset", true));
  t.push_back(url("RATELIMIT_STORAGE_URI", &Config::ratelimit_storage_uri,
                  {"memory", "redis", "rediss", "unix"},
                  "Storage for per-IP rate limits: REDIS_URL if set, else memory:// (per process)",
                  true));
  t.push_back(integer("PORT", &Config::port, 1, 65535, "Port the HTTP service listens on"));
  t.push_back(choice("FLASK_ENV", &Config::flask_env, {"development", "production"},
                     "development turns on debug output and JSON exports"));
  t.push_back(boolean("LOCAL_DEV", &Config::local_dev,
                      "Alternative dev-mode flag (true: same as FLASK_ENV=development)"));
  t.push_back(real("MIN_RECOMMEND_RATING", &Config::min_recommend_rating, 0, 10, false,
                   "Minimum TMDB rating for a recommendation"));
  t.push_back(integer("LETTERBOXD_CIRCUIT_FAILURE_THRESHOLD",
                      &Config::letterboxd_circuit_failure_threshold, 1, kIntMax,
                      "Consecutive Letterboxd failures before the circuit breaker opens"));
  t.push_back(real("LETTERBOXD_CIRCUIT_COOLDOWN_S", &Config::letterboxd_circuit_cooldown_s, 0,
                   kRealMax, false, "Seconds live scraping is skipped while the circuit is open"));
  t.push_back(integer("CACHE_MAX_SIZE", &Config::cache_max_size, 1, kIntMax,
                      "Entries in the in-memory cache before LRU eviction"));
  t.push_back(real("STREAM_MAX_AGE_S", &Config::stream_max_age_s, 0, kRealMax, true,
                   "Seconds before an inactive SSE stream is evicted"));
  t.push_back(integer("SSE_QUEUE_MAXSIZE", &Config::sse_queue_maxsize, 1, kIntMax,
                      "Messages kept per SSE stream; the oldest are dropped on overflow"));
  t.push_back(integer("SCRAPE_POOL_SIZE", &Config::scrape_pool_size, 1, 1024,
                      "Concurrent Letterboxd fetches (process-wide)"));
  t.push_back(integer("WORK_POOL_SIZE", &Config::work_pool_size, 1, 1024,
                      "Concurrent enrichment/recommendation tasks (process-wide)"));
  t.push_back(integer("PIPELINE_POOL_SIZE", &Config::pipeline_pool_size, 1, 1024,
                      "Recommendation jobs running at once per process; the rest queue"));
  t.push_back(real("JOB_RESULT_TTL", &Config::job_result_ttl, 0, kRealMax, true,
                   "Seconds an async /api/result payload stays fetchable"));
  t.push_back(real("LETTERBOXD_HTTP_TIMEOUT", &Config::letterboxd_http_timeout, 0, kRealMax, true,
                   "Timeout (s) for Letterboxd requests"));
  t.push_back(real("TMDB_HTTP_TIMEOUT", &Config::tmdb_http_timeout, 0, kRealMax, true,
                   "Timeout (s) for TMDB requests"));
  t.push_back(also_named(real("CAMOUFOX_TIMEOUT", &Config::camoufox_timeout, 0, kRealMax, true,
                              "Page-load timeout (s) for the headless-browser fetch tier"),
                         {"BROWSER_TIMEOUT"}));
  t.push_back(
      also_named(integer("CAMOUFOX_MAX_CONCURRENT", &Config::camoufox_max_concurrent, 0, 64,
                         "Headless browsers at once; beyond it, requests skip to the stale cache"),
                 {"BROWSER_MAX_CONCURRENT"}));
  t.push_back(integer("HTTP_POOL_MAXSIZE", &Config::http_pool_maxsize, 1, 1024,
                      "Connections kept per upstream host"));
  t.push_back(real("LETTERBOXD_RETRY_SLEEP_S", &Config::letterboxd_retry_sleep_s, 0, kRealMax,
                   false, "Base sleep (s) between Letterboxd retries"));
  t.push_back(real("LETTERBOXD_THROTTLE_SLEEP_S", &Config::letterboxd_throttle_sleep_s, 0, kRealMax,
                   false, "Base sleep (s) between retries after a 429"));
  t.push_back(
      integer("SIMILAR_RESULTS_PER_FILM", &Config::similar_results_per_film, 1, 500,
              "Neighbours read from each TMDB list (recommendations, similar) per seed film"));
  t.push_back(token("INTERNAL_TOKEN", &Config::internal_token,
                    "Token required in X-Internal-Token for /_incident-status (open if unset)"));
  t.push_back(url("LETTERBOXD_BASE_URL", &Config::letterboxd_base_url, {"http", "https"},
                  "Letterboxd site root (tests and the demo aim it at the fake world)"));
  t.push_back(
      url("TMDB_BASE_URL", &Config::tmdb_base_url, {"http", "https"}, "TMDB API root, without /3"));
  t.push_back(url("JUSTWATCH_URL", &Config::justwatch_url, {"http", "https"},
                  "JustWatch GraphQL endpoint"));
  t.push_back(boolean("JUSTWATCH_ENABLED", &Config::justwatch_enabled,
                      "Ask JustWatch first for streaming availability; false uses TMDB's "
                      "watch/providers only"));
  t.push_back(path("LBREC_DATA_DIR", &Config::data_dir,
                   "Directory for persistent data (SQLite cache); default "
                   "$XDG_DATA_HOME/lbrec, else ~/.local/share/lbrec"));
  t.push_back(boolean("CACHE_PERSISTENT", &Config::cache_persistent,
                      "Keep the cache in SQLite in LBREC_DATA_DIR across restarts (ignored when "
                      "REDIS_URL is set)"));
  t.push_back(integer("CACHE_MAX_MB", &Config::cache_max_mb, 1, 1 << 20,
                      "Size bound of the SQLite cache; the oldest entries go beyond it"));
  t.push_back(real("TMDB_RATE_LIMIT", &Config::tmdb_rate_limit, 0, 1000, true,
                   "TMDB requests per second (TMDB allows about 40)"));
  t.push_back(
      boolean("TRUST_PROXY", &Config::trust_proxy,
              "Take the client address from X-Forwarded-For (only behind a proxy you run)"));
  t.push_back(real("LETTERBOXD_MIN_INTERVAL_S", &Config::letterboxd_min_interval_s, 0, 60, false,
                   "Minimum seconds between Letterboxd requests (the seed's 0.15 s spacing)"));
  t.push_back(integer("LETTERBOXD_BURST", &Config::letterboxd_burst, 1, 20,
                      "Letterboxd requests that may go out at once before the spacing applies "
                      "(unused allowance is earned back at the spacing)"));
  t.push_back(real("PROFILE_FRESH_TTL_S", &Config::profile_fresh_ttl_s, 0, kRealMax, false,
                   "Seconds a scraped profile is served without re-fetching"));
  t.push_back(real("PROFILE_STALE_TTL_S", &Config::profile_stale_ttl_s, 0, kRealMax, false,
                   "Seconds a profile snapshot is kept to serve (marked stale_cache) when "
                   "Letterboxd blocks us"));
  t.push_back(
      also_named(url("HTTPS_PROXY", &Config::letterboxd_proxy,
                     {"http", "https", "socks4", "socks4a", "socks5", "socks5h"},
                     "Proxy for the third Letterboxd fetch tier (only that tier uses it)", true),
                 {"https_proxy", "ALL_PROXY", "all_proxy"}));
  t.push_back(path("BROWSER_PATH", &Config::browser_path,
                   "Chromium binary for the headless-browser fetch tier"));
  t.push_back(Setting{"HOST", "Address the HTTP service listens on (127.0.0.1: this machine only)",
                      "an IPv4 or IPv6 address", false,
                      [](Config& c, std::string_view v) {
                        boost::system::error_code ec;
                        boost::asio::ip::make_address(v, ec);
                        if (ec) return false;
                        c.host = std::string(v);
                        return true;
                      },
                      [](const Config& c) { return c.host; }});
  t.push_back(boolean("RATELIMIT_ENABLED", &Config::ratelimit_enabled,
                      "Per-client request limits on the API (false: off, for trusted "
                      "deployments and benchmarks)"));
  t.push_back(limit("RATELIMIT_RECOMMEND", &Config::ratelimit_recommend,
                    "Limit per client on POST /api/recommend (seed: 5/minute)"));
  t.push_back(limit("RATELIMIT_GET_PAGES", &Config::ratelimit_get_pages,
                    "Limit per client on POST /api/get_pages (seed: 10/minute)"));
  t.push_back(limit("RATELIMIT_RESULT", &Config::ratelimit_result,
                    "Limit per client on GET /api/result (seed: 60/minute)"));
  t.push_back(limit("RATELIMIT_STREAM", &Config::ratelimit_stream,
                    "Limit per client on each SSE stream endpoint (seed: 20/minute)"));
  t.push_back(limit("RATELIMIT_INCIDENT_STATUS", &Config::ratelimit_incident_status,
                    "Limit per client on GET /_incident-status (seed: 30/minute)"));
  t.push_back(real("SSE_HEARTBEAT_S", &Config::sse_heartbeat_s, 0, 3600, true,
                   "Seconds between keep-alive comments on idle SSE streams"));
  t.push_back(integer("MAX_UPLOAD_MB", &Config::max_upload_mb, 1, 64,
                      "Largest Letterboxd export ZIP accepted by POST /api/recommend (MiB)"));
  return t;
}

std::string default_data_dir(const std::map<std::string, std::string>& vars) {
  const auto get = [&](const char* key) -> std::string {
    const auto it = vars.find(key);
    return it == vars.end() ? std::string() : it->second;
  };
  if (const std::string xdg = get("XDG_DATA_HOME"); !xdg.empty()) return xdg + "/lbrec";
  if (const std::string home = get("HOME"); !home.empty()) return home + "/.local/share/lbrec";
  return "lbrec-data";
}

}  // namespace

const std::vector<Setting>& settings() {
  static const std::vector<Setting> table = build_table();
  return table;
}

Result<Config> parse_config(const std::map<std::string, std::string>& vars) {
  Config config;
  for (const Setting& s : settings()) {
    std::string_view name = s.name;
    auto it = vars.find(std::string(name));
    for (std::size_t a = 0; (it == vars.end() || trim(it->second).empty()) && a < s.aliases.size();
         ++a) {
      name = s.aliases[a];
      it = vars.find(std::string(name));
    }
    if (it == vars.end()) continue;
    const std::string_view value = trim(it->second);
    if (value.empty()) continue;
    if (value.size() > kMaxValueLength || !s.apply(config, value)) {
      const std::string shown =
          s.secret
              ? std::string("(hidden)")
              : fmt::format("'{}'", value.size() > 60 ? escape_controls(value.substr(0, 60)) + "..."
                                                      : escape_controls(value));
      return fail(ErrorCode::kConfigError,
                  fmt::format("invalid {}={}: expected {}", name, shown, s.accepted));
    }
  }
  if (config.ratelimit_storage_uri.empty()) {
    config.ratelimit_storage_uri = config.redis_url.empty() ? "memory://" : config.redis_url;
  }
  if (config.data_dir.empty()) config.data_dir = default_data_dir(vars);
  return config;
}

std::vector<std::string> describe(const Config& config) {
  std::vector<std::string> lines;
  lines.reserve(settings().size());
  for (const Setting& s : settings())
    lines.push_back(fmt::format("{}={}", s.name, s.show(config)));
  return lines;
}

}  // namespace lbrec::core
