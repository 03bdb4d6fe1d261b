// TEMPORARY stand-in until the streaming branch lands.
#include "sources/streaming/tmdb_providers_json.hpp"

namespace lbrec::sources::streaming {
namespace json = boost::json;

domain::ProviderTable parse_provider_results(const json::object& results) {
  domain::ProviderTable table;
  for (const auto& kv : results) {
    if (!kv.value().is_object()) continue;
    auto& offers = table[std::string(kv.key())];
    for (const char* type : {"flatrate", "free", "ads", "rent", "buy"}) {
      const auto* list = kv.value().get_object().if_contains(type);
      if (!list || !list->is_array()) continue;
      for (const auto& e : list->get_array()) {
        if (!e.is_object()) continue;
        const auto* name = e.get_object().if_contains("provider_name");
        const auto* id = e.get_object().if_contains("provider_id");
        if (!name || !name->is_string()) continue;
        offers.push_back({std::string(name->get_string()),
                          id && id->is_int64() ? static_cast<int>(id->get_int64()) : 0,
                          *domain::parse_monetization(type)});
      }
    }
  }
  return table;
}

core::Result<domain::ProviderTable> parse_watch_providers_body(std::string_view body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return core::fail(core::ErrorCode::kParseError, "not JSON");
  const auto* r = v.get_object().if_contains("results");
  if (!r || !r->is_object()) return domain::ProviderTable{};
  return parse_provider_results(r->get_object());
}

json::array encode_offers(const std::vector<domain::StreamingOffer>& offers) {
  json::array a;
  for (const auto& o : offers)
    a.push_back(json::object{{"p", o.provider}, {"i", o.provider_id}, {"t", to_string(o.type)}});
  return a;
}

std::vector<domain::StreamingOffer> decode_offers(const json::value& value) {
  std::vector<domain::StreamingOffer> out;
  if (!value.is_array()) return out;
  for (const auto& e : value.get_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.get_object();
    const auto* p = o.if_contains("p");
    const auto* i = o.if_contains("i");
    const auto* t = o.if_contains("t");
    if (!p || !p->is_string() || !t || !t->is_string()) continue;
    const auto type = domain::parse_monetization(t->get_string());
    if (!type) continue;
    out.push_back({std::string(p->get_string()),
                   i && i->is_int64() ? static_cast<int>(i->get_int64()) : 0, *type});
  }
  return out;
}

}  // namespace lbrec::sources::streaming
