#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_text.hpp"

namespace lbrec::fakeworld {

// What the fake sites need of a request, independent of the HTTP library.
struct FakeRequest {
  std::string method = "GET";
  std::string path;                          // percent-decoded
  std::map<std::string, std::string> query;  // percent-decoded; last value wins
  std::string cookie;
  std::string authorization;
  std::string body;

  std::string_view param(const std::string& key) const {
    const auto it = query.find(key);
    return it == query.end() ? std::string_view() : std::string_view(it->second);
  }
};

struct FakeReply {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static FakeReply html(int status, std::string body);
  static FakeReply json(int status, const boost::json::value& body);
  static FakeReply redirect(int status, std::string location);
};

// Escapes text for HTML/XML text and attribute values (& < > " ').
std::string html_escape(std::string_view text);

using core::to_json_text;

}  // namespace lbrec::fakeworld
