#include "sources/letterboxd/parser_support.hpp"

#include <libxml/tree.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstring>
#include <exception>

namespace lbrec::sources::letterboxd::detail {
namespace {

constexpr std::string_view kAsciiSpace = " \t\n\r\f\v";
constexpr std::string_view kNbsp = "\xC2\xA0";

}  // namespace

std::string_view trim_text(std::string_view text) {
  for (;;) {
    const std::size_t before = text.size();
    while (!text.empty() && kAsciiSpace.find(text.front()) != std::string_view::npos)
      text.remove_prefix(1);
    while (!text.empty() && kAsciiSpace.find(text.back()) != std::string_view::npos)
      text.remove_suffix(1);
    if (text.starts_with(kNbsp)) text.remove_prefix(kNbsp.size());
    if (text.ends_with(kNbsp)) text.remove_suffix(kNbsp.size());
    if (text.size() == before) return text;
  }
}

bool has_class_token(std::string_view classes, std::string_view token) {
  if (token.empty()) return false;
  for (std::size_t start = classes.find_first_not_of(kAsciiSpace);
       start != std::string_view::npos;) {
    const std::size_t end = std::min(classes.find_first_of(kAsciiSpace, start), classes.size());
    if (classes.substr(start, end - start) == token) return true;
    start = classes.find_first_not_of(kAsciiSpace, end);
  }
  return false;
}

std::optional<std::int64_t> parse_positive(std::string_view digits) {
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value <= 0) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_film_uid(std::string_view uid) {
  constexpr std::string_view kPrefix = "film:";
  if (!uid.starts_with(kPrefix)) return std::nullopt;
  return parse_positive(uid.substr(kPrefix.size()));
}

std::string film_slug_from_path(std::string_view path) {
  constexpr std::string_view kFilm = "/film/";
  const std::size_t at = path.find(kFilm);
  if (at == std::string_view::npos) return {};
  std::string_view rest = path.substr(at + kFilm.size());
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.find_first_of(kAsciiSpace) != std::string_view::npos) return {};
  return std::string(rest);
}

boost::json::value parse_json(std::string_view text) {
  try {
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(text, ec);
    if (ec) return nullptr;
    return value;
  } catch (const std::exception&) {
    // Only allocation failures reach here; treat them like unreadable input.
    return nullptr;
  }
}

const boost::json::string* json_string(const boost::json::value& object, std::string_view key) {
  const auto* obj = object.if_object();
  if (obj == nullptr) return nullptr;
  const auto it = obj->find(key);
  return it == obj->end() ? nullptr : it->value().if_string();
}

PosteredIdentifier parse_postered_identifier(std::string_view json_text) {
  PosteredIdentifier out;
  const boost::json::value json = parse_json(json_text);
  const auto* obj = json.if_object();
  if (obj == nullptr) return out;
  const boost::json::value* identifier = &json;
  if (const auto it = obj->find("postered"); it != obj->end() && it->value().is_object()) {
    identifier = &it->value();
  }
  if (const auto* uid = json_string(*identifier, "uid")) out.letterboxd_id = parse_film_uid(*uid);
  if (const auto* lid = json_string(*identifier, "lid")) out.lid = std::string(*lid);
  return out;
}

std::optional<std::string_view> attr_view(const HtmlDocument::Node& node, const char* name,
                                          std::string& scratch) {
  for (const xmlAttr* a = node.raw()->properties; a != nullptr; a = a->next) {
    if (a->name == nullptr || std::strcmp(reinterpret_cast<const char*>(a->name), name) != 0) {
      continue;
    }
    const xmlNode* value = a->children;
    if (value == nullptr) return std::string_view();
    if (value->next == nullptr && value->type == XML_TEXT_NODE && value->content != nullptr) {
      return std::string_view(reinterpret_cast<const char*>(value->content));
    }
    scratch = node.attr(name).value_or("");
    return std::string_view(scratch);
  }
  return std::nullopt;
}

AttrList::AttrList(const HtmlDocument::Node& node) {
  for (const xmlAttr* a = node.raw()->properties; a != nullptr; a = a->next) {
    if (a->name == nullptr) continue;
    const std::string_view name(reinterpret_cast<const char*>(a->name));
    const xmlNode* value = a->children;
    if (value == nullptr) {
      attrs_.emplace_back(name, std::string_view());
    } else if (value->next == nullptr && value->type == XML_TEXT_NODE && value->content) {
      attrs_.emplace_back(name, reinterpret_cast<const char*>(value->content));
    } else {
      scratch_.push_back(node.attr(reinterpret_cast<const char*>(a->name)).value_or(""));
      attrs_.emplace_back(name, scratch_.back());
    }
  }
}

std::optional<std::string_view> AttrList::get(std::string_view name) const {
  for (const auto& [n, v] : attrs_) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string_view element_name(const HtmlDocument::Node& node) {
  const xmlNode* n = node.raw();
  return n->name != nullptr ? std::string_view(reinterpret_cast<const char*>(n->name))
                            : std::string_view();
}

bool has_class(const HtmlDocument::Node& node, std::string_view token) {
  std::string scratch;
  const auto classes = attr_view(node, "class", scratch);
  return classes && has_class_token(*classes, token);
}

_xmlNode* first_child_element(_xmlNode* node) {
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return c;
  }
  return nullptr;
}

_xmlNode* next_sibling_element(_xmlNode* node) {
  for (xmlNode* c = node->next; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return c;
  }
  return nullptr;
}

_xmlNode* parent_element(_xmlNode* node) {
  xmlNode* p = node->parent;
  return p != nullptr && p->type == XML_ELEMENT_NODE ? p : nullptr;
}

}  // namespace lbrec::sources::letterboxd::detail
