#include "engine/title.hpp"

#include <array>
#include <cstdint>

#include "core/strings.hpp"

namespace lbrec::engine {
namespace {

// Decodes one UTF-8 code point at text[i], advancing i. Returns -1 for an invalid sequence (one
// byte is consumed).
std::int32_t decode(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  int len = 0;
  std::int32_t cp = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return -1;
  }
  if (i + len > text.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  constexpr std::int32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += len;
  return cp;
}

void encode(std::int32_t cp, std::string& out) {
  core::append_utf8(static_cast<char32_t>(cp), out);
}

// Base letters for U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A); "" = keep.
// clang-format off
constexpr std::array<const char*, 192> kLatinFold = {
    // U+00C0
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    // U+00D0
    "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "ss",
    // U+00E0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00F0
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    // U+0100
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
    // U+0110
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
    // U+0120
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
    // U+0130
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
    // U+0140
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o",
    // U+0150
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
    // U+0160
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
    // U+0170
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};
// clang-format on

bool is_combining_mark(std::int32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F);
}

// Code points treated as separators when normalising: ASCII punctuation and symbols, Latin-1
// punctuation, general punctuation, CJK and full-width punctuation.
bool is_separator(std::int32_t cp) {
  if (cp < 0x80) {
    const bool alnum =
        (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return !alnum;
  }
  // U+00AA, U+00B2, U+00B3, U+00B5, U+00B9 and U+00BA are letters and digits (ª ² ³ µ ¹ º), not
  // punctuation: "Alien³" must not read as "Alien".
  if (cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 || cp == 0xBA) {
    return false;
  }
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
         (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
         (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

// Simple lower-casing beyond ASCII for the scripts titles commonly use (Greek, Cyrillic).
std::int32_t to_lower(std::int32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  switch (cp) {  // Latin-1 compatibility forms, read as NFKC reads them
    case 0xAA:
      return 'a';  // ª
    case 0xBA:
      return 'o';  // º
    case 0xB9:
      return '1';  // ¹
    case 0xB2:
      return '2';  // ²
    case 0xB3:
      return '3';  // ³
    case 0xB5:
      return 0x3BC;  // µ (micro sign) -> μ
    default:
      break;
  }
  if ((cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)) return cp + 32;  // Greek capitals
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;                   // Cyrillic А..Я
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;                   // Cyrillic Ѐ..Џ
  if (cp >= 0xFF21 && cp <= 0xFF3A) return cp - 0xFF21 + 'a';       // full-width A..Z
  if (cp >= 0xFF41 && cp <= 0xFF5A) return cp - 0xFF41 + 'a';       // full-width a..z
  if (cp >= 0xFF10 && cp <= 0xFF19) return cp - 0xFF10 + '0';       // full-width digits
  return cp;
}

template <typename Emit>
void fold_each(std::string_view utf8, Emit&& emit) {
  for (std::size_t i = 0; i < utf8.size();) {
    const std::int32_t cp = decode(utf8, i);
    if (cp < 0 || is_combining_mark(cp)) continue;
    if (cp >= 0xC0 && cp <= 0x17F && kLatinFold[cp - 0xC0][0] != '\0') {
      for (const char* p = kLatinFold[cp - 0xC0]; *p; ++p)
        emit(static_cast<std::int32_t>(*p));
      continue;
    }
    emit(cp);
  }
}

}  // namespace

std::string fold_accents(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  fold_each(utf8, [&](std::int32_t cp) { encode(cp, out); });
  return out;
}

std::string normalize_title(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  const auto put_word = [&](std::string_view word) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += word;
  };
  fold_each(utf8, [&](std::int32_t cp) {
    if (cp == '&') {
      pending_space = true;
      put_word("and");
      pending_space = true;
      return;
    }
    if (cp == '\'' || cp == 0x2019) return;  // "Don't" and "Don’t" both read "dont"
    if (is_separator(cp)) {
      pending_space = true;
      return;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    encode(to_lower(cp), out);
  });
  return out;
}

}  // namespace lbrec::engine
