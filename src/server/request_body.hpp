#pragma once

// Request bodies of the HTTP API (JSON and multipart/form-data), parsed and validated. Pure: no
// I/O. Every error is kInvalidInput with a one-line message meant for the person who sent the
// request; a message quotes at most 40 bytes of what they sent, with control and non-ASCII bytes
// written as \xNN.

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lbrec::server {

inline constexpr int kMaxJsonDepth = 16;
inline constexpr int kMaxCount = 200;
inline constexpr std::size_t kMaxPartHeaderBytes = 8192;

// The same words as the CLI's message for a bad username (app::kInvalidUsername).
inline constexpr std::string_view kInvalidUsername =
    "invalid username: use 1-50 letters, digits, '_' or '-'";
inline constexpr std::string_view kMissingExport =
    "attach the Letterboxd export ZIP as the 'export' field";

// Parses a JSON request body that must be an object. Errors: "request body is not valid JSON",
// "request body must be a JSON object", "request body nests deeper than 16 levels" (the object
// itself is level 1).
core::Result<boost::json::object> parse_json_object(std::string_view body);

// POST /api/recommend, validated.
struct RecommendBody {
  std::string username;        // "" only from a form (the export names its member)
  std::string country = "CL";  // upper-cased code of a supported country
  std::string country_name;    // its display name (always set by the parsers)
  bool include_streaming = true;
  bool include_watchlist = false;    // lbrec extra
  int count = 0;                     // 0: not given; else 1..kMaxCount
  std::optional<double> min_rating;  // lbrec extra, 0..10
  std::string request_id;            // empty: not given
  bool sync = false;

  friend bool operator==(const RecommendBody&, const RecommendBody&) = default;
};

// Validates POST /api/recommend's JSON fields: username (required, domain::is_valid_username),
// country (default "CL", any case, domain::find_country), include_streaming (default true),
// include_watchlist (default false), count (integer 1..200), min_rating (number 0..10),
// request_id (server::valid_request_id), sync (default false). A field that is missing or null
// is not given, and so is an empty request_id. Wrong JSON types are errors, never coerced ("true"
// is not a boolean, "5" is not a count; 5.0 is). Unknown fields are ignored. Each message names
// its field: kInvalidUsername, "username is required", "unknown country 'XX'", "count must be an
// integer from 1 to 200", "include_streaming must be true or false", ...
core::Result<RecommendBody> parse_recommend_body(const boost::json::object& body);

// POST /api/get_pages: {"username": ...}, the same username rule; returns the username.
core::Result<std::string> parse_username_body(const boost::json::object& body);

// One part of a multipart/form-data body. filename is empty for a text field.
struct FormPart {
  std::string name;
  std::string filename;
  std::string content_type;  // as sent; empty when the part has none
  std::string body;          // the exact bytes between the part's headers and the next delimiter

  friend bool operator==(const FormPart&, const FormPart&) = default;
};

// Parses a multipart/form-data body (RFC 7578, RFC 2046 framing) given the request's Content-Type
// header value (boundary parameter quoted or not). Lines end in CRLF; a preamble and an epilogue
// are ignored; a boundary string inside a part that is not followed by "--" or a line end is
// content. Errors: Content-Type not multipart/form-data or without a valid boundary (1-70
// characters of RFC 2046's set), no boundary in the body, no final boundary, part headers that
// are malformed, lack a form-data Content-Disposition with a name, or exceed kMaxPartHeaderBytes,
// more than max_parts parts.
core::Result<std::vector<FormPart>> parse_multipart(std::string_view content_type,
                                                    std::string_view body,
                                                    std::size_t max_parts = 16);

// A recommendation request posted as a form with a Letterboxd export.
struct RecommendUpload {
  RecommendBody body;
  std::string zip;  // the bytes of the "export" part
};

// Reads the text fields of a form with the rules and messages of parse_recommend_body, except
// that values are text: booleans are true/false, 1/0, yes/no, on/off (any case); numbers are
// decimal; an empty field is not given, and username is optional. The first part of a name wins;
// file parts other than "export" are ignored. kMissingExport when no part is named "export" or
// it is empty.
core::Result<RecommendUpload> parse_recommend_form(const std::vector<FormPart>& parts);

}  // namespace lbrec::server
