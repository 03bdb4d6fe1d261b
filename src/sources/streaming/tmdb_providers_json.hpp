#pragma once
// TEMPORARY stand-in until the streaming branch lands (same signatures).
#include <boost/json.hpp>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/streaming.hpp"

namespace lbrec::sources::streaming {
domain::ProviderTable parse_provider_results(const boost::json::object& results);
core::Result<domain::ProviderTable> parse_watch_providers_body(std::string_view body);
boost::json::array encode_offers(const std::vector<domain::StreamingOffer>& offers);
std::vector<domain::StreamingOffer> decode_offers(const boost::json::value& value);
}  // namespace lbrec::sources::streaming
