#include "sources/streaming/provider_names.hpp"

#include <array>

#include "core/strings.hpp"

namespace lbrec::sources::streaming {
namespace {

struct Alias {
  std::string_view key;  // lower case, single spaces
  std::string_view name;
};

// Every spelling a source uses for a service, and the name lbrec shows for it.
constexpr std::array<Alias, 17> kAliases = {{
    {"prime video", "Prime Video"},
    {"amazon prime video", "Prime Video"},
    {"amazon prime", "Prime Video"},
    {"disney plus", "Disney Plus"},
    {"disney+", "Disney Plus"},
    {"max", "Max"},
    {"hbo max", "Max"},
    {"apple tv+", "Apple TV+"},
    {"apple tv plus", "Apple TV+"},
    {"paramount+", "Paramount+"},
    {"paramount plus", "Paramount+"},
    {"paramount+ premium", "Paramount+"},
    {"paramount plus premium", "Paramount+"},
    {"netflix", "Netflix"},
    {"netflix basic", "Netflix"},
    {"netflix standard", "Netflix"},
    {"netflix kids", "Netflix"},
}};

// Suffixes naming a variant of a service: a plan with ads, or the service resold as a channel of
// another store. Only stripped when what remains is a service the table knows, so "MUBI Amazon
// Channel" keeps its name.
constexpr std::array<std::string_view, 4> kVariantSuffixes = {
    " with ads", " amazon channel", " apple tv channel", " roku premium channel"};

// Lower case with runs of white space collapsed to one space, for the lookup.
std::string lookup_key(std::string_view name) {
  std::string key;
  key.reserve(name.size());
  bool space = false;
  for (const char c : core::to_lower_ascii(name)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (space && !key.empty()) key += ' ';
    space = false;
    key += c;
  }
  return key;
}

const Alias* find_alias(std::string_view key) {
  for (const Alias& a : kAliases) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

}  // namespace

std::string normalize_provider_name(std::string_view name) {
  const std::string_view trimmed = core::trim(name);
  const std::string key = lookup_key(trimmed);
  std::string_view key_view = key;
  // A variant may carry several suffixes ("... Amazon Channel with Ads"): strip them one by one.
  for (bool stripped = true; stripped;) {
    if (const Alias* a = find_alias(key_view)) return std::string(a->name);
    stripped = false;
    for (const std::string_view suffix : kVariantSuffixes) {
      if (key_view.size() > suffix.size() && key_view.ends_with(suffix)) {
        key_view.remove_suffix(suffix.size());
        stripped = true;
        break;
      }
    }
  }
  return std::string(trimmed);
}

}  // namespace lbrec::sources::streaming
