#include "sources/streaming/streaming_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "core/strings.hpp"
#include "domain/country.hpp"
#include "engine/title.hpp"
#include "sources/json_fields.hpp"
#include "sources/streaming/tmdb_providers_json.hpp"

namespace lbrec::sources::streaming {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr int kCacheVersion = 1;

// Films without a TMDB id are keyed by their normalised title and year instead, so two of them
// never share an entry.
std::string cache_key(const FilmKey& film, std::string_view country) {
  if (film.tmdb_id > 0) return fmt::format("streaming:{}:{}", film.tmdb_id, country);
  return fmt::format("streaming:title:{}:{}:{}", engine::normalize_title(film.title),
                     film.year.value_or(0), country);
}

std::string encode_answer(const domain::Availability& a) {
  return json::serialize(json::object{{"v", kCacheVersion},
                                      {"s", domain::to_string(a.source)},
                                      {"f", a.lookup_failed},
                                      {"o", encode_offers(a.offers)}});
}

// A corrupt or foreign entry is a miss.
std::optional<domain::Availability> decode_answer(std::string_view text, std::string country) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.get_object();
  const auto* version = o.if_contains("v");
  const auto* source = o.if_contains("s");
  const auto* failed = o.if_contains("f");
  const auto* offers = o.if_contains("o");
  if (version == nullptr || !version->is_int64() || version->get_int64() != kCacheVersion ||
      source == nullptr || !source->is_string() || failed == nullptr || !failed->is_bool() ||
      offers == nullptr) {
    return std::nullopt;
  }
  domain::Availability a;
  a.country = std::move(country);
  a.lookup_failed = failed->get_bool();
  for (const auto s : {domain::StreamingSource::kJustWatch, domain::StreamingSource::kTmdb}) {
    if (source->get_string() == domain::to_string(s)) a.source = s;
  }
  a.offers = decode_offers(*offers);
  return a;
}

}  // namespace

const JustWatchTitle* match_title(const std::vector<JustWatchTitle>& hits, const FilmKey& film) {
  if (film.tmdb_id > 0) {
    for (const JustWatchTitle& t : hits) {
      if (t.object_type == "MOVIE" && t.tmdb_id == film.tmdb_id) return &t;
    }
  }
  const std::string wanted = engine::normalize_title(film.title);
  if (wanted.empty()) return nullptr;
  for (const JustWatchTitle& t : hits) {
    if (t.object_type != "MOVIE") continue;
    if (film.tmdb_id > 0 && t.tmdb_id > 0) continue;  // a different film of the same name
    if (engine::normalize_title(t.title) != wanted) continue;
    if (film.year && t.year && std::abs(*film.year - *t.year) > 1) continue;
    return &t;
  }
  return nullptr;
}

StreamingService::StreamingService(JustWatchClient* justwatch, TmdbProvidersFn tmdb,
                                   store::Cache& cache, StreamingSettings settings,
                                   const core::Clock& clock)
    : justwatch_(justwatch),
      tmdb_(std::move(tmdb)),
      cache_(cache),
      settings_(settings),
      breaker_(settings.breaker_threshold, settings.breaker_cooldown, clock) {}

asio::awaitable<domain::Availability> StreamingService::availability(
    FilmKey film, std::string country, std::optional<domain::ProviderTable> known_tmdb) {
  const auto found = domain::find_country(country);
  if (!found) {
    domain::Availability unknown;
    unknown.country = core::to_upper_ascii(core::trim(country));
    unknown.lookup_failed = true;
    co_return unknown;
  }
  std::string code(found->code);
  std::string key = cache_key(film, code);
  if (auto entry = co_await cache_.get(key)) {
    if (auto cached = decode_answer(entry->value, code)) {
      ++cache_hits_;
      co_return std::move(*cached);
    }
  }
  std::function<asio::awaitable<domain::Availability>()> work =
      [this, key, film, code, known_tmdb] { return lookup(key, film, code, known_tmdb); };
  co_return co_await flights_.run(key, std::move(work));
}

asio::awaitable<domain::Availability> StreamingService::lookup(
    std::string key, FilmKey film, std::string country,
    std::optional<domain::ProviderTable> known_tmdb) {
  domain::Availability answer;
  answer.country = country;
  std::optional<std::vector<domain::StreamingOffer>> offers = co_await ask_justwatch(film, country);
  if (offers) {
    answer.source = domain::StreamingSource::kJustWatch;
  } else {
    offers = co_await ask_tmdb(film.tmdb_id, country, std::move(known_tmdb));
    if (offers) answer.source = domain::StreamingSource::kTmdb;
  }
  if (offers) {
    answer.offers = std::move(*offers);
  } else {
    answer.lookup_failed = true;
  }
  co_await remember(key, answer);
  co_return answer;
}

asio::awaitable<std::optional<std::vector<domain::StreamingOffer>>> StreamingService::ask_justwatch(
    FilmKey film, std::string country) {
  if (!settings_.justwatch_enabled || justwatch_ == nullptr || film.title.empty()) {
    co_return std::nullopt;
  }
  if (!breaker_.allow()) co_return std::nullopt;
  ++justwatch_calls_;
  auto hits = co_await justwatch_->search(film.title, country, settings_.justwatch_results);
  if (!hits) {
    const bool was_open = breaker_.snapshot().letterboxd_circuit_open;
    breaker_.record_failure(0);
    const net::BreakerSnapshot now = breaker_.snapshot();
    if (now.letterboxd_circuit_open && !was_open) {
      spdlog::warn(
          "event=justwatch_circuit_open consecutive_failures={} retry_after_s={} error={} "
          "fallback=tmdb",
          now.letterboxd_consecutive_failures, now.letterboxd_circuit_retry_after_s,
          core::to_string(hits.error().code));
    }
    co_return std::nullopt;
  }
  breaker_.record_success(200);
  const JustWatchTitle* match = match_title(*hits, film);
  if (match == nullptr) co_return std::nullopt;
  co_return match->offers;
}

asio::awaitable<std::optional<std::vector<domain::StreamingOffer>>> StreamingService::ask_tmdb(
    int tmdb_id, std::string country, std::optional<domain::ProviderTable> known_tmdb) {
  if (!known_tmdb) {
    if (!tmdb_ || tmdb_id <= 0) co_return std::nullopt;
    ++tmdb_calls_;
    core::Result<domain::ProviderTable> fetched = co_await tmdb_(tmdb_id);
    if (fetched) {
      known_tmdb = std::move(*fetched);
    } else if (fetched.error().code == core::ErrorCode::kNotFound) {
      known_tmdb.emplace();  // TMDB has no such movie: an answer, and it streams nowhere
    } else {
      co_return std::nullopt;
    }
  }
  ++tmdb_fallbacks_;
  const auto it = known_tmdb->find(country);
  if (it == known_tmdb->end()) co_return std::vector<domain::StreamingOffer>{};
  co_return std::move(it->second);
}

asio::awaitable<void> StreamingService::remember(std::string key, domain::Availability answer) {
  const std::chrono::seconds ttl =
      answer.lookup_failed ? settings_.failed_ttl : settings_.found_ttl;
  co_await cache_.put(key, encode_answer(answer), ttl);
}

}  // namespace lbrec::sources::streaming
