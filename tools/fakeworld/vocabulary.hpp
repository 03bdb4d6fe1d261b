#pragma once

#include <span>
#include <string_view>

namespace lbrec::fakeworld::vocabulary {

// Word lists the generator composes titles, names and keywords from.
std::span<const std::string_view> adjectives();
std::span<const std::string_view> nouns();
std::span<const std::string_view> places();
std::span<const std::string_view> first_names();
std::span<const std::string_view> last_names();
std::span<const std::string_view> keyword_themes();
std::span<const std::string_view> sequel_subtitles();

// Words for original titles in a language other than English ("fr", "ja", ...); empty for
// languages without a list.
std::span<const std::string_view> original_words(std::string_view language);

}  // namespace lbrec::fakeworld::vocabulary
