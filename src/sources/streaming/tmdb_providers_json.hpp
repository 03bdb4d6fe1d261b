#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/streaming.hpp"

namespace lbrec::sources::streaming {

// Reads the object keyed by country code under "results" of TMDB's watch/providers (the
// standalone /3/movie/{id}/watch/providers body and the "watch/providers" key appended to a
// details call have the same shape): {CC: {link, flatrate?, free?, ads?, rent?, buy?}}. Per
// country the offers come streams first (flatrate, free, ads), then rent, then buy, each type by
// TMDB's display_priority; names are normalised and a repeated name within a type is dropped.
// Entries without a provider name, countries that are not two letters and countries without any
// offer are skipped; odd input never throws.
domain::ProviderTable parse_provider_results(const boost::json::object& results);

// The body of GET /3/movie/{id}/watch/providers. kParseError when it is not JSON or has no
// "results" object.
core::Result<domain::ProviderTable> parse_watch_providers_body(std::string_view body);

// A compact JSON form of offers for caches: [{"p":"Netflix","i":8,"t":"flatrate"}, ...].
boost::json::array encode_offers(const std::vector<domain::StreamingOffer>& offers);
// Reads encode_offers' form back; entries that do not read (no name, unknown type) are skipped and
// anything but an array gives no offers.
std::vector<domain::StreamingOffer> decode_offers(const boost::json::value& value);

}  // namespace lbrec::sources::streaming
