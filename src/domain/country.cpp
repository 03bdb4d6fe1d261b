#include "domain/country.hpp"

#include <array>

namespace lbrec::domain {
namespace {

constexpr std::array<Country, 20> kCountries = {{
    {"AR", "Argentina"},   {"AU", "Australia"},      {"BR", "Brazil"},      {"CA", "Canada"},
    {"CL", "Chile"},       {"CO", "Colombia"},       {"DE", "Germany"},     {"ES", "Spain"},
    {"FR", "France"},      {"GB", "United Kingdom"}, {"IE", "Ireland"},     {"IN", "India"},
    {"IT", "Italy"},       {"JP", "Japan"},          {"KR", "South Korea"}, {"MX", "Mexico"},
    {"NL", "Netherlands"}, {"NZ", "New Zealand"},    {"PE", "Peru"},        {"US", "United States"},
}};

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

std::span<const Country> supported_countries() {
  return kCountries;
}

std::optional<Country> find_country(std::string_view code) {
  if (code.size() != 2) return std::nullopt;
  const char a = upper(code[0]);
  const char b = upper(code[1]);
  for (const Country& c : kCountries) {
    if (c.code[0] == a && c.code[1] == b) return c;
  }
  return std::nullopt;
}

}  // namespace lbrec::domain
