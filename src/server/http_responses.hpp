#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "server/http_listener.hpp"

namespace lbrec::server {

// The Content-Security-Policy of every response: no inline script or style, nothing from other
// origins except TMDB's poster images.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' "
    "https://image.tmdb.org data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

// Security headers and CORS (any origin, as the seed's Flask-CORS default) for every response.
void add_common_headers(boost::beast::http::fields& fields);

// A JSON response (compact, core::to_json_text) with the common headers and no caching.
HttpResponse json_response(int status, const boost::json::value& body);
// The same for JSON already serialised.
HttpResponse json_text_response(int status, std::string body);

// The seed's error shape: {"error": ..., "hint": ...} (hint omitted when empty).
HttpResponse error_response(int status, std::string_view error, std::string_view hint = {});

// Compares a secret with a candidate in time that depends only on the candidate's length.
bool constant_time_equal(std::string_view secret, std::string_view candidate);

// The client's address for rate limits and logs: the socket's peer, or, when `trust_proxy`, the
// last (right-most) valid address in X-Forwarded-For, the one our own proxy appended. Entries a
// client wrote itself sit to its left and are never believed.
std::string client_address(const HttpRequest& request, const boost::asio::ip::tcp::endpoint& peer,
                           bool trust_proxy);

// `text` cut to `max` bytes with control characters and quotes escaped, for one-line logs.
std::string log_safe(std::string_view text, std::size_t max = 200);

}  // namespace lbrec::server
