#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

struct _xmlDoc;
struct _xmlNode;

namespace lbrec::sources {

// A parsed HTML (or XML) document queried with XPath 1.0. Parsing never touches the network and
// tolerates broken markup; input over `max_bytes` is refused. Nodes stay valid while the document
// lives.
class HtmlDocument {
 public:
  class Node {
   public:
    explicit Node(_xmlNode* node) : node_(node) {}
    // The attribute's value with entities decoded; nullopt when absent.
    std::optional<std::string> attr(const char* name) const;
    // All text below the node, concatenated.
    std::string text() const;
    std::string name() const;
    // True when the class attribute contains `cls` as a whole word.
    bool has_class(std::string_view cls) const;
    _xmlNode* raw() const { return node_; }

   private:
    _xmlNode* node_;
  };

  static constexpr std::size_t kDefaultMaxBytes = 16u << 20;

  static core::Result<HtmlDocument> parse(std::string_view html,
                                          std::size_t max_bytes = kDefaultMaxBytes);
  // XML (RSS): `namespaces` are (prefix, uri) pairs made available to XPath queries.
  static core::Result<HtmlDocument> parse_xml(
      std::string_view xml, std::vector<std::pair<std::string, std::string>> namespaces = {},
      std::size_t max_bytes = kDefaultMaxBytes);

  // Nodes matching `xpath`, relative to `context` when given. An invalid expression yields none.
  std::vector<Node> select(const char* xpath, const Node* context = nullptr) const;
  std::optional<Node> first(const char* xpath, const Node* context = nullptr) const;
  // The string value of an XPath expression such as "string(//title)" or "count(//li)".
  std::string evaluate_string(const char* xpath, const Node* context = nullptr) const;

 private:
  struct Deleter {
    void operator()(_xmlDoc* doc) const;
  };
  HtmlDocument(_xmlDoc* doc, std::vector<std::pair<std::string, std::string>> namespaces);

  std::unique_ptr<_xmlDoc, Deleter> doc_;
  std::vector<std::pair<std::string, std::string>> namespaces_;
};

}  // namespace lbrec::sources
