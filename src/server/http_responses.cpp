#include "server/http_responses.hpp"

#include <fmt/format.h>

#include <boost/asio/ip/address.hpp>
#include <boost/json/object.hpp>

#include "core/json_text.hpp"
#include "core/strings.hpp"

namespace lbrec::server {

namespace http = boost::beast::http;

void add_common_headers(http::fields& fields) {
  fields.set(http::field::access_control_allow_origin, "*");
  fields.set("Content-Security-Policy", kContentSecurityPolicy);
  fields.set("X-Content-Type-Options", "nosniff");
  fields.set("Referrer-Policy", "no-referrer");
  fields.set("X-Frame-Options", "DENY");
  fields.set("Cross-Origin-Opener-Policy", "same-origin");
}

HttpResponse json_response(int status, const boost::json::value& body) {
  return json_text_response(status, core::to_json_text(body));
}

HttpResponse json_text_response(int status, std::string body) {
  HttpResponse res{static_cast<http::status>(status), 11};
  add_common_headers(res.base());
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

HttpResponse error_response(int status, std::string_view error, std::string_view hint) {
  boost::json::object o;
  o["error"] = error;
  if (!hint.empty()) o["hint"] = hint;
  return json_response(status, o);
}

bool constant_time_equal(std::string_view secret, std::string_view candidate) {
  // Every byte of the candidate is compared, against the secret cycled when lengths differ, so
  // the time taken says nothing about how much of the secret matched.
  unsigned diff = secret.size() == candidate.size() ? 0u : 1u;
  if (secret.empty()) return candidate.empty();
  for (std::size_t i = 0; i < candidate.size(); ++i) {
    diff |= static_cast<unsigned char>(candidate[i]) ^
            static_cast<unsigned char>(secret[i % secret.size()]);
  }
  return diff == 0 && !candidate.empty();
}

std::string client_address(const HttpRequest& request, const boost::asio::ip::tcp::endpoint& peer,
                           bool trust_proxy) {
  if (trust_proxy) {
    const auto forwarded = request["X-Forwarded-For"];
    const auto parts = core::split(forwarded, ',');
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      boost::system::error_code ec;
      const auto address = boost::asio::ip::make_address(core::trim(*it), ec);
      if (!ec) return address.to_string();
    }
  }
  const auto address = peer.address();
  return address.is_v6() && address.to_v6().is_v4_mapped()
             ? boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
                   .to_string()
             : address.to_string();
}

std::string log_safe(std::string_view text, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < max; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f || byte == '"' || byte == '\\') {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += text[i];
    }
  }
  if (text.size() > max) out += "...";
  return out;
}

}  // namespace lbrec::server
