#pragma once

#include <string>
#include <string_view>

namespace lbrec::sources::streaming {

// One name per streaming service across sources and countries (the seed's normalisation):
// "Amazon Prime Video", "Prime Video Amazon Channel" -> "Prime Video"; "Disney+" -> "Disney Plus";
// "HBO Max", "Max Amazon Channel" -> "Max"; "Apple TV Plus" -> "Apple TV+"; "Paramount Plus" ->
// "Paramount+"; "Netflix basic with Ads" -> "Netflix". Surrounding white space is trimmed; names
// of services the table does not know are kept as they are ("Apple TV", the store, stays).
std::string normalize_provider_name(std::string_view name);

}  // namespace lbrec::sources::streaming
