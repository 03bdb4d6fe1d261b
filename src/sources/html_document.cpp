#include "sources/html_document.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <algorithm>
#include <climits>
#include <mutex>

namespace lbrec::sources {
namespace {

void init_libxml_once() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

const xmlChar* xml_str(const char* s) {
  return reinterpret_cast<const xmlChar*>(s);
}

std::string take(xmlChar* s) {
  if (s == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(s));
  xmlFree(s);
  return out;
}

// XPath errors (a bad expression, an unknown prefix) are answered with "no match"; libxml2 would
// otherwise print them to stderr.
void ignore_xpath_error(void*, xmlErrorPtr) {}

std::unique_ptr<xmlXPathContext, void (*)(xmlXPathContext*)> new_context(
    xmlDoc* doc, const std::vector<std::pair<std::string, std::string>>& namespaces) {
  std::unique_ptr<xmlXPathContext, void (*)(xmlXPathContext*)> ctx(xmlXPathNewContext(doc),
                                                                   xmlXPathFreeContext);
  if (!ctx) return ctx;
  ctx->error = ignore_xpath_error;
  for (const auto& [prefix, uri] : namespaces) {
    xmlXPathRegisterNs(ctx.get(), xml_str(prefix.c_str()), xml_str(uri.c_str()));
  }
  return ctx;
}

struct XPathObjectDeleter {
  void operator()(xmlXPathObject* o) const { xmlXPathFreeObject(o); }
};

}  // namespace

void HtmlDocument::Deleter::operator()(_xmlDoc* doc) const {
  xmlFreeDoc(doc);
}

HtmlDocument::HtmlDocument(_xmlDoc* doc,
                           std::vector<std::pair<std::string, std::string>> namespaces)
    : doc_(doc), namespaces_(std::move(namespaces)) {}

core::Result<HtmlDocument> HtmlDocument::parse(std::string_view html, std::size_t max_bytes) {
  init_libxml_once();
  if (html.size() > max_bytes || html.size() > INT_MAX) {
    return core::fail(core::ErrorCode::kParseError, "document larger than the parser accepts");
  }
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_NONET | HTML_PARSE_COMPACT);
  if (doc == nullptr) return core::fail(core::ErrorCode::kParseError, "unparseable HTML");
  return HtmlDocument(doc, {});
}

core::Result<HtmlDocument> HtmlDocument::parse_xml(
    std::string_view xml, std::vector<std::pair<std::string, std::string>> namespaces,
    std::size_t max_bytes) {
  init_libxml_once();
  if (xml.size() > max_bytes || xml.size() > INT_MAX) {
    return core::fail(core::ErrorCode::kParseError, "document larger than the parser accepts");
  }
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                    XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
  if (doc == nullptr) return core::fail(core::ErrorCode::kParseError, "malformed XML");
  return HtmlDocument(doc, std::move(namespaces));
}

std::vector<HtmlDocument::Node> HtmlDocument::select(const char* xpath, const Node* context) const {
  std::vector<Node> nodes;
  auto ctx = new_context(doc_.get(), namespaces_);
  if (!ctx) return nodes;
  if (context != nullptr) ctx->node = context->raw();
  std::unique_ptr<xmlXPathObject, XPathObjectDeleter> result(
      xmlXPathEvalExpression(xml_str(xpath), ctx.get()));
  if (!result || result->type != XPATH_NODESET || result->nodesetval == nullptr) return nodes;
  const xmlNodeSet* set = result->nodesetval;
  nodes.reserve(static_cast<std::size_t>(set->nodeNr));
  for (int i = 0; i < set->nodeNr; ++i)
    nodes.emplace_back(set->nodeTab[i]);
  return nodes;
}

std::optional<HtmlDocument::Node> HtmlDocument::first(const char* xpath,
                                                      const Node* context) const {
  auto nodes = select(xpath, context);
  if (nodes.empty()) return std::nullopt;
  return nodes.front();
}

std::string HtmlDocument::evaluate_string(const char* xpath, const Node* context) const {
  auto ctx = new_context(doc_.get(), namespaces_);
  if (!ctx) return {};
  if (context != nullptr) ctx->node = context->raw();
  std::unique_ptr<xmlXPathObject, XPathObjectDeleter> result(
      xmlXPathEvalExpression(xml_str(xpath), ctx.get()));
  if (!result) return {};
  return take(xmlXPathCastToString(result.get()));
}

std::optional<std::string> HtmlDocument::Node::attr(const char* name) const {
  xmlChar* value = xmlGetProp(node_, xml_str(name));
  if (value == nullptr) return std::nullopt;
  return take(value);
}

std::string HtmlDocument::Node::text() const {
  return take(xmlNodeGetContent(node_));
}

std::string HtmlDocument::Node::name() const {
  return node_->name ? reinterpret_cast<const char*>(node_->name) : "";
}

bool HtmlDocument::Node::has_class(std::string_view cls) const {
  if (cls.empty()) return false;
  const auto classes = attr("class");
  if (!classes) return false;
  // HTML separates class names by any ASCII white space, not only spaces.
  constexpr std::string_view kSpace = " \t\n\r\f";
  const std::string_view list = *classes;
  for (std::size_t start = list.find_first_not_of(kSpace); start != std::string_view::npos;) {
    const std::size_t end = std::min(list.find_first_of(kSpace, start), list.size());
    if (list.substr(start, end - start) == cls) return true;
    start = list.find_first_not_of(kSpace, end);
  }
  return false;
}

}  // namespace lbrec::sources
