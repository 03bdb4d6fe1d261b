#pragma once

// The fast path of the grid parser: one pass over the bytes of a well-formed grid page, without
// building a DOM. It answers only when it is sure to read the page as the DOM parser would, and
// otherwise says "not sure" (nullopt) so the caller falls back to libxml2. Internal to
// src/sources/letterboxd/.

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lbrec::sources::letterboxd::detail {

// The attributes of one start tag as written in the page; values are entity-decoded when read.
class RawAttrs {
 public:
  void add(std::string_view name, std::string_view raw_value) {
    attrs_.emplace_back(name, raw_value);
  }
  std::optional<std::string_view> get(std::string_view name) const;
  std::string_view value(std::string_view name) const { return get(name).value_or(""); }
  bool has(std::string_view name) const;
  bool has_duplicates() const;
  // True once a read met a character reference decode_entities does not know: the value read
  // would differ from libxml2's, so the caller must fall back to the DOM parser.
  bool failed() const { return failed_; }

 private:
  std::vector<std::pair<std::string_view, std::string_view>> attrs_;  // views into the page
  mutable std::deque<std::string> decoded_;                           // stable addresses
  mutable bool failed_ = false;
};

// Decodes the character references Letterboxd pages use (&quot; &amp; &#39; &#NNN; &#xHH; ...).
// nullopt when the text holds one this decoder does not know.
std::optional<std::string> decode_entities(std::string_view text);

// What one grid item holds, as the DOM path would collect it.
struct ScannedItem {
  RawAttrs poster;  // the first element carrying poster data (empty when none)
  bool has_poster = false;
  bool has_viewing = false;                // a p.poster-viewingdata
  std::optional<std::string> viewing_uid;  // its data-item-uid
  std::optional<int> rating;               // from its first span.rating
  bool liked = false;                      // a span.like inside it
  std::optional<std::string> image_alt;    // the first img with an alt
};

struct ScannedGrid {
  std::vector<ScannedItem> items;
  int page_count = 1;
  std::optional<int> total_films;
  std::string owner;
};

// nullopt: the page is not one the fast path is sure about (no li items, unusual nesting, an
// unknown entity, invalid UTF-8 ...). The views in the result point into `html`.
std::optional<ScannedGrid> scan_grid(std::string_view html);

// The element carrying a poster's data attributes, in any markup generation; for any attribute
// reader with has() and value(). Shared with the DOM path.
template <typename Attrs>
bool looks_like_poster(const Attrs& a) {
  static constexpr std::string_view kMarkers[] = {
      "data-item-slug", "data-film-slug",   "data-postered-identifier", "data-film-id",
      "data-item-link", "data-target-link", "data-film-name",           "data-item-name"};
  for (const std::string_view marker : kMarkers) {
    if (a.has(marker)) return true;
  }
  return a.value("data-component-class") == "LazyPoster";
}

// Shared with the DOM path.
std::optional<int> rating_from_classes(std::string_view classes);
std::optional<int> film_count_of(std::string_view text);

}  // namespace lbrec::sources::letterboxd::detail
