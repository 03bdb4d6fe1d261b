#include "fake_http.hpp"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cmath>

namespace lbrec::fakeworld {
namespace {

void write_json(const boost::json::value& v, std::string& out) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::string(kv.key()));
        out += ':';
        write_json(kv.value(), out);
      }
      out += '}';
      break;
    }
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write_json(item, out);
      }
      out += ']';
      break;
    }
    case boost::json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";
      } else if (d == std::floor(d) && std::fabs(d) < 1e15) {
        fmt::format_to(std::back_inserter(out), "{:.1f}", d);
      } else {
        fmt::format_to(std::back_inserter(out), "{}", d);
      }
      break;
    }
    default:
      out += boost::json::serialize(v);
  }
}

}  // namespace

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
  r.body = to_json_text(body);
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

std::string to_json_text(const boost::json::value& value) {
  std::string out;
  write_json(value, out);
  return out;
}

}  // namespace lbrec::fakeworld
