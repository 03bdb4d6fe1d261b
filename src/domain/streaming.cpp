#include "domain/streaming.hpp"

#include <algorithm>
#include <array>

#include "core/strings.hpp"

namespace lbrec::domain {
namespace {

struct MonetizationName {
  Monetization type;
  std::string_view name;
};
constexpr std::array<MonetizationName, 5> kNames = {{{Monetization::kFlatrate, "flatrate"},
                                                     {Monetization::kFree, "free"},
                                                     {Monetization::kAds, "ads"},
                                                     {Monetization::kRent, "rent"},
                                                     {Monetization::kBuy, "buy"}}};

std::vector<std::string> names_where(const std::vector<StreamingOffer>& offers, bool stream) {
  std::vector<std::string> out;
  for (const StreamingOffer& o : offers) {
    if (is_stream(o.type) != stream) continue;
    if (std::find(out.begin(), out.end(), o.provider) == out.end()) out.push_back(o.provider);
  }
  return out;
}

}  // namespace

std::string_view to_string(Monetization type) {
  for (const auto& n : kNames) {
    if (n.type == type) return n.name;
  }
  return "flatrate";
}

std::optional<Monetization> parse_monetization(std::string_view name) {
  for (const auto& n : kNames) {
    if (core::iequals_ascii(name, n.name)) return n.type;
  }
  return std::nullopt;
}

bool is_stream(Monetization type) {
  return type == Monetization::kFlatrate || type == Monetization::kFree ||
         type == Monetization::kAds;
}

void order_offers(std::vector<StreamingOffer>& offers) {
  // The enum lists the types in display order.
  std::stable_sort(offers.begin(), offers.end(),
                   [](const StreamingOffer& a, const StreamingOffer& b) {
                     return static_cast<int>(a.type) < static_cast<int>(b.type);
                   });
  std::vector<StreamingOffer> kept;
  kept.reserve(offers.size());
  for (StreamingOffer& o : offers) {
    const bool seen = std::any_of(kept.begin(), kept.end(), [&](const StreamingOffer& k) {
      return k.type == o.type && k.provider == o.provider;
    });
    if (!seen) kept.push_back(std::move(o));
  }
  offers = std::move(kept);
}

std::string_view to_string(StreamingSource source) {
  switch (source) {
    case StreamingSource::kJustWatch:
      return "justwatch";
    case StreamingSource::kTmdb:
      return "tmdb";
    case StreamingSource::kNone:
      break;
  }
  return "none";
}

std::vector<std::string> Availability::stream_names() const {
  return names_where(offers, true);
}

std::vector<std::string> Availability::rent_names() const {
  auto rent = names_where(offers, false);
  const auto stream = stream_names();
  std::erase_if(rent, [&](const std::string& n) {
    return std::find(stream.begin(), stream.end(), n) != stream.end();
  });
  return rent;
}

}  // namespace lbrec::domain
