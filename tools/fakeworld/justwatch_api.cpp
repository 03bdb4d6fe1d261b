#include "justwatch_api.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <regex>
#include <set>

#include "core/strings.hpp"
#include "providers.hpp"

namespace lbrec::fakeworld {
namespace json = boost::json;

namespace {

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buf >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buf << (6 - bits)) & 0x3F];
  while (out.size() % 4)
    out += '=';
  return out;
}

int object_id(const Film& f) {
  return 10000 + f.index * 3;
}

std::string_view currency(std::string_view country) {
  if (country == "US") return "USD";
  if (country == "GB") return "GBP";
  if (country == "CA") return "CAD";
  if (country == "AU") return "AUD";
  if (country == "NZ") return "NZD";
  if (country == "JP") return "JPY";
  if (country == "KR") return "KRW";
  if (country == "IN") return "INR";
  if (country == "BR") return "BRL";
  if (country == "MX") return "MXN";
  if (country == "AR") return "ARS";
  if (country == "CL") return "CLP";
  if (country == "CO") return "COP";
  if (country == "PE") return "PEN";
  return "EUR";
}

std::string upper(std::string_view type) {
  std::string s(type);
  for (char& c : s)
    c = static_cast<char>((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
  return s;
}

json::array offers_json(const World& world, const Film& f, std::string_view country) {
  json::array out;
  for (const Offer& o : world.offers(f.index, country)) {
    const bool paid = o.type == "rent" || o.type == "buy";
    const double price = o.type == "rent" ? 3.99 : 12.99;
    out.push_back(json::object{
        {"__typename", "Offer"},
        {"id", base64(fmt::format("of|tm{}:{}:{}:{}:hd", object_id(f), country,
                                  o.provider->short_name, o.type))},
        {"monetizationType", upper(o.type)},
        {"presentationType", "HD"},
        {"retailPrice", paid ? json::value(fmt::format("{:.2f} {}", price, currency(country)))
                             : json::value(nullptr)},
        {"retailPriceValue", paid ? json::value(price) : json::value(nullptr)},
        {"currency", currency(country)},
        {"lastChangeRetailPriceValue", nullptr},
        {"type", "STANDARD"},
        {"package", json::object{{"__typename", "Package"},
                                 {"id", base64(fmt::format("pa|{}", o.provider->id))},
                                 {"packageId", o.provider->id},
                                 {"clearName", o.provider->name},
                                 {"technicalName", core::to_lower_ascii(o.provider->short_name)},
                                 {"shortName", o.provider->short_name},
                                 {"icon", fmt::format("/icon/{}/{{profile}}/{}.{{format}}",
                                                      o.provider->id, o.provider->short_name)}}},
        {"standardWebURL",
         fmt::format("https://example.invalid/{}/watch/{}", o.provider->short_name, f.slug)},
        {"elementCount", 0},
        {"availableTo", nullptr},
        {"deeplinkRoku", nullptr},
        {"subtitleLanguages", json::array{}},
        {"videoTechnology", json::array{}},
        {"audioTechnology", json::array{}},
        {"audioLanguages", json::array{}}});
  }
  return out;
}

json::object node_json(const World& world, const Film& f, std::string_view country) {
  json::array genres;
  for (int g : f.genre_ids) {
    genres.push_back(json::object{{"shortName", core::to_lower_ascii(genre_name(g).substr(0, 3))}});
  }
  return json::object{
      {"__typename", "Movie"},
      {"id", justwatch_node_id(f)},
      {"objectId", object_id(f)},
      {"objectType", "MOVIE"},
      {"content",
       json::object{
           {"__typename", "MovieContent"},
           {"title", f.title},
           {"fullPath", fmt::format("/{}/movie/{}", core::to_lower_ascii(country), f.slug)},
           {"originalReleaseYear", f.year ? json::value(f.year) : json::value(nullptr)},
           {"originalReleaseDate",
            f.release_date.empty() ? json::value(nullptr) : json::value(f.release_date)},
           {"runtime", f.runtime},
           {"shortDescription", f.overview},
           {"genres", std::move(genres)},
           {"externalIds", json::object{{"imdbId", f.imdb_id.empty() ? json::value(nullptr)
                                                                     : json::value(f.imdb_id)},
                                        {"tmdbId", std::to_string(f.tmdb_id)}}},
           {"posterUrl", fmt::format("/poster/{}/{{profile}}/{}.{{format}}", object_id(f), f.slug)},
           {"backdrops", json::array{}},
           {"scoring",
            json::object{
                {"imdbScore", f.vote_count ? json::value(std::round(f.vote_average * 10) / 10)
                                           : json::value(nullptr)},
                {"imdbVotes", f.vote_count * 12},
                {"tmdbPopularity", f.popularity},
                {"tmdbScore", f.vote_average},
                {"tomatoMeter", nullptr},
                {"certifiedFresh", nullptr},
                {"jwRating", nullptr}}},
           {"interactions", json::object{{"likelistAdditions", f.vote_count},
                                         {"dislikelistAdditions", f.vote_count / 10}}},
           {"ageCertification", nullptr}}},
      {"offers", offers_json(world, f, country)}};
}

FakeReply graphql_errors(int status, std::string_view message) {
  return FakeReply::json(status,
                         json::object{{"errors", json::array{json::object{{"message", message}}}}});
}

bool valid_country(std::string_view c) {
  return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

const Film* film_by_node(const World& world, std::string_view node_id) {
  if (!node_id.starts_with("tm")) return nullptr;
  const auto n = core::parse_int(node_id.substr(2));
  if (!n || *n < 10000 || (*n - 10000) % 3 != 0) return nullptr;
  const auto index = static_cast<std::size_t>((*n - 10000) / 3);
  return index < world.films().size() && !world.films()[index].is_tv ? &world.films()[index]
                                                                     : nullptr;
}

std::string string_var(const json::object& vars, std::string_view key) {
  const auto* v = vars.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

std::string justwatch_node_id(const Film& film) {
  return fmt::format("tm{}", object_id(film));
}

FakeReply serve_justwatch(const World& world, const FakeRequest& req, std::string& route) {
  route = "justwatch.other";
  if (req.method != "POST") return graphql_errors(405, "GraphQL requests must be POSTed");
  boost::system::error_code ec;
  const json::value body = json::parse(req.body, ec);
  if (ec || !body.is_object()) return graphql_errors(400, "Malformed JSON request body");
  const json::object& request = body.get_object();
  const std::string op =
      request.contains("operationName") && request.at("operationName").is_string()
          ? std::string(request.at("operationName").get_string())
          : std::string();
  static const json::object kEmpty;
  const json::object& vars = request.contains("variables") && request.at("variables").is_object()
                                 ? request.at("variables").get_object()
                                 : kEmpty;
  std::string country = string_var(vars, "country");
  if (country.empty()) country = "US";
  const std::string language = string_var(vars, "language");
  static const std::regex kLanguage("^[a-z]{2}(-[0-9A-Z]+)?$");
  if (!language.empty() && !std::regex_match(language, kLanguage)) {
    return graphql_errors(200,
                          fmt::format("Variable \"$language\" got invalid value \"{}\"", language));
  }

  if (op == "GetSearchTitles" || op == "GetPopularTitles") {
    route = "justwatch.search";
    if (!valid_country(country)) {
      return graphql_errors(
          200,
          fmt::format("Variable \"$country\" got invalid value \"{}\"; Expected type \"Country\"",
                      country));
    }
    const auto* first_v = vars.if_contains("first");
    const auto* offset_v = vars.if_contains("offset");
    const std::int64_t first = first_v && first_v->is_int64() ? first_v->get_int64() : 4;
    const std::int64_t offset = offset_v && offset_v->is_int64() ? offset_v->get_int64() : 0;
    if (first > kJustWatchMaxCount) return graphql_errors(200, "operation complexity too high");
    std::string query;
    for (const char* filter : {"searchTitlesFilter", "popularTitlesFilter"}) {
      if (const auto* f = vars.if_contains(filter); f && f->is_object())
        query = string_var(f->get_object(), "searchQuery");
    }
    json::array edges;
    if (first > 0 && offset >= 0 && first + offset <= kJustWatchMaxReachable) {
      std::vector<int> hits;
      if (!query.empty()) {
        hits = world.search(query, 0, 0);
      } else {
        for (const Film& f : world.films()) {
          if (!f.is_tv) hits.push_back(f.index);
        }
        std::stable_sort(hits.begin(), hits.end(), [&](int a, int b) {
          return world.films()[static_cast<std::size_t>(a)].popularity >
                 world.films()[static_cast<std::size_t>(b)].popularity;
        });
      }
      for (std::int64_t i = offset;
           i < offset + first && i < static_cast<std::int64_t>(hits.size()); ++i) {
        const Film& f = world.films()[static_cast<std::size_t>(hits[static_cast<std::size_t>(i)])];
        edges.push_back(json::object{{"__typename", "PopularTitlesEdge"},
                                     {"node", node_json(world, f, country)}});
      }
    }
    return FakeReply::json(
        200, json::object{{"data", json::object{{"popularTitles",
                                                 json::object{{"edges", std::move(edges)}}}}}});
  }
  if (op == "GetTitleNode") {
    route = "justwatch.node";
    if (!valid_country(country))
      return graphql_errors(200, "Variable \"$country\" got invalid value");
    const Film* f = film_by_node(world, string_var(vars, "nodeId"));
    return FakeReply::json(
        200,
        json::object{{"data", json::object{{"node", f ? json::value(node_json(world, *f, country))
                                                      : json::value(nullptr)}}}});
  }
  if (op == "GetTitleOffers") {
    route = "justwatch.offers";
    const Film* f = film_by_node(world, string_var(vars, "nodeId"));
    if (f == nullptr)
      return FakeReply::json(200, json::object{{"data", json::object{{"node", nullptr}}}});
    json::object node{{"__typename", "Movie"}, {"id", justwatch_node_id(*f)}};
    static const std::regex kAlias(
        R"(([A-Za-z0-9_]+)\s*:\s*offers\s*\(\s*country\s*:\s*([A-Za-z0-9_"]+))");
    const std::string query = request.contains("query") && request.at("query").is_string()
                                  ? std::string(request.at("query").get_string())
                                  : std::string();
    for (auto it = std::sregex_iterator(query.begin(), query.end(), kAlias);
         it != std::sregex_iterator(); ++it) {
      const std::string alias = (*it)[1].str();
      std::string code = (*it)[2].str();
      code.erase(std::remove(code.begin(), code.end(), '"'), code.end());
      if (!valid_country(code))
        return graphql_errors(200, fmt::format("Invalid country \"{}\"", code));
      node[alias] = offers_json(world, *f, code);
    }
    return FakeReply::json(200, json::object{{"data", json::object{{"node", std::move(node)}}}});
  }
  if (op == "GetProviders") {
    route = "justwatch.providers";
    if (!valid_country(country))
      return graphql_errors(200, "Variable \"$country\" got invalid value");
    json::array packages;
    for (const Provider* p : world.providers(country)) {
      json::array types;
      if (p->kind == Provider::kStore) {
        types = {json::string("RENT"), json::string("BUY")};
      } else {
        types = {json::string(p->kind == Provider::kFree  ? "FREE"
                              : p->kind == Provider::kAds ? "ADS"
                                                          : "FLATRATE")};
      }
      packages.push_back(json::object{
          {"__typename", "Package"},
          {"id", base64(fmt::format("pa|{}", p->id))},
          {"packageId", p->id},
          {"clearName", p->name},
          {"technicalName", core::to_lower_ascii(p->short_name)},
          {"shortName", p->short_name},
          {"monetizationTypes", std::move(types)},
          {"icon", fmt::format("/icon/{}/{{profile}}/{}.{{format}}", p->id, p->short_name)}});
    }
    return FakeReply::json(200,
                           json::object{{"data", json::object{{"packages", std::move(packages)}}}});
  }
  return graphql_errors(200, fmt::format("Unknown operation \"{}\"", op.substr(0, 80)));
}

}  // namespace lbrec::fakeworld
