#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lbrec::domain {

// How a provider offers a film (TMDB's five monetization types; JustWatch's upper-case ones).
enum class Monetization { kFlatrate, kFree, kAds, kRent, kBuy };

// "flatrate", "free", "ads", "rent", "buy".
std::string_view to_string(Monetization type);

// Reads TMDB's lower-case or JustWatch's upper-case names; nullopt for anything else (CINEMA ...).
std::optional<Monetization> parse_monetization(std::string_view name);

// True when the film can be watched as part of a subscription, for free or with ads ("stream"),
// false when it has to be rented or bought ("rent").
bool is_stream(Monetization type);

// One way to watch a film in a country.
struct StreamingOffer {
  std::string provider;  // display name, normalised ("Prime Video", "Disney Plus")
  int provider_id = 0;   // TMDB provider_id == JustWatch packageId; 0 when unknown
  Monetization type = Monetization::kFlatrate;

  friend bool operator==(const StreamingOffer&, const StreamingOffer&) = default;
};

// Puts offers in Availability's order: by type (flatrate, free, ads, rent, buy), keeping the given
// order within a type, and drops repeats of a provider name with the same type (the first stays).
void order_offers(std::vector<StreamingOffer>& offers);

// TMDB watch/providers: every country's offers at once, keyed by ISO 3166-1 code.
using ProviderTable = std::map<std::string, std::vector<StreamingOffer>, std::less<>>;

// Where an availability answer came from.
enum class StreamingSource { kNone, kJustWatch, kTmdb };
std::string_view to_string(StreamingSource source);

// Where one film can be watched in one country.
struct Availability {
  std::string country;                 // ISO 3166-1 code, upper case
  std::vector<StreamingOffer> offers;  // streams first, then rent/buy; no duplicates
  StreamingSource source = StreamingSource::kNone;
  bool lookup_failed = false;  // no source could be asked; `offers` is empty, not "nowhere"

  // The seed's `streaming` list: the names of the providers that stream it (no rent/buy).
  std::vector<std::string> stream_names() const;
  // Names of providers that only rent or sell it.
  std::vector<std::string> rent_names() const;
};

// Shown wherever streaming data is displayed: TMDB's provider data comes from JustWatch and must
// be attributed to it.
inline constexpr std::string_view kStreamingAttribution = "Streaming data provided by JustWatch";

}  // namespace lbrec::domain
