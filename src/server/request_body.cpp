#include "server/request_body.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <utility>

#include "core/strings.hpp"
#include "domain/country.hpp"
#include "domain/username.hpp"
#include "server/job_hub.hpp"

namespace lbrec::server {
namespace {

namespace json = boost::json;
using core::ErrorCode;

constexpr std::size_t kMaxEcho = 40;

// User input goes back into a one-line message that may be logged and shown in a page, so it is
// cut short and anything that is not printable ASCII is spelled out.
std::string quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text.substr(0, kMaxEcho)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      out += fmt::format("\\x{:02X}", byte);
    }
  }
  out += text.size() > kMaxEcho ? "'..." : "'";
  return out;
}

tl::unexpected<core::Error> invalid(std::string message) {
  return core::fail(ErrorCode::kInvalidInput, std::move(message));
}

// Where the fields came from. A form carries only text, so there a string is read as the type the
// field wants; JSON carries types, and a string where a boolean belongs is the client's mistake.
enum class Source { kJson, kForm };

// Reads fields of a request object. One method per rule, shared by the JSON and the form path;
// the first failure is kept and later reads do nothing.
class FieldReader {
 public:
  FieldReader(const json::object& body, Source source) : body_(body), source_(source) {}

  const std::optional<core::Error>& error() const { return error_; }

  void username(bool required, std::string& out) {
    const json::value* v = given("username");
    if (v == nullptr) {
      if (required) reject("username is required");
      return;
    }
    if (!v->is_string() || !domain::is_valid_username(v->get_string())) {
      return reject(std::string(kInvalidUsername));
    }
    out = v->get_string();
  }

  void country(std::string& code, std::string& name) {
    std::string_view text = domain::kDefaultCountry;
    if (const json::value* v = given("country"); v != nullptr) {
      if (!v->is_string()) {
        return reject("country must be a two-letter country code such as \"US\"");
      }
      text = v->get_string();
    }
    const auto found = domain::find_country(text);
    if (!found) return reject(fmt::format("unknown country {}", quoted(text)));
    code = found->code;
    name = found->name;
  }

  void flag(std::string_view key, bool& out) {
    const json::value* v = given(key);
    if (v == nullptr) return;
    std::optional<bool> value;
    if (v->is_bool()) {
      value = v->get_bool();
    } else if (source_ == Source::kForm && v->is_string()) {
      value = core::parse_bool(v->get_string());
    }
    if (!value) return reject(fmt::format("{} must be true or false", key));
    out = *value;
  }

  void count(int& out) {
    const json::value* v = given("count");
    if (v == nullptr) return;
    const std::optional<double> n = number(*v);
    if (!n || *n != std::floor(*n) || *n < 1 || *n > kMaxCount) {
      return reject(fmt::format("count must be an integer from 1 to {}", kMaxCount));
    }
    out = static_cast<int>(*n);
  }

  void min_rating(std::optional<double>& out) {
    const json::value* v = given("min_rating");
    if (v == nullptr) return;
    const std::optional<double> n = number(*v);
    if (!n || !(*n >= 0 && *n <= 10)) return reject("min_rating must be a number from 0 to 10");
    out = *n;
  }

  void request_id(std::string& out) {
    const json::value* v = given("request_id");
    if (v == nullptr) return;
    if (!v->is_string()) return reject_request_id();
    // The seed generates an id when the client's is empty (`data.get("request_id") or ...`).
    if (v->get_string().empty()) return;
    if (!valid_request_id(v->get_string())) return reject_request_id();
    out = v->get_string();
  }

 private:
  // The seed reads optional fields with data.get(...), so null is the same as missing. After a
  // failure every field reads as missing, which keeps the first message.
  const json::value* given(std::string_view key) const {
    if (error_) return nullptr;
    const json::value* v = body_.if_contains(key);
    return v != nullptr && !v->is_null() ? v : nullptr;
  }

  std::optional<double> number(const json::value& v) const {
    if (source_ == Source::kForm && v.is_string()) return core::parse_double(v.get_string());
    boost::system::error_code ec;
    const double n = v.to_number<double>(ec);  // int64, uint64 or double; never bool or string
    if (ec) return std::nullopt;
    return n;
  }

  void reject(std::string message) {
    error_ = core::Error{ErrorCode::kInvalidInput, std::move(message)};
  }
  void reject_request_id() { reject("request_id must be 1-64 letters, digits, '_' or '-'"); }

  const json::object& body_;
  Source source_;
  std::optional<core::Error> error_;
};

core::Result<RecommendBody> read_recommend(const json::object& body, Source source) {
  RecommendBody out;
  FieldReader r(body, source);
  r.username(source == Source::kJson, out.username);
  r.country(out.country, out.country_name);
  r.flag("include_streaming", out.include_streaming);
  r.flag("include_watchlist", out.include_watchlist);
  r.count(out.count);
  r.min_rating(out.min_rating);
  r.request_id(out.request_id);
  r.flag("sync", out.sync);
  if (r.error()) return tl::unexpected(*r.error());
  return out;
}

// --- multipart/form-data -------------------------------------------------------------------------

constexpr std::string_view kCrlf = "\r\n";

bool is_tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_tchar);
}

std::string_view skip_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  return text;
}

// A header value such as `form-data; name="export"; filename="a.zip"`: the leading token and its
// parameters (names lower-cased), values as tokens or quoted strings with backslash escapes.
struct HeaderValue {
  std::string type;
  std::vector<std::pair<std::string, std::string>> params;

  std::optional<std::string_view> param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
};

std::optional<HeaderValue> parse_header_value(std::string_view text) {
  HeaderValue out;
  const std::size_t semicolon = text.find(';');
  out.type = core::to_lower_ascii(core::trim(text.substr(0, semicolon)));
  if (out.type.empty()) return std::nullopt;
  text = semicolon == std::string_view::npos ? std::string_view() : text.substr(semicolon);
  while (!(text = skip_ows(text)).empty()) {
    if (text.front() != ';') return std::nullopt;
    text = skip_ows(text.substr(1));
    if (text.empty()) break;  // a trailing ';' is harmless
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const std::string_view name = core::trim(text.substr(0, equals));
    if (!is_token(name)) return std::nullopt;
    text = skip_ows(text.substr(equals + 1));
    std::string value;
    if (!text.empty() && text.front() == '"') {
      std::size_t i = 1;
      for (; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i];
      }
      if (i == text.size()) return std::nullopt;  // unterminated
      text.remove_prefix(i + 1);
    } else {
      const std::size_t end = text.find(';');
      value = core::trim(text.substr(0, end));
      if (value.empty()) return std::nullopt;
      text = end == std::string_view::npos ? std::string_view() : text.substr(end);
    }
    out.params.emplace_back(core::to_lower_ascii(name), std::move(value));
  }
  return out;
}

// RFC 2046: 1-70 of these, not ending in a space.
bool valid_boundary(std::string_view b) {
  constexpr std::string_view kSpecials = "'()+_,-./:=? ";
  return !b.empty() && b.size() <= 70 && b.back() != ' ' &&
         std::all_of(b.begin(), b.end(), [&](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  kSpecials.find(c) != std::string_view::npos;
         });
}

// A delimiter line: where its leading CRLF starts (or its dashes, at the very start of the body),
// where the next part begins, and whether it was the close delimiter.
struct Delimiter {
  std::size_t start = 0;
  std::size_t next = 0;
  bool closing = false;
};

// What follows "--boundary" decides whether it is a delimiter at all: a boundary string followed
// by anything but "--" or transport padding and CRLF is part of the content.
std::optional<Delimiter> delimiter_at(std::string_view body, std::size_t start, std::size_t after) {
  if (body.substr(after, 2) == "--") return Delimiter{start, after + 2, true};
  while (after < body.size() && (body[after] == ' ' || body[after] == '\t'))
    ++after;
  if (body.substr(after, 2) == kCrlf) return Delimiter{start, after + 2, false};
  return std::nullopt;
}

std::optional<Delimiter> find_delimiter(std::string_view body, std::string_view needle,
                                        std::size_t from) {
  for (std::size_t at = body.find(needle, from); at != std::string_view::npos;
       at = body.find(needle, at + 1)) {
    if (auto d = delimiter_at(body, at, at + needle.size())) return d;
  }
  return std::nullopt;
}

// Fills name, filename and content_type from a part's header block (lines without the final
// CRLF CRLF). Header names are case-insensitive; headers other than these two are ignored.
bool read_part_headers(std::string_view block, FormPart& part) {
  bool disposition = false;
  while (!block.empty()) {
    const std::size_t eol = block.find(kCrlf);
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) return false;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = core::trim(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), [](char c) {
          return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
        })) {
      return false;
    }
    if (core::iequals_ascii(name, "content-disposition") && !disposition) {
      const auto parsed = parse_header_value(value);
      if (!parsed || parsed->type != "form-data") return false;
      const auto field = parsed->param("name");
      if (!field) return false;
      part.name = *field;
      part.filename = parsed->param("filename").value_or("");
      disposition = true;
    } else if (core::iequals_ascii(name, "content-type") && part.content_type.empty()) {
      part.content_type = value;
    }
  }
  return disposition;
}

}  // namespace

core::Result<json::object> parse_json_object(std::string_view body) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  json::value value = json::parse(body, ec, {}, options);
  if (ec == json::error::too_deep) {
    return invalid(fmt::format("request body nests deeper than {} levels", kMaxJsonDepth));
  }
  if (ec) return invalid("request body is not valid JSON");
  if (!value.is_object()) return invalid("request body must be a JSON object");
  return std::move(value.get_object());
}

core::Result<RecommendBody> parse_recommend_body(const json::object& body) {
  return read_recommend(body, Source::kJson);
}

core::Result<std::string> parse_username_body(const json::object& body) {
  std::string username;
  FieldReader r(body, Source::kJson);
  r.username(true, username);
  if (r.error()) return tl::unexpected(*r.error());
  return username;
}

core::Result<std::vector<FormPart>> parse_multipart(std::string_view content_type,
                                                    std::string_view body, std::size_t max_parts) {
  const auto type = parse_header_value(content_type);
  const auto boundary = type ? type->param("boundary") : std::nullopt;
  if (!type || type->type != "multipart/form-data" || !boundary) {
    return invalid("Content-Type must be multipart/form-data with a boundary");
  }
  if (!valid_boundary(*boundary)) return invalid("multipart boundary is invalid");

  const std::string needle = fmt::format("\r\n--{}", *boundary);
  const std::string_view dashes = std::string_view(needle).substr(2);
  // The first delimiter needs no CRLF before it when nothing precedes it.
  std::optional<Delimiter> delimiter;
  if (body.starts_with(dashes)) delimiter = delimiter_at(body, 0, dashes.size());
  if (!delimiter) delimiter = find_delimiter(body, needle, 0);
  if (!delimiter) return invalid("multipart body does not contain its boundary");

  std::vector<FormPart> parts;
  while (!delimiter->closing) {
    if (parts.size() == max_parts) {
      return invalid(fmt::format("multipart body has more than {} parts", max_parts));
    }
    // Searching from the CRLF that ended the delimiter line finds an empty header block too.
    const std::size_t block_start = delimiter->next - 2;
    // The window holds that CRLF, header lines of kMaxPartHeaderBytes with their own CRLFs, and
    // the CRLF of the blank line.
    constexpr std::size_t kWindow = kMaxPartHeaderBytes + 4;
    const std::size_t blank = body.substr(block_start, kWindow).find("\r\n\r\n");
    if (blank == std::string_view::npos) {
      if (body.size() - block_start >= kWindow) {
        return invalid(fmt::format("multipart part headers exceed {} bytes", kMaxPartHeaderBytes));
      }
      // The body ends inside the headers: a truncated upload.
      return invalid("multipart body is missing its final boundary");
    }
    FormPart part;
    const std::string_view block =
        blank == 0 ? std::string_view() : body.substr(delimiter->next, blank - 2);
    if (!read_part_headers(block, part)) return invalid("multipart part headers are malformed");
    const std::size_t content = block_start + blank + 4;
    const auto next = find_delimiter(body, needle, content - 2);
    if (!next) return invalid("multipart body is missing its final boundary");
    // An empty content puts the delimiter's CRLF on the blank line itself.
    part.body = next->start < content ? std::string() : body.substr(content, next->start - content);
    parts.push_back(std::move(part));
    delimiter = next;
  }
  return parts;
}

core::Result<RecommendUpload> parse_recommend_form(const std::vector<FormPart>& parts) {
  json::object fields;
  const FormPart* upload = nullptr;
  for (const FormPart& part : parts) {
    if (part.name == "export") {
      if (upload == nullptr) upload = &part;
    } else if (part.filename.empty() && !part.body.empty()) {
      fields.emplace(part.name, part.body);  // emplace keeps the first of a name
    }
  }
  auto body = read_recommend(fields, Source::kForm);
  if (!body) return tl::unexpected(body.error());
  if (upload == nullptr || upload->body.empty()) return invalid(std::string(kMissingExport));
  return RecommendUpload{std::move(*body), upload->body};
}

}  // namespace lbrec::server
