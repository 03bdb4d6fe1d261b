#include "sources/streaming/justwatch_json.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <climits>

#include "core/strings.hpp"
#include "sources/json_fields.hpp"
#include "sources/streaming/provider_names.hpp"

namespace lbrec::sources::streaming {

namespace json = boost::json;

namespace {

// The query simple-justwatch-python-api sends for search, trimmed to the fields lbrec reads.
constexpr std::string_view kSearchQuery = R"(query GetSearchTitles(
  $searchTitlesFilter: TitleFilter!,
  $country: Country!,
  $language: Language!,
  $first: Int!,
  $formatPoster: ImageFormat,
  $formatOfferIcon: ImageFormat,
  $profile: PosterProfile,
  $backdropProfile: BackdropProfile,
  $filter: OfferFilter!,
) {
  popularTitles(
    country: $country
    filter: $searchTitlesFilter
    first: $first
    sortBy: POPULAR
    sortRandomSeed: 0
  ) {
    edges {
      node {
        ...TitleDetails
        __typename
      }
      __typename
    }
    __typename
  }
}

fragment TitleDetails on MovieOrShow {
  id
  objectId
  objectType
  content(country: $country, language: $language) {
    title
    fullPath
    originalReleaseYear
    externalIds {
      imdbId
      tmdbId
      __typename
    }
    __typename
  }
  offers(country: $country, platform: WEB, filter: $filter) {
    monetizationType
    presentationType
    package {
      id
      packageId
      clearName
      shortName
      __typename
    }
    __typename
  }
  __typename
}
)";

std::vector<domain::StreamingOffer> read_offers(const json::value* offers) {
  std::vector<domain::StreamingOffer> out;
  if (offers == nullptr || !offers->is_array()) return out;
  for (const json::value& offer : offers->get_array()) {
    const auto type = domain::parse_monetization(text_of(member(&offer, "monetizationType")));
    if (!type) continue;  // CINEMA and whatever JustWatch adds next
    const json::value* package = member(&offer, "package");
    std::string name = normalize_provider_name(text_of(member(package, "clearName")));
    if (name.empty()) continue;
    const int id = int_of(member(package, "packageId")).value_or(0);
    out.push_back(domain::StreamingOffer{std::move(name), std::max(id, 0), *type});
  }
  domain::order_offers(out);
  return out;
}

JustWatchTitle read_node(const json::value& node) {
  JustWatchTitle t;
  const json::value* content = member(&node, "content");
  t.title = std::string(text_of(member(content, "title")));
  t.year = int_of(member(content, "originalReleaseYear"));
  t.object_type = std::string(text_of(member(&node, "objectType")));
  const json::value* tmdb = member(member(content, "externalIds"), "tmdbId");
  if (const auto id = core::parse_int(text_of(tmdb)); id && *id > 0 && *id <= INT_MAX) {
    t.tmdb_id = static_cast<int>(*id);
  } else if (const auto number = int_of(tmdb); number && *number > 0) {
    t.tmdb_id = *number;  // not seen upstream, but harmless to accept
  }
  t.offers = read_offers(member(&node, "offers"));
  return t;
}

// The first message of a GraphQL "errors" list, or what was there instead.
std::string first_error_message(const json::value& errors) {
  if (errors.is_array() && !errors.get_array().empty()) {
    const std::string_view message = text_of(member(&errors.get_array().front(), "message"));
    if (!message.empty()) return std::string(message.substr(0, 200));
  }
  return "errors in response";
}

}  // namespace

std::string search_request_body(std::string_view title, std::string_view country, int first) {
  const json::object variables{{"country", country},
                               {"language", "en"},
                               {"first", first},
                               {"formatPoster", "JPG"},
                               {"formatOfferIcon", "PNG"},
                               {"profile", "S718"},
                               {"backdropProfile", "S1920"},
                               {"searchTitlesFilter", json::object{{"searchQuery", title}}},
                               {"filter", json::object{{"bestOnly", true}}}};
  return json::serialize(json::object{
      {"operationName", "GetSearchTitles"}, {"variables", variables}, {"query", kSearchQuery}});
}

core::Result<std::vector<JustWatchTitle>> parse_search_response(std::string_view body) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    return core::fail(core::ErrorCode::kParseError, "justwatch: response is not a JSON object");
  }
  if (const json::value* errors = member(&parsed, "errors");
      errors != nullptr && !errors->is_null() &&
      !(errors->is_array() && errors->get_array().empty())) {
    return core::fail(core::ErrorCode::kUpstreamError,
                      "justwatch: " + first_error_message(*errors));
  }
  const json::value* edges = member(member(member(&parsed, "data"), "popularTitles"), "edges");
  if (edges == nullptr || !edges->is_array()) {
    return core::fail(core::ErrorCode::kParseError, "justwatch: no popularTitles.edges list");
  }
  std::vector<JustWatchTitle> titles;
  for (const json::value& edge : edges->get_array()) {
    const json::value* node = member(&edge, "node");
    if (node == nullptr || !node->is_object()) continue;
    titles.push_back(read_node(*node));
  }
  return titles;
}

}  // namespace lbrec::sources::streaming
