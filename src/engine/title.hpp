#pragma once

#include <string>
#include <string_view>

namespace lbrec::engine {

// Folds Latin letters with diacritics to their base letters ("Amélie" -> "Amelie", "Straße" ->
// "Strasse", "Łódź" -> "Lodz"). Other characters, including non-Latin scripts, are kept. Invalid
// UTF-8 bytes are dropped.
std::string fold_accents(std::string_view utf8);

// The key two titles are compared by (the seed's normalize_title, made Unicode-aware): accents
// folded, lower case, '&' read as "and", punctuation and symbols turned into single spaces,
// trimmed. Unlike the seed it keeps non-Latin letters, so "千と千尋の神隠し" does not collapse to
// "".
std::string normalize_title(std::string_view utf8);

}  // namespace lbrec::engine
