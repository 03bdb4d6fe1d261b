#pragma once

// Helpers shared by the Letterboxd parsers; internal to src/sources/letterboxd/.

#include <boost/json/value.hpp>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sources/html_document.hpp"

namespace lbrec::sources::letterboxd::detail {

// ASCII white space and U+00A0 (what "&nbsp;" decodes to) removed from both ends.
std::string_view trim_text(std::string_view text);

// True when the space-separated class list holds `token` as a whole word.
bool has_class_token(std::string_view classes, std::string_view token);

// The numeric id in "film:424242"; nullopt for other kinds ("list:1") or junk.
std::optional<std::int64_t> parse_film_uid(std::string_view uid);

// A whole-string positive decimal integer that fits an int64.
std::optional<std::int64_t> parse_positive(std::string_view digits);

// The slug in a path or URL holding ".../film/<slug>/..."; empty when there is none.
std::string film_slug_from_path(std::string_view path);

// A JSON document, or null when the text is not valid JSON. Never throws.
boost::json::value parse_json(std::string_view text);

// What a data-postered-identifier / data-resolvable-poster-path attribute (already
// entity-decoded) says: {"lid","uid"} or {"postered":{"lid","uid"}}.
struct PosteredIdentifier {
  std::optional<std::int64_t> letterboxd_id;
  std::string lid;
};
PosteredIdentifier parse_postered_identifier(std::string_view json_text);

// The string member `key` of a JSON object, or nullptr.
const boost::json::string* json_string(const boost::json::value& object, std::string_view key);

// Allocation-free reads for hot loops. The view points into the document (or into `scratch` when
// libxml2 keeps the value in several nodes) and lives as long as both.
std::optional<std::string_view> attr_view(const HtmlDocument::Node& node, const char* name,
                                          std::string& scratch);
// The element's tag name as the parser stored it (lower case for HTML).
std::string_view element_name(const HtmlDocument::Node& node);
// True when the element's class attribute holds `token` as a whole word.
bool has_class(const HtmlDocument::Node& node, std::string_view token);

// All attributes of one element, read once; lookups are linear (elements have a few dozen).
class AttrList {
 public:
  explicit AttrList(const HtmlDocument::Node& node);
  std::optional<std::string_view> get(std::string_view name) const;
  std::string_view value(std::string_view name) const { return get(name).value_or(""); }
  bool has(std::string_view name) const { return get(name).has_value(); }

 private:
  std::vector<std::pair<std::string_view, std::string_view>> attrs_;
  std::deque<std::string> scratch_;  // values libxml2 keeps in several nodes; stable addresses
};

// XPath 1.0 predicate: the class attribute contains `name` as a whole word.
#define LBREC_XPATH_CLASS(name) "contains(concat(' ', normalize-space(@class), ' '), ' " name " ')"

// Calls `visit(node)` for every element below `root` (not `root` itself) in document order;
// `visit` returns false to skip the element's own descendants.
template <typename Visit>
void for_each_descendant_element(const HtmlDocument::Node& root, Visit&& visit);

// Raw-tree primitives for the template above (libxml2 stays out of the header).
_xmlNode* first_child_element(_xmlNode* node);
_xmlNode* next_sibling_element(_xmlNode* node);
_xmlNode* parent_element(_xmlNode* node);

template <typename Visit>
void for_each_descendant_element(const HtmlDocument::Node& root, Visit&& visit) {
  _xmlNode* const top = root.raw();
  _xmlNode* node = first_child_element(top);
  while (node != nullptr) {
    _xmlNode* child = visit(HtmlDocument::Node(node)) ? first_child_element(node) : nullptr;
    if (child != nullptr) {
      node = child;
      continue;
    }
    // Climb until a following sibling exists or the walk is back at `top`.
    while (node != nullptr && node != top) {
      if (_xmlNode* next = next_sibling_element(node)) {
        node = next;
        break;
      }
      node = parent_element(node);
      if (node == top) node = nullptr;
    }
    if (node == top) node = nullptr;
  }
}

}  // namespace lbrec::sources::letterboxd::detail
