#include "sources/streaming/tmdb_providers_json.hpp"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <climits>
#include <string>

#include "core/strings.hpp"
#include "sources/json_fields.hpp"
#include "sources/streaming/provider_names.hpp"

namespace lbrec::sources::streaming {

namespace json = boost::json;

namespace {

struct Category {
  std::string_view key;
  domain::Monetization type;
};
// Display order: streams first, then rent, then buy.
constexpr std::array<Category, 5> kCategories = {{{"flatrate", domain::Monetization::kFlatrate},
                                                  {"free", domain::Monetization::kFree},
                                                  {"ads", domain::Monetization::kAds},
                                                  {"rent", domain::Monetization::kRent},
                                                  {"buy", domain::Monetization::kBuy}}};

struct Ranked {
  int priority;
  domain::StreamingOffer offer;
};

// The offers of one category of one country, by display_priority (entries without one last).
std::vector<domain::StreamingOffer> read_category(const json::value* list,
                                                  domain::Monetization type) {
  std::vector<Ranked> ranked;
  if (list != nullptr && list->is_array()) {
    for (const json::value& entry : list->get_array()) {
      std::string name = normalize_provider_name(text_of(member(&entry, "provider_name")));
      if (name.empty()) continue;
      const int id = int_of(member(&entry, "provider_id")).value_or(0);
      ranked.push_back(Ranked{int_of(member(&entry, "display_priority")).value_or(INT_MAX),
                              domain::StreamingOffer{std::move(name), std::max(id, 0), type}});
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Ranked& a, const Ranked& b) { return a.priority < b.priority; });
  std::vector<domain::StreamingOffer> out;
  out.reserve(ranked.size());
  for (Ranked& r : ranked)
    out.push_back(std::move(r.offer));
  return out;
}

bool is_country_code(std::string_view code) {
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  return code.size() == 2 && letter(code[0]) && letter(code[1]);
}

}  // namespace

domain::ProviderTable parse_provider_results(const json::object& results) {
  domain::ProviderTable table;
  for (const auto& [code, country] : results) {
    if (!is_country_code(code) || !country.is_object()) continue;
    std::vector<domain::StreamingOffer> offers;
    for (const Category& category : kCategories) {
      auto some = read_category(member(&country, category.key), category.type);
      offers.insert(offers.end(), std::make_move_iterator(some.begin()),
                    std::make_move_iterator(some.end()));
    }
    domain::order_offers(offers);
    if (offers.empty()) continue;
    table.insert_or_assign(core::to_upper_ascii(code), std::move(offers));
  }
  return table;
}

core::Result<domain::ProviderTable> parse_watch_providers_body(std::string_view body) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (ec) return core::fail(core::ErrorCode::kParseError, "watch/providers: not JSON");
  const json::value* results = member(&parsed, "results");
  if (results == nullptr || !results->is_object()) {
    return core::fail(core::ErrorCode::kParseError, "watch/providers: no results object");
  }
  return parse_provider_results(results->get_object());
}

json::array encode_offers(const std::vector<domain::StreamingOffer>& offers) {
  json::array out;
  out.reserve(offers.size());
  for (const domain::StreamingOffer& o : offers) {
    out.push_back(json::object{{"p", o.provider}, {"i", o.provider_id}, {"t", to_string(o.type)}});
  }
  return out;
}

std::vector<domain::StreamingOffer> decode_offers(const json::value& value) {
  std::vector<domain::StreamingOffer> out;
  if (!value.is_array()) return out;
  for (const json::value& entry : value.get_array()) {
    const std::string_view name = text_of(member(&entry, "p"));
    const auto type = domain::parse_monetization(text_of(member(&entry, "t")));
    if (name.empty() || !type) continue;
    out.push_back(domain::StreamingOffer{
        std::string(name), std::max(int_of(member(&entry, "i")).value_or(0), 0), *type});
  }
  return out;
}

}  // namespace lbrec::sources::streaming
