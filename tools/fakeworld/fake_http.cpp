#include "fake_http.hpp"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cmath>

#include "core/json_text.hpp"

namespace lbrec::fakeworld {
namespace {}  // namespace

FakeReply FakeReply::html(int status, std::string body) {
  FakeReply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

FakeReply FakeReply::json(int status, const boost::json::value& body) {
  FakeReply r;
  r.status = status;
  r.content_type = "application/json;charset=utf-8";
  r.body = core::to_json_text(body);
  return r;
}

FakeReply FakeReply::redirect(int status, std::string location) {
  FakeReply r;
  r.status = status;
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace lbrec::fakeworld
