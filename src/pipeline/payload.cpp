#include "pipeline/payload.hpp"

#include <fmt/ranges.h>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cmath>

#include "domain/movie.hpp"
#include "domain/streaming.hpp"

namespace lbrec::pipeline {
namespace {

namespace json = boost::json;

json::array string_array(const std::vector<std::string>& items) {
  json::array out;
  out.reserve(items.size());
  for (const std::string& s : items)
    out.emplace_back(s);
  return out;
}

// JSON has no NaN or infinity; a score computed from nothing must not make the payload invalid.
json::value number(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

double round3(double x) {
  return std::round(x * 1000.0) / 1000.0;
}

struct ErrorText {
  std::string_view error;
  std::string_view hint;
};

ErrorText error_text(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::kNotFound:
      return {"No movies found for this username.",
              "Check the spelling of the username and that the profile's films are public."};
    case ErrorCode::kBlocked:
    case ErrorCode::kRateLimited:
    case ErrorCode::kUnavailable:
      return {"Letterboxd is temporarily blocking our requests or is unavailable.",
              "Please try again in a few minutes."};
    case ErrorCode::kUnauthorized:
      return {"The TMDB API key is missing or was rejected by TMDB.",
              "The server's TMDB key needs to be checked by its operator."};
    case ErrorCode::kUpstreamError:
    case ErrorCode::kParseError:
      return {"An upstream service answered with something lbrec could not read.",
              "Please try again later."};
    case ErrorCode::kConfigError:
      return {"The service is not configured correctly.",
              "The server's configuration needs to be checked by its operator."};
    case ErrorCode::kInvalidInput:
      return {"Invalid request.", "Check the username and country and try again."};
    case ErrorCode::kInternal:
      break;
  }
  return {"Something went wrong while building recommendations.", "Please try again later."};
}

}  // namespace

json::object recommendation_json(const domain::Recommendation& rec, bool include_streaming) {
  const domain::MovieSummary& m = rec.movie;
  json::object o;
  o["tmdb_id"] = m.tmdb_id;
  o["title"] = m.title;
  o["original_title"] = m.original_title;
  const auto year = m.year();
  o["year"] = year ? std::to_string(*year) : std::string();
  o["director"] = fmt::format("{}", fmt::join(rec.directors, ", "));
  o["genres"] = string_array(rec.genres);
  if (m.poster_path.empty()) {
    o["poster"] = nullptr;
  } else {
    o["poster"] = domain::poster_url(m.poster_path);
  }
  o["rating_tmdb"] = number(m.vote_average);
  if (rec.runtime > 0) {
    o["runtime"] = rec.runtime;
  } else {
    o["runtime"] = nullptr;
  }

  const domain::Availability* where =
      include_streaming && rec.streaming ? &*rec.streaming : nullptr;
  o["streaming"] = where ? string_array(where->stream_names()) : json::array();
  o["reason"] = rec.reason;

  o["score"] = number(round3(rec.score));
  o["because"] = string_array(rec.because);
  o["vote_count"] = m.vote_count;
  o["popularity"] = number(m.popularity);
  o["release_date"] = m.release_date;
  o["on_watchlist"] = rec.on_watchlist;
  json::array offers;
  if (where) {
    offers.reserve(where->offers.size());
    for (const domain::StreamingOffer& offer : where->offers) {
      offers.emplace_back(
          json::object{{"provider", offer.provider}, {"type", domain::to_string(offer.type)}});
    }
  }
  o["streaming_offers"] = std::move(offers);
  o["streaming_rent"] = where ? string_array(where->rent_names()) : json::array();
  o["streaming_source"] = domain::to_string(where ? where->source : domain::StreamingSource::kNone);
  o["streaming_lookup_failed"] = where ? where->lookup_failed : false;
  return o;
}

json::object preferences_json(const domain::Preferences& prefs) {
  return json::object{{"genres", string_array(prefs.genres)},
                      {"directors", string_array(prefs.directors)},
                      {"decades", string_array(prefs.decades)},
                      {"genres_weighted", string_array(prefs.genres_weighted)},
                      {"directors_weighted", string_array(prefs.directors_weighted)},
                      {"decades_weighted", string_array(prefs.decades_weighted)}};
}

json::object result_payload(const JobResult& result, bool include_streaming) {
  json::object o;
  o["username"] = result.username;
  o["country_name"] = result.country_name;
  o["country_code"] = result.country_code;
  o["pages"] = result.pages;
  o["preferences"] = preferences_json(result.preferences);
  json::array recs;
  recs.reserve(result.recommendations.size());
  for (const domain::Recommendation& rec : result.recommendations) {
    recs.emplace_back(recommendation_json(rec, include_streaming));
  }
  o["recommendations"] = std::move(recs);
  if (result.stale) {
    const net::BreakerSnapshot incident = result.incident.value_or(net::BreakerSnapshot{});
    o["data_freshness"] = "stale_cache";
    o["hint"] = kStaleHint;
    o["incident"] = json::object{
        {"letterboxd_circuit_open", incident.letterboxd_circuit_open},
        {"letterboxd_circuit_retry_after_s", incident.letterboxd_circuit_retry_after_s}};
  }
  if (include_streaming) o["streaming_attribution"] = domain::kStreamingAttribution;
  o["stats"] = json::object{{"films", result.films},
                            {"identified", result.identified},
                            {"not_on_tmdb", result.not_on_tmdb},
                            {"seeds", result.seeds},
                            {"seeds_explored", result.seeds_explored}};
  return o;
}

json::object error_payload(const core::Error& error) {
  const ErrorText text = error_text(error.code);
  json::object o;
  // Invalid-input messages are written by lbrec's own validation for the person who sent the
  // request; every other kind may carry upstream text, so it stays in the logs.
  if (error.code == core::ErrorCode::kInvalidInput && !error.message.empty()) {
    o["error"] = error.message;
  } else {
    o["error"] = text.error;
  }
  o["hint"] = text.hint;
  o["code"] = core::to_string(error.code);
  return o;
}

}  // namespace lbrec::pipeline
