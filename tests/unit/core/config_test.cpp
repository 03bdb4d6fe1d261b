#include "core/config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace lbrec::core {
namespace {

using Vars = std::map<std::string, std::string>;

Config parse_ok(const Vars& vars) {
  auto result = parse_config(vars);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? *result : Config{};
}

Error parse_err(const Vars& vars) {
  auto result = parse_config(vars);
  EXPECT_FALSE(result.has_value()) << "expected an error";
  return result ? Error{} : result.error();
}

const Setting* find_setting(std::string_view name) {
  for (const Setting& s : settings()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += l + "\n";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Defaults

TEST(ConfigDefaults, EmptyEnvironmentGivesTheSeedDefaults) {
  const Config c = parse_ok({});
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.flask_env, "production");
  EXPECT_FALSE(c.local_dev);
  EXPECT_DOUBLE_EQ(c.min_recommend_rating, 7.0);
  EXPECT_EQ(c.letterboxd_circuit_failure_threshold, 5);
  EXPECT_DOUBLE_EQ(c.letterboxd_circuit_cooldown_s, 180);
  EXPECT_EQ(c.cache_max_size, 10000);
  EXPECT_DOUBLE_EQ(c.stream_max_age_s, 3600);
  EXPECT_EQ(c.sse_queue_maxsize, 1000);
  EXPECT_EQ(c.scrape_pool_size, 6);
  EXPECT_EQ(c.work_pool_size, 8);
  EXPECT_EQ(c.pipeline_pool_size, 4);
  EXPECT_DOUBLE_EQ(c.job_result_ttl, 900);
  EXPECT_DOUBLE_EQ(c.letterboxd_http_timeout, 12);
  EXPECT_DOUBLE_EQ(c.tmdb_http_timeout, 12);
  EXPECT_DOUBLE_EQ(c.camoufox_timeout, 20);
  EXPECT_EQ(c.camoufox_max_concurrent, 1);
  EXPECT_EQ(c.http_pool_maxsize, 20);
  EXPECT_DOUBLE_EQ(c.letterboxd_retry_sleep_s, 0.4);
  EXPECT_DOUBLE_EQ(c.letterboxd_throttle_sleep_s, 1.5);
  EXPECT_EQ(c.similar_results_per_film, 20);
  EXPECT_DOUBLE_EQ(c.tmdb_rate_limit, 40);
  EXPECT_FALSE(c.trust_proxy);
  EXPECT_EQ(c.letterboxd_base_url, "https://letterboxd.com");
  EXPECT_EQ(c.tmdb_base_url, "https://api.themoviedb.org");
  EXPECT_EQ(c.justwatch_url, "https://apis.justwatch.com/graphql");
  EXPECT_TRUE(c.tmdb_key.empty());
  EXPECT_TRUE(c.internal_token.empty());
  EXPECT_TRUE(c.redis_url.empty());
  EXPECT_EQ(c.ratelimit_storage_uri, "memory://");
  EXPECT_FALSE(c.is_dev());
}

TEST(ConfigDefaults, StructDefaultsMatchParsedDefaults) {
  // A default-constructed Config and parse_config({}) agree except for the derived fields.
  Config parsed = parse_ok({});
  Config plain;
  parsed.ratelimit_storage_uri.clear();
  parsed.data_dir.clear();
  EXPECT_EQ(describe(parsed), describe(plain));
}

TEST(ConfigDefaults, DescribeShowsDefaultsAsAPersonWouldTypeThem) {
  const auto lines = describe(parse_ok({}));
  const std::set<std::string> set(lines.begin(), lines.end());
  for (const char* expected : {
           "PORT=8080",
           "FLASK_ENV=production",
           "LOCAL_DEV=false",
           "MIN_RECOMMEND_RATING=7",
           "LETTERBOXD_CIRCUIT_FAILURE_THRESHOLD=5",
           "LETTERBOXD_CIRCUIT_COOLDOWN_S=180",
           "CACHE_MAX_SIZE=10000",
           "STREAM_MAX_AGE_S=3600",
           "SSE_QUEUE_MAXSIZE=1000",
           "SCRAPE_POOL_SIZE=6",
           "WORK_POOL_SIZE=8",
           "PIPELINE_POOL_SIZE=4",
           "JOB_RESULT_TTL=900",
           "LETTERBOXD_HTTP_TIMEOUT=12",
           "TMDB_HTTP_TIMEOUT=12",
           "CAMOUFOX_TIMEOUT=20",
           "CAMOUFOX_MAX_CONCURRENT=1",
           "HTTP_POOL_MAXSIZE=20",
           "LETTERBOXD_RETRY_SLEEP_S=0.4",
           "LETTERBOXD_THROTTLE_SLEEP_S=1.5",
           "SIMILAR_RESULTS_PER_FILM=20",
           "TMDB_RATE_LIMIT=40",
           "TRUST_PROXY=false",
           "LETTERBOXD_BASE_URL=https://letterboxd.com",
           "TMDB_BASE_URL=https://api.themoviedb.org",
           "JUSTWATCH_URL=https://apis.justwatch.com/graphql",
           "JUSTWATCH_ENABLED=true",
           "TMDB_KEY=(unset)",
           "INTERNAL_TOKEN=(unset)",
           "REDIS_URL=",
           "RATELIMIT_STORAGE_URI=memory://",
       }) {
    EXPECT_TRUE(set.count(expected)) << expected << " missing from\n" << joined(lines);
  }
}

// ---------------------------------------------------------------------------------------------
// The settings table

// The seed's configuration reference, in its order, and lbrec's additions.
const std::vector<std::string_view> kSeedSettings = {"TMDB_KEY",
                                                     "REDIS_URL",
                                                     "RATELIMIT_STORAGE_URI",
                                                     "PORT",
                                                     "FLASK_ENV",
                                                     "LOCAL_DEV",
                                                     "MIN_RECOMMEND_RATING",
                                                     "LETTERBOXD_CIRCUIT_FAILURE_THRESHOLD",
                                                     "LETTERBOXD_CIRCUIT_COOLDOWN_S",
                                                     "CACHE_MAX_SIZE",
                                                     "STREAM_MAX_AGE_S",
                                                     "SSE_QUEUE_MAXSIZE",
                                                     "SCRAPE_POOL_SIZE",
                                                     "WORK_POOL_SIZE",
                                                     "PIPELINE_POOL_SIZE",
                                                     "JOB_RESULT_TTL",
                                                     "LETTERBOXD_HTTP_TIMEOUT",
                                                     "TMDB_HTTP_TIMEOUT",
                                                     "CAMOUFOX_TIMEOUT",
                                                     "CAMOUFOX_MAX_CONCURRENT",
                                                     "HTTP_POOL_MAXSIZE",
                                                     "LETTERBOXD_RETRY_SLEEP_S",
                                                     "LETTERBOXD_THROTTLE_SLEEP_S",
                                                     "SIMILAR_RESULTS_PER_FILM",
                                                     "INTERNAL_TOKEN"};
const std::vector<std::string_view> kLbrecSettings = {
    "LETTERBOXD_BASE_URL", "TMDB_BASE_URL",
    "JUSTWATCH_URL",       "JUSTWATCH_ENABLED",
    "LBREC_DATA_DIR",      "CACHE_PERSISTENT",
    "CACHE_MAX_MB",        "TMDB_RATE_LIMIT",
    "TRUST_PROXY",         "LETTERBOXD_MIN_INTERVAL_S",
    "LETTERBOXD_BURST",    "PROFILE_FRESH_TTL_S",
    "PROFILE_STALE_TTL_S", "HTTPS_PROXY",
    "BROWSER_PATH",        "HOST",
    "RATELIMIT_ENABLED",   "RATELIMIT_RECOMMEND",
    "RATELIMIT_GET_PAGES", "RATELIMIT_RESULT",
    "RATELIMIT_STREAM",    "RATELIMIT_INCIDENT_STATUS",
    "SSE_HEARTBEAT_S",     "MAX_UPLOAD_MB"};

TEST(ConfigTable, EveryDocumentedNameIsASetting) {
  for (const auto* list : {&kSeedSettings, &kLbrecSettings}) {
    for (const std::string_view name : *list) {
      EXPECT_NE(find_setting(name), nullptr) << name;
    }
  }
  EXPECT_EQ(settings().size(), kSeedSettings.size() + kLbrecSettings.size());
}

TEST(ConfigTable, RateLimitsAndHostAreParsedAndRejected) {
  auto config = parse_config({{"RATELIMIT_RECOMMEND", "2 per 5 seconds"},
                              {"RATELIMIT_ENABLED", "false"},
                              {"HOST", "::1"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->ratelimit_recommend, (RateLimit{2, std::chrono::seconds(5)}));
  EXPECT_EQ(config->ratelimit_result, (RateLimit{60, std::chrono::seconds(60)}));
  EXPECT_FALSE(config->ratelimit_enabled);
  EXPECT_EQ(config->host, "::1");
  const auto bad_limit = parse_config({{"RATELIMIT_STREAM", "lots"}});
  ASSERT_FALSE(bad_limit);
  EXPECT_NE(bad_limit.error().message.find("RATELIMIT_STREAM"), std::string::npos);
  EXPECT_FALSE(parse_config({{"HOST", "localhost; rm -rf"}}));
  EXPECT_FALSE(parse_config({{"MAX_UPLOAD_MB", "65"}}));
}

TEST(ConfigTable, NamesAreUniqueAndEveryRowIsComplete) {
  std::set<std::string_view> names;
  for (const Setting& s : settings()) {
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate " << s.name;
    EXPECT_FALSE(s.description.empty()) << s.name;
    EXPECT_FALSE(s.accepted.empty()) << s.name;
    EXPECT_TRUE(static_cast<bool>(s.apply)) << s.name;
    EXPECT_TRUE(static_cast<bool>(s.show)) << s.name;
    EXPECT_EQ(s.name.find('\n'), std::string_view::npos);
    EXPECT_EQ(s.accepted.find('\n'), std::string::npos) << s.name;
  }
}

TEST(ConfigTable, SeedSettingsComeFirstInTheSeedsOrder) {
  ASSERT_GT(settings().size(), kSeedSettings.size());
  for (std::size_t i = 0; i < kSeedSettings.size(); ++i) {
    EXPECT_EQ(settings()[i].name, kSeedSettings[i]) << i;
  }
}

TEST(ConfigTable, SecretsAreMarkedSecret) {
  for (const char* name :
       {"TMDB_KEY", "INTERNAL_TOKEN", "REDIS_URL", "RATELIMIT_STORAGE_URI", "HTTPS_PROXY"}) {
    const Setting* s = find_setting(name);
    ASSERT_NE(s, nullptr) << name;
    EXPECT_TRUE(s->secret) << name;
  }
  for (const char* name : {"PORT", "FLASK_ENV", "TMDB_BASE_URL", "LBREC_DATA_DIR"}) {
    const Setting* s = find_setting(name);
    ASSERT_NE(s, nullptr) << name;
    EXPECT_FALSE(s->secret) << name;
  }
}

TEST(ConfigTable, DescribeHasOneLinePerSettingInTableOrder) {
  const auto lines = describe(parse_ok({}));
  ASSERT_EQ(lines.size(), settings().size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string prefix = std::string(settings()[i].name) + "=";
    EXPECT_EQ(lines[i].rfind(prefix, 0), 0u) << lines[i];
    EXPECT_EQ(lines[i].find('\n'), std::string::npos) << lines[i];
  }
}

// ---------------------------------------------------------------------------------------------
// Valid overrides

TEST(ConfigOverrides, ValidValuesParse) {
  const Config c = parse_ok({
      {"TMDB_KEY", "abc123"},
      {"PORT", "9000"},
      {"FLASK_ENV", "development"},
      {"LOCAL_DEV", "yes"},
      {"MIN_RECOMMEND_RATING", "6.5"},
      {"LETTERBOXD_CIRCUIT_FAILURE_THRESHOLD", "3"},
      {"LETTERBOXD_CIRCUIT_COOLDOWN_S", "0"},
      {"CACHE_MAX_SIZE", "50"},
      {"STREAM_MAX_AGE_S", "0.5"},
      {"SSE_QUEUE_MAXSIZE", "10"},
      {"SCRAPE_POOL_SIZE", "2"},
      {"WORK_POOL_SIZE", "3"},
      {"PIPELINE_POOL_SIZE", "1"},
      {"JOB_RESULT_TTL", "60"},
      {"LETTERBOXD_HTTP_TIMEOUT", "2.5"},
      {"TMDB_HTTP_TIMEOUT", "3"},
      {"CAMOUFOX_TIMEOUT", "30"},
      {"CAMOUFOX_MAX_CONCURRENT", "0"},
      {"HTTP_POOL_MAXSIZE", "4"},
      {"LETTERBOXD_RETRY_SLEEP_S", "0"},
      {"LETTERBOXD_THROTTLE_SLEEP_S", "0.01"},
      {"SIMILAR_RESULTS_PER_FILM", "15"},
      {"INTERNAL_TOKEN", "s3cr3t"},
      {"LETTERBOXD_BASE_URL", "http://127.0.0.1:18080"},
      {"TMDB_BASE_URL", "http://localhost:18081"},
      {"JUSTWATCH_URL", "https://example.test/graphql"},
      {"LBREC_DATA_DIR", "/var/lib/lbrec"},
      {"TMDB_RATE_LIMIT", "1000"},
      {"TRUST_PROXY", "true"},
  });
  EXPECT_EQ(c.tmdb_key, "abc123");
  EXPECT_EQ(c.port, 9000);
  EXPECT_EQ(c.flask_env, "development");
  EXPECT_TRUE(c.local_dev);
  EXPECT_DOUBLE_EQ(c.min_recommend_rating, 6.5);
  EXPECT_EQ(c.letterboxd_circuit_failure_threshold, 3);
  EXPECT_DOUBLE_EQ(c.letterboxd_circuit_cooldown_s, 0);
  EXPECT_EQ(c.cache_max_size, 50);
  EXPECT_DOUBLE_EQ(c.stream_max_age_s, 0.5);
  EXPECT_EQ(c.sse_queue_maxsize, 10);
  EXPECT_EQ(c.scrape_pool_size, 2);
  EXPECT_EQ(c.work_pool_size, 3);
  EXPECT_EQ(c.pipeline_pool_size, 1);
  EXPECT_DOUBLE_EQ(c.job_result_ttl, 60);
  EXPECT_DOUBLE_EQ(c.letterboxd_http_timeout, 2.5);
  EXPECT_DOUBLE_EQ(c.tmdb_http_timeout, 3);
  EXPECT_DOUBLE_EQ(c.camoufox_timeout, 30);
  EXPECT_EQ(c.camoufox_max_concurrent, 0);
  EXPECT_EQ(c.http_pool_maxsize, 4);
  EXPECT_DOUBLE_EQ(c.letterboxd_retry_sleep_s, 0);
  EXPECT_DOUBLE_EQ(c.letterboxd_throttle_sleep_s, 0.01);
  EXPECT_EQ(c.similar_results_per_film, 15);
  EXPECT_EQ(c.internal_token, "s3cr3t");
  EXPECT_EQ(c.letterboxd_base_url, "http://127.0.0.1:18080");
  EXPECT_EQ(c.tmdb_base_url, "http://localhost:18081");
  EXPECT_EQ(c.justwatch_url, "https://example.test/graphql");
  EXPECT_EQ(c.data_dir, "/var/lib/lbrec");
  EXPECT_DOUBLE_EQ(c.tmdb_rate_limit, 1000);
  EXPECT_TRUE(c.trust_proxy);
}

TEST(ConfigOverrides, PortBoundsAreInclusive) {
  EXPECT_EQ(parse_ok({{"PORT", "1"}}).port, 1);
  EXPECT_EQ(parse_ok({{"PORT", "65535"}}).port, 65535);
}

TEST(ConfigOverrides, SurroundingWhiteSpaceIsIgnored) {
  EXPECT_EQ(parse_ok({{"PORT", "  9090 \t"}}).port, 9090);
  EXPECT_EQ(parse_ok({{"FLASK_ENV", " development\n"}}).flask_env, "development");
}

TEST(ConfigOverrides, ChoicesAreCaseInsensitiveAndStoredLowerCase) {
  EXPECT_EQ(parse_ok({{"FLASK_ENV", "Development"}}).flask_env, "development");
  EXPECT_EQ(parse_ok({{"FLASK_ENV", "PRODUCTION"}}).flask_env, "production");
}

TEST(ConfigOverrides, BooleanSpellings) {
  for (const char* yes : {"true", "TRUE", "1", "yes", "on", "On"}) {
    EXPECT_TRUE(parse_ok({{"TRUST_PROXY", yes}}).trust_proxy) << yes;
  }
  for (const char* no : {"false", "False", "0", "no", "off", "OFF"}) {
    EXPECT_FALSE(parse_ok({{"TRUST_PROXY", no}}).trust_proxy) << no;
  }
}

TEST(ConfigOverrides, RatingBoundsAreInclusive) {
  EXPECT_DOUBLE_EQ(parse_ok({{"MIN_RECOMMEND_RATING", "0"}}).min_recommend_rating, 0);
  EXPECT_DOUBLE_EQ(parse_ok({{"MIN_RECOMMEND_RATING", "10"}}).min_recommend_rating, 10);
}

TEST(ConfigOverrides, RedisAndUnixUrlsAreAccepted) {
  EXPECT_EQ(parse_ok({{"REDIS_URL", "redis://localhost:6379/0"}}).redis_url,
            "redis://localhost:6379/0");
  EXPECT_EQ(parse_ok({{"REDIS_URL", "rediss://cache.example:6380"}}).redis_url,
            "rediss://cache.example:6380");
  EXPECT_EQ(parse_ok({{"REDIS_URL", "unix:///run/redis.sock"}}).redis_url,
            "unix:///run/redis.sock");
  EXPECT_EQ(parse_ok({{"RATELIMIT_STORAGE_URI", "memory://"}}).ratelimit_storage_uri, "memory://");
}

TEST(ConfigOverrides, UnknownVariablesAreIgnored) {
  const Config c = parse_ok({{"PATH", "/usr/bin"}, {"SOMETHING_ELSE", "x y z"}, {"port", "abc"}});
  EXPECT_EQ(c.port, 8080);  // names are case-sensitive: "port" is not PORT
}

TEST(ConfigOverrides, EmptyAndBlankValuesKeepDefaults) {
  Vars vars;
  for (const Setting& s : settings())
    vars[std::string(s.name)] = "";
  vars["PORT"] = "   ";
  vars["HOME"] = "/home/someone";
  const Config c = parse_ok(vars);
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.flask_env, "production");
  EXPECT_DOUBLE_EQ(c.min_recommend_rating, 7.0);
  EXPECT_EQ(c.letterboxd_base_url, "https://letterboxd.com");
  EXPECT_EQ(c.ratelimit_storage_uri, "memory://");
  EXPECT_EQ(c.data_dir, "/home/someone/.local/share/lbrec");
  EXPECT_TRUE(c.tmdb_key.empty());
}

// ---------------------------------------------------------------------------------------------
// Invalid values

struct BadValue {
  const char* name;
  const char* value;
};

void PrintTo(const BadValue& b, std::ostream* os) {
  *os << b.name << "=" << b.value;
}

class ConfigBadValue : public ::testing::TestWithParam<BadValue> {};

TEST_P(ConfigBadValue, FailsWithOneLineNamingTheVariableAndAcceptedValues) {
  const BadValue bad = GetParam();
  const Error err = parse_err({{bad.name, bad.value}});
  EXPECT_EQ(err.code, ErrorCode::kConfigError);
  EXPECT_FALSE(err.retryable);
  EXPECT_EQ(err.message.find('\n'), std::string::npos) << err.message;
  EXPECT_EQ(err.message.find('\r'), std::string::npos) << err.message;
  EXPECT_NE(err.message.find(bad.name), std::string::npos) << err.message;
  const Setting* s = find_setting(bad.name);
  ASSERT_NE(s, nullptr);
  EXPECT_NE(err.message.find(s->accepted), std::string::npos) << err.message;
}

INSTANTIATE_TEST_SUITE_P(
    BadValues, ConfigBadValue,
    ::testing::Values(
        BadValue{"PORT", "abc"}, BadValue{"PORT", "0"}, BadValue{"PORT", "70000"},
        BadValue{"PORT", "-1"}, BadValue{"PORT", "80.5"}, BadValue{"PORT", "8080x"},
        BadValue{"PORT", "99999999999999999999"}, BadValue{"JOB_RESULT_TTL", "-5"},
        BadValue{"JOB_RESULT_TTL", "0"},  // must be greater than 0
        BadValue{"STREAM_MAX_AGE_S", "nan"}, BadValue{"LETTERBOXD_HTTP_TIMEOUT", "inf"},
        BadValue{"FLASK_ENV", "staging"}, BadValue{"FLASK_ENV", "dev"},
        BadValue{"MIN_RECOMMEND_RATING", "11"}, BadValue{"MIN_RECOMMEND_RATING", "-0.1"},
        BadValue{"TRUST_PROXY", "maybe"}, BadValue{"LOCAL_DEV", "2"},
        BadValue{"TMDB_BASE_URL", "ftp://x"}, BadValue{"TMDB_BASE_URL", "not a url"},
        BadValue{"TMDB_BASE_URL", "api.themoviedb.org"}, BadValue{"LETTERBOXD_BASE_URL", "http://"},
        BadValue{"JUSTWATCH_URL", "/graphql"}, BadValue{"REDIS_URL", "http://x"},
        BadValue{"RATELIMIT_STORAGE_URI", "https://example.com"}, BadValue{"SCRAPE_POOL_SIZE", "0"},
        BadValue{"SCRAPE_POOL_SIZE", "1025"}, BadValue{"CAMOUFOX_MAX_CONCURRENT", "-1"},
        BadValue{"CAMOUFOX_MAX_CONCURRENT", "65"}, BadValue{"CACHE_MAX_SIZE", "0"},
        BadValue{"SIMILAR_RESULTS_PER_FILM", "501"}, BadValue{"TMDB_RATE_LIMIT", "0"},
        BadValue{"TMDB_RATE_LIMIT", "1001"}, BadValue{"LETTERBOXD_RETRY_SLEEP_S", "-0.4"},
        BadValue{"LBREC_DATA_DIR", "/tmp/a\x01z"}, BadValue{"TMDB_KEY", "has space"},
        BadValue{"INTERNAL_TOKEN", "tab\there"}),
    [](const ::testing::TestParamInfo<BadValue>& p) {
      return std::string(p.param.name) + "_" + std::to_string(p.index);
    });

TEST(ConfigInvalid, MessageQuotesTheOffendingPublicValue) {
  const Error err = parse_err({{"PORT", "abc"}});
  EXPECT_EQ(err.message, "invalid PORT='abc': expected an integer from 1 to 65535");
}

TEST(ConfigInvalid, MessageStaysOneLineEvenWhenTheValueHasLineBreaks) {
  // A double-quoted .env value can carry "\n"; the error must still be a single log line.
  for (const char* value : {"dev\nelopment", "stag\ring", "a\x1b[31mred"}) {
    const Error err = parse_err({{"FLASK_ENV", value}});
    EXPECT_EQ(err.code, ErrorCode::kConfigError);
    EXPECT_EQ(err.message.find('\n'), std::string::npos) << err.message;
    EXPECT_EQ(err.message.find('\r'), std::string::npos) << err.message;
    EXPECT_EQ(err.message.find('\x1b'), std::string::npos) << err.message;
    EXPECT_NE(err.message.find("FLASK_ENV"), std::string::npos) << err.message;
  }
  // Control characters are shown escaped, so the operator still sees what was wrong.
  EXPECT_EQ(parse_err({{"FLASK_ENV", "dev\nelopment"}}).message,
            "invalid FLASK_ENV='dev\\x0aelopment': expected one of development or production");
}

TEST(ConfigInvalid, LongValuesAreTruncatedInTheMessage) {
  const std::string value(500, 'x');
  const Error err = parse_err({{"FLASK_ENV", value}});
  EXPECT_LT(err.message.size(), 200u) << err.message;
  EXPECT_NE(err.message.find("..."), std::string::npos) << err.message;
}

TEST(ConfigInvalid, OverlongValueIsRejectedEvenWhereAnythingGoes) {
  // LBREC_DATA_DIR accepts any path, but a value over 4096 bytes is refused.
  const Error err = parse_err({{"LBREC_DATA_DIR", "/" + std::string(5000, 'd')}});
  EXPECT_EQ(err.code, ErrorCode::kConfigError);
  EXPECT_NE(err.message.find("LBREC_DATA_DIR"), std::string::npos);
  EXPECT_TRUE(parse_config({{"LBREC_DATA_DIR", "/" + std::string(4000, 'd')}}).has_value());
}

TEST(ConfigInvalid, TheFirstInvalidSettingInTableOrderIsReported) {
  const Error err = parse_err({{"TRUST_PROXY", "maybe"}, {"PORT", "abc"}});
  EXPECT_NE(err.message.find("PORT"), std::string::npos) << err.message;
  EXPECT_EQ(err.message.find("TRUST_PROXY"), std::string::npos) << err.message;
}

// ---------------------------------------------------------------------------------------------
// Secrets

TEST(ConfigSecrets, InvalidSecretValuesAreNotEchoed) {
  const std::string key = "sup3r-s3cret key";  // the space makes it invalid
  Error err = parse_err({{"TMDB_KEY", key}});
  EXPECT_NE(err.message.find("TMDB_KEY"), std::string::npos);
  EXPECT_EQ(err.message.find("sup3r"), std::string::npos) << err.message;
  EXPECT_EQ(err.message.find("s3cret"), std::string::npos) << err.message;

  err = parse_err({{"INTERNAL_TOKEN", "hunter2\x01"}});
  EXPECT_NE(err.message.find("INTERNAL_TOKEN"), std::string::npos);
  EXPECT_EQ(err.message.find("hunter2"), std::string::npos) << err.message;

  err = parse_err({{"REDIS_URL", "http://user:pa55word@redis.example:6379"}});
  EXPECT_NE(err.message.find("REDIS_URL"), std::string::npos);
  EXPECT_EQ(err.message.find("pa55word"), std::string::npos) << err.message;
  EXPECT_EQ(err.message.find("redis.example"), std::string::npos) << err.message;

  err = parse_err({{"RATELIMIT_STORAGE_URI", "https://:pa55word@redis.example"}});
  EXPECT_EQ(err.message.find("pa55word"), std::string::npos) << err.message;
}

TEST(ConfigSecrets, ErrorsInOtherSettingsDoNotLeakSecrets) {
  const Error err = parse_err({{"TMDB_KEY", "k3y-value"},
                               {"INTERNAL_TOKEN", "t0ken-value"},
                               {"REDIS_URL", "redis://:pa55word@redis.example:6379/0"},
                               {"PORT", "abc"}});
  EXPECT_NE(err.message.find("PORT"), std::string::npos);
  for (const char* secret : {"k3y-value", "t0ken-value", "pa55word"}) {
    EXPECT_EQ(err.message.find(secret), std::string::npos) << err.message;
  }
}

TEST(ConfigSecrets, DescribeHidesTokensAndRedisPasswords) {
  const Config c = parse_ok({{"TMDB_KEY", "k3y-value"},
                             {"INTERNAL_TOKEN", "t0ken-value"},
                             {"REDIS_URL", "redis://default:pa55word@redis.example:6379/0"}});
  ASSERT_EQ(c.tmdb_key, "k3y-value");
  ASSERT_EQ(c.ratelimit_storage_uri, c.redis_url);  // the password is in both
  const auto lines = describe(c);
  const std::string all = joined(lines);
  for (const char* secret : {"k3y-value", "t0ken-value", "pa55word", "default:"}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret << " leaked in\n" << all;
  }
  const std::set<std::string> set(lines.begin(), lines.end());
  EXPECT_TRUE(set.count("TMDB_KEY=(set)")) << all;
  EXPECT_TRUE(set.count("INTERNAL_TOKEN=(set)")) << all;
  // The host stays visible so an operator can tell which Redis is in use.
  EXPECT_TRUE(set.count("REDIS_URL=redis://***@redis.example:6379/0")) << all;
  EXPECT_TRUE(set.count("RATELIMIT_STORAGE_URI=redis://***@redis.example:6379/0")) << all;
}

TEST(ConfigSecrets, DescribeHidesRedisPasswordGivenInTheQuery) {
  // redis-py also accepts ?password=...; such a URL must not be shown verbatim either.
  const Config c = parse_ok({{"REDIS_URL", "redis://redis.example:6379/0?password=pa55word"}});
  const std::string all = joined(describe(c));
  EXPECT_EQ(all.find("pa55word"), std::string::npos) << all;
  EXPECT_NE(all.find("redis.example"), std::string::npos) << all;
}

TEST(ConfigSecrets, DescribeMasksBothUserInfoAndQuery) {
  const Config c =
      parse_ok({{"REDIS_URL", "rediss://u:pa55word@redis.example:6380/1?ssl_cert_reqs=none"}});
  const auto lines = describe(c);
  const std::set<std::string> set(lines.begin(), lines.end());
  EXPECT_TRUE(set.count("REDIS_URL=rediss://***@redis.example:6380/1?***")) << joined(lines);
}

TEST(ConfigSecrets, DescribeShowsRedisUrlWithoutCredentialsAsIs) {
  const Config c = parse_ok({{"REDIS_URL", "redis://localhost:6379/0"}});
  const auto lines = describe(c);
  const std::set<std::string> set(lines.begin(), lines.end());
  EXPECT_TRUE(set.count("REDIS_URL=redis://localhost:6379/0")) << joined(lines);
}

// ---------------------------------------------------------------------------------------------
// Derived defaults

TEST(ConfigDerived, RateLimitStorageFollowsRedisUrl) {
  EXPECT_EQ(parse_ok({}).ratelimit_storage_uri, "memory://");
  EXPECT_EQ(parse_ok({{"REDIS_URL", "redis://cache:6379/1"}}).ratelimit_storage_uri,
            "redis://cache:6379/1");
  EXPECT_EQ(parse_ok({{"REDIS_URL", ""}}).ratelimit_storage_uri, "memory://");
}

TEST(ConfigDerived, ExplicitRateLimitStorageWins) {
  const Config c =
      parse_ok({{"REDIS_URL", "redis://cache:6379/1"}, {"RATELIMIT_STORAGE_URI", "memory://"}});
  EXPECT_EQ(c.redis_url, "redis://cache:6379/1");
  EXPECT_EQ(c.ratelimit_storage_uri, "memory://");
}

TEST(ConfigDerived, DataDirPrefersXdgThenHome) {
  EXPECT_EQ(parse_ok({{"XDG_DATA_HOME", "/xdg"}, {"HOME", "/home/u"}}).data_dir, "/xdg/lbrec");
  EXPECT_EQ(parse_ok({{"HOME", "/home/u"}}).data_dir, "/home/u/.local/share/lbrec");
  EXPECT_EQ(parse_ok({{"XDG_DATA_HOME", ""}, {"HOME", "/home/u"}}).data_dir,
            "/home/u/.local/share/lbrec");
  EXPECT_FALSE(parse_ok({}).data_dir.empty());  // some relative fallback without HOME
}

TEST(ConfigDerived, ExplicitDataDirWins) {
  EXPECT_EQ(
      parse_ok({{"LBREC_DATA_DIR", "/data"}, {"XDG_DATA_HOME", "/xdg"}, {"HOME", "/h"}}).data_dir,
      "/data");
}

TEST(ConfigDerived, IsDev) {
  EXPECT_FALSE(parse_ok({}).is_dev());
  EXPECT_TRUE(parse_ok({{"FLASK_ENV", "development"}}).is_dev());
  EXPECT_TRUE(parse_ok({{"LOCAL_DEV", "true"}}).is_dev());
  EXPECT_TRUE(parse_ok({{"FLASK_ENV", "production"}, {"LOCAL_DEV", "true"}}).is_dev());
  EXPECT_FALSE(parse_ok({{"FLASK_ENV", "production"}, {"LOCAL_DEV", "false"}}).is_dev());
}

TEST(ConfigDerived, DescribeRoundTripsThroughParse) {
  // Every non-secret line describe() prints can be fed back to parse_config unchanged.
  const Config original = parse_ok({{"PORT", "9001"},
                                    {"MIN_RECOMMEND_RATING", "6.25"},
                                    {"LETTERBOXD_RETRY_SLEEP_S", "0.1"},
                                    {"TRUST_PROXY", "on"},
                                    {"LBREC_DATA_DIR", "/d"},
                                    {"TMDB_BASE_URL", "http://localhost:1"}});
  Vars vars;
  for (const std::string& line : describe(original)) {
    const auto eq = line.find('=');
    ASSERT_NE(eq, std::string::npos);
    const std::string name = line.substr(0, eq);
    const Setting* s = find_setting(name);
    ASSERT_NE(s, nullptr);
    if (s->secret) continue;
    vars[name] = line.substr(eq + 1);
  }
  const Config again = parse_ok(vars);
  EXPECT_EQ(describe(again), describe(original));
}

}  // namespace
}  // namespace lbrec::core

namespace lbrec::core {
namespace {

TEST(ConfigAliases, BrowserNamesAreAcceptedForTheCamoufoxSettings) {
  auto c = parse_config({{"BROWSER_TIMEOUT", "35"}, {"BROWSER_MAX_CONCURRENT", "2"}});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->camoufox_timeout, 35);
  EXPECT_EQ(c->camoufox_max_concurrent, 2);
  // The seed's name wins when both are set.
  c = parse_config({{"CAMOUFOX_TIMEOUT", "10"}, {"BROWSER_TIMEOUT", "35"}});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->camoufox_timeout, 10);
}

TEST(ConfigAliases, ErrorsNameTheVariableThatWasActuallySet) {
  const auto c = parse_config({{"BROWSER_MAX_CONCURRENT", "lots"}});
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("invalid BROWSER_MAX_CONCURRENT="), std::string::npos);
}

TEST(ConfigAliases, ProxyComesFromHttpsProxyThenAllProxy) {
  auto c = parse_config({{"ALL_PROXY", "socks5h://127.0.0.1:9050"}});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->letterboxd_proxy, "socks5h://127.0.0.1:9050");
  c = parse_config(
      {{"ALL_PROXY", "socks5h://127.0.0.1:9050"}, {"HTTPS_PROXY", "http://proxy:3128"}});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->letterboxd_proxy, "http://proxy:3128");
  c = parse_config({{"https_proxy", "ftp://nope"}});
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("https_proxy"), std::string::npos);
}

TEST(ConfigScrapeSettings, DefaultsFollowTheSeed) {
  const auto c = parse_config({});
  ASSERT_TRUE(c.has_value());
  EXPECT_DOUBLE_EQ(c->letterboxd_min_interval_s, 0.15);
  EXPECT_EQ(c->letterboxd_burst, 5);
  EXPECT_EQ(parse_config({{"LETTERBOXD_BURST", "1"}})->letterboxd_burst, 1);
  EXPECT_FALSE(parse_config({{"LETTERBOXD_BURST", "0"}}).has_value());
  EXPECT_FALSE(parse_config({{"LETTERBOXD_BURST", "21"}}).has_value());
  EXPECT_DOUBLE_EQ(c->profile_fresh_ttl_s, 1800);
  EXPECT_DOUBLE_EQ(c->profile_stale_ttl_s, 604800);
  EXPECT_EQ(c->browser_path, "/usr/bin/chromium");
  EXPECT_TRUE(c->letterboxd_proxy.empty());
  EXPECT_FALSE(parse_config({{"LETTERBOXD_MIN_INTERVAL_S", "-1"}}).has_value());
  EXPECT_FALSE(parse_config({{"PROFILE_STALE_TTL_S", "-5"}}).has_value());
}

}  // namespace
}  // namespace lbrec::core
