#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace lbrec::domain {

struct Country {
  std::string_view code;  // ISO 3166-1 alpha-2, upper case
  std::string_view name;  // English display name (the API's country_name)
};

// Countries lbrec offers streaming availability for (a superset of the seed's 13), by code.
std::span<const Country> supported_countries();

// The country for a code in any case ("us", "US"); nullopt when not supported.
std::optional<Country> find_country(std::string_view code);

// The seed's default country when a request names none.
inline constexpr std::string_view kDefaultCountry = "CL";

}  // namespace lbrec::domain
