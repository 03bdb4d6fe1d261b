// Request bodies of the HTTP API: JSON objects, the recommend and get_pages fields, multipart
// forms carrying a Letterboxd export.

#include "server/request_body.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lbrec::server {

// Readable failures: the four fields, with bytes escaped. Found by argument-dependent lookup.
void PrintTo(const FormPart& p, std::ostream* os) {
  *os << testing::PrintToString(
      std::vector<std::string>{p.name, p.filename, p.content_type, p.body});
}

void PrintTo(const RecommendBody& b, std::ostream* os) {
  *os << "{username=" << testing::PrintToString(b.username) << " country=" << b.country << " ("
      << b.country_name << ") include_streaming=" << b.include_streaming
      << " include_watchlist=" << b.include_watchlist << " count=" << b.count
      << " min_rating=" << testing::PrintToString(b.min_rating)
      << " request_id=" << testing::PrintToString(b.request_id) << " sync=" << b.sync << "}";
}

namespace {

namespace json = boost::json;

// The message of a kInvalidInput error, or a marker that makes an expectation on it fail.
template <typename T>
std::string error_of(const core::Result<T>& result) {
  if (result.has_value()) return "<no error>";
  if (result.error().code != core::ErrorCode::kInvalidInput) return "<not kInvalidInput>";
  return result.error().message;
}

json::object object_of(std::string_view text) {
  auto parsed = parse_json_object(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << error_of(parsed);
  return parsed ? *parsed : json::object();
}

// What a request that names only `username` means.
RecommendBody defaults(std::string username) {
  return RecommendBody{.username = std::move(username), .country = "CL", .country_name = "Chile"};
}

// What the JSON and the form tests that set every field ask for.
RecommendBody every_field() {
  return RecommendBody{.username = "Film_Fan-9",
                       .country = "US",
                       .country_name = "United States",
                       .include_streaming = false,
                       .include_watchlist = true,
                       .count = 25,
                       .min_rating = 7.5,
                       .request_id = "req-1_A",
                       .sync = true};
}

core::Result<RecommendBody> recommend(std::string_view json_text) {
  return parse_recommend_body(object_of(json_text));
}

// {"username":"alice", <field>: <json value>}
core::Result<RecommendBody> recommend_with(std::string_view field, std::string_view value) {
  return recommend("{\"username\":\"alice\",\"" + std::string(field) + "\":" + std::string(value) +
                   "}");
}

FormPart text_part(std::string name, std::string value) {
  return FormPart{std::move(name), "", "", std::move(value)};
}
FormPart export_part(std::string bytes = "PK\x03\x04zip") {
  return FormPart{"export", "export.zip", "application/zip", std::move(bytes)};
}

// An export plus one text field.
core::Result<RecommendUpload> form_with(std::string name, std::string value) {
  return parse_recommend_form({export_part(), text_part(std::move(name), std::move(value))});
}

std::string nested(int levels) {
  std::string text;
  for (int i = 1; i < levels; ++i)
    text += "{\"a\":";
  text += "{}";
  for (int i = 1; i < levels; ++i)
    text += "}";
  return text;
}

const std::string kCountError = "count must be an integer from 1 to 200";
const std::string kRequestIdError = "request_id must be 1-64 letters, digits, '_' or '-'";
const std::string kMinRatingError = "min_rating must be a number from 0 to 10";

// --- parse_json_object ---------------------------------------------------------------------------

TEST(ParseJsonObject, ReturnsTheObject) {
  const auto parsed = parse_json_object(R"( {"username": "alice", "n": [1, 2]} )");
  ASSERT_TRUE(parsed.has_value()) << error_of(parsed);
  EXPECT_EQ(parsed->at("username").as_string(), "alice");
  EXPECT_EQ(parsed->at("n").as_array().size(), 2u);
}

TEST(ParseJsonObject, RejectsValuesThatAreNotObjects) {
  for (const char* text : {"[]", "\"x\"", "1", "null", "true", "[{\"username\":\"a\"}]"}) {
    EXPECT_EQ(error_of(parse_json_object(text)), "request body must be a JSON object") << text;
  }
}

TEST(ParseJsonObject, RejectsInvalidJson) {
  for (const char* text : {"", " ", "{", "{\"a\":}", "{} x", "{'a':1}", "{\"a\":1,}",
                           "username=alice", "{\"a\":\"\xff\"}"}) {
    EXPECT_EQ(error_of(parse_json_object(text)), "request body is not valid JSON") << text;
  }
}

TEST(ParseJsonObject, AllowsSixteenLevelsOfNestingAndNoMore) {
  EXPECT_TRUE(parse_json_object(nested(16)).has_value());
  EXPECT_EQ(error_of(parse_json_object(nested(17))), "request body nests deeper than 16 levels");
  // Arrays count as levels too.
  const std::string arrays = "{\"a\":" + std::string(15, '[') + std::string(15, ']') + "}";
  EXPECT_TRUE(parse_json_object(arrays).has_value());
  const std::string deeper = "{\"a\":" + std::string(16, '[') + std::string(16, ']') + "}";
  EXPECT_EQ(error_of(parse_json_object(deeper)), "request body nests deeper than 16 levels");
}

// --- parse_recommend_body ------------------------------------------------------------------------

TEST(ParseRecommendBody, AMinimalBodyGetsTheSeedsDefaults) {
  const auto body = recommend(R"({"username":"alice"})");
  ASSERT_TRUE(body.has_value()) << error_of(body);
  EXPECT_EQ(body->username, "alice");
  EXPECT_EQ(body->country, "CL");
  EXPECT_EQ(body->country_name, "Chile");
  EXPECT_TRUE(body->include_streaming);
  EXPECT_FALSE(body->include_watchlist);
  EXPECT_EQ(body->count, 0);
  EXPECT_FALSE(body->min_rating.has_value());
  EXPECT_EQ(body->request_id, "");
  EXPECT_FALSE(body->sync);
  EXPECT_EQ(*body, defaults("alice"));
}

TEST(ParseRecommendBody, ReadsEveryField) {
  const auto body = recommend(R"({"username":"Film_Fan-9","country":"us","include_streaming":false,
      "include_watchlist":true,"count":25,"min_rating":7.5,"request_id":"req-1_A","sync":true,
      "unknown":{"ignored":[1,2]}})");
  ASSERT_TRUE(body.has_value()) << error_of(body);
  EXPECT_EQ(*body, every_field());
}

TEST(ParseRecommendBody, NullMeansNotGiven) {
  const auto body = recommend(R"({"username":"alice","country":null,"include_streaming":null,
      "include_watchlist":null,"count":null,"min_rating":null,"request_id":null,"sync":null})");
  ASSERT_TRUE(body.has_value()) << error_of(body);
  EXPECT_EQ(*body, defaults("alice"));
}

TEST(ParseRecommendBody, UsernameIsRequired) {
  EXPECT_EQ(error_of(recommend("{}")), "username is required");
  EXPECT_EQ(error_of(recommend(R"({"username":null})")), "username is required");
  EXPECT_EQ(error_of(recommend(R"({"Username":"alice"})")), "username is required");
}

TEST(ParseRecommendBody, RejectsInvalidUsernames) {
  const std::string fifty(50, 'a');
  EXPECT_EQ(recommend("{\"username\":\"" + fifty + "\"}")->username, fifty);
  for (const std::string& bad :
       {std::string("\"\""), "\"" + fifty + "b\"", std::string("\"al ice\""),
        std::string("\"j\xc3\xb6hn\""), std::string("\"../x\""), std::string("\"a/b\""),
        std::string("\"alice\\n\""), std::string("5"), std::string("true"), std::string("[]"),
        std::string("{}")}) {
    EXPECT_EQ(error_of(recommend("{\"username\":" + bad + "}")), kInvalidUsername) << bad;
  }
}

TEST(ParseRecommendBody, CountryIsUpperCasedAndMustBeSupported) {
  for (const char* code : {"\"gb\"", "\"Gb\"", "\"GB\""}) {
    const auto body = recommend_with("country", code);
    ASSERT_TRUE(body.has_value()) << code;
    EXPECT_EQ(body->country, "GB");
    EXPECT_EQ(body->country_name, "United Kingdom");
  }
  EXPECT_EQ(error_of(recommend_with("country", "\"XX\"")), "unknown country 'XX'");
  EXPECT_EQ(error_of(recommend_with("country", "\"xx\"")), "unknown country 'xx'");
  EXPECT_EQ(error_of(recommend_with("country", "\"\"")), "unknown country ''");
  EXPECT_EQ(error_of(recommend_with("country", "\"USA\"")), "unknown country 'USA'");
  EXPECT_EQ(error_of(recommend_with("country", "1")),
            "country must be a two-letter country code such as \"US\"");
}

TEST(ParseRecommendBody, EchoesAtMostFortyBytesOfInputWithControlBytesSpelledOut) {
  const std::string long_code = "\"\\n\\u0000" + std::string(60, 'z') + "\"";
  EXPECT_EQ(error_of(recommend_with("country", long_code)),
            "unknown country '\\x0A\\x00" + std::string(38, 'z') + "'...");
  EXPECT_EQ(error_of(recommend_with("country", "\"\xc3\xa9\"")), "unknown country '\\xC3\\xA9'");
}

TEST(ParseRecommendBody, BooleansMustBeJsonBooleans) {
  for (const char* field : {"include_streaming", "include_watchlist", "sync"}) {
    const std::string message = std::string(field) + " must be true or false";
    for (const char* bad : {"\"true\"", "\"false\"", "1", "0", "\"on\"", "[]"}) {
      EXPECT_EQ(error_of(recommend_with(field, bad)), message) << field << "=" << bad;
    }
  }
  EXPECT_FALSE(recommend_with("include_streaming", "false")->include_streaming);
  EXPECT_TRUE(recommend_with("include_watchlist", "true")->include_watchlist);
  EXPECT_TRUE(recommend_with("sync", "true")->sync);
}

TEST(ParseRecommendBody, CountIsAnIntegerFromOneToTwoHundred) {
  EXPECT_EQ(recommend_with("count", "1")->count, 1);
  EXPECT_EQ(recommend_with("count", "200")->count, 200);
  EXPECT_EQ(recommend_with("count", "5.0")->count, 5);  // JSON has one number type
  for (const char* bad :
       {"0", "201", "-1", "1.5", "\"5\"", "true", "1e10", "18446744073709551615", "[5]"}) {
    EXPECT_EQ(error_of(recommend_with("count", bad)), kCountError) << bad;
  }
}

TEST(ParseRecommendBody, MinRatingIsANumberFromZeroToTen) {
  EXPECT_EQ(recommend_with("min_rating", "0")->min_rating, 0.0);
  EXPECT_EQ(recommend_with("min_rating", "10")->min_rating, 10.0);
  EXPECT_EQ(recommend_with("min_rating", "6.5")->min_rating, 6.5);
  for (const char* bad : {"-0.1", "10.01", "\"7\"", "false"}) {
    EXPECT_EQ(error_of(recommend_with("min_rating", bad)), kMinRatingError) << bad;
  }
}

TEST(ParseRecommendBody, RequestIdMustBeAValidId) {
  const std::string max_id(64, 'x');
  EXPECT_EQ(recommend_with("request_id", "\"" + max_id + "\"")->request_id, max_id);
  EXPECT_EQ(recommend_with("request_id", "\"\"")->request_id, "") << "empty: server picks one";
  for (const std::string& bad :
       {"\"" + max_id + "x\"", std::string("\"a b\""), std::string("\"../x\""),
        std::string("\"id\\r\\n\""), std::string("\"\xc3\xa9\""), std::string("123"),
        std::string("true")}) {
    EXPECT_EQ(error_of(recommend_with("request_id", bad)), kRequestIdError) << bad;
  }
}

TEST(ParseRecommendBody, TheFirstInvalidFieldIsReported) {
  EXPECT_EQ(error_of(recommend(R"({"username":"a b","count":0})")), kInvalidUsername);
  EXPECT_EQ(error_of(recommend(R"({"username":"ok","count":0,"sync":"x"})")), kCountError);
}

// --- parse_username_body -------------------------------------------------------------------------

TEST(ParseUsernameBody, AppliesTheUsernameRule) {
  EXPECT_EQ(parse_username_body(object_of(R"({"username":"alice","x":1})")).value_or(""), "alice");
  EXPECT_EQ(error_of(parse_username_body(object_of("{}"))), "username is required");
  EXPECT_EQ(error_of(parse_username_body(object_of(R"({"username":"../x"})"))), kInvalidUsername);
  EXPECT_EQ(error_of(parse_username_body(object_of(R"({"username":7})"))), kInvalidUsername);
}

// --- parse_multipart -----------------------------------------------------------------------------

const char* const kFormType = "multipart/form-data; boundary=XyZ";

// The parts of a body that must parse; none, and a failed expectation, when it does not.
std::vector<FormPart> parts_of(const std::string& body, std::string_view type = kFormType) {
  auto parts = parse_multipart(type, body);
  EXPECT_TRUE(parts.has_value()) << type << ": " << error_of(parts);
  return parts.value_or(std::vector<FormPart>());
}

TEST(ParseMultipart, ReadsTextAndFileParts) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"username\"\r\n"
      "\r\n"
      "alice\r\n"
      "--XyZ\r\n"
      "content-disposition: FORM-DATA; filename=\"my \\\"export\\\".zip\"; name=export\r\n"
      "Content-Type: application/zip\r\n"
      "X-Other: ignored\r\n"
      "\r\n"
      "PK\x03\x04\r\n"
      "--XyZ--\r\n";
  EXPECT_EQ(parts_of(body), (std::vector<FormPart>{
                                {"username", "", "", "alice"},
                                {"export", "my \"export\".zip", "application/zip", "PK\x03\x04"},
                            }));
}

TEST(ParseMultipart, AcceptsAQuotedBoundaryAndAnyCaseInTheContentType) {
  const std::string body =
      "--a b'()+_,-./:=?\r\n"
      "Content-Disposition: form-data; name=\"n\"\r\n\r\n"
      "v\r\n"
      "--a b'()+_,-./:=?--";
  for (const char* type : {"multipart/form-data; boundary=\"a b'()+_,-./:=?\"",
                           "Multipart/Form-Data ;Boundary=\"a b'()+_,-./:=?\"; charset=utf-8"}) {
    EXPECT_EQ(parts_of(body, type), (std::vector<FormPart>{{"n", "", "", "v"}}));
  }
}

TEST(ParseMultipart, LinesEndInCrlfAndTheCrlfBeforeADelimiterBelongsToIt) {
  const std::string body =
      "preamble text\r\n"
      "--XyZ  \t\r\n"  // transport padding after a delimiter is allowed
      "Content-Disposition: form-data; name=\"lines\"\r\n\r\n"
      "one\r\ntwo\r\n\r\n"
      "\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
      "\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"lf\"\r\n\r\n"
      "a\nb\n--XyZ\n"  // bare LF: content, not a delimiter
      "\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"no content\"\r\n"  // its CRLF ends the headers
      "\r\n--XyZ--\r\nepilogue\r\n--XyZ\r\n";
  EXPECT_EQ(parts_of(body), (std::vector<FormPart>{
                                {"lines", "", "", "one\r\ntwo\r\n\r\n"},
                                {"empty", "", "", ""},
                                {"lf", "", "", "a\nb\n--XyZ\n"},
                                {"no content", "", "", ""},
                            }));
}

TEST(ParseMultipart, BinaryContentSurvivesExactly) {
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes += static_cast<char>(i);
  bytes += std::string("\r\n--", 4);
  bytes += "\r\n--Xy";     // a prefix of the boundary
  bytes += "\r\n--XyZA";   // the boundary followed by something else
  bytes += "\r\n--XyZ-x";  // one dash is not the close delimiter
  bytes += "--XyZ--";      // not at the start of a line
  bytes += std::string("\0\r\n\0", 4);
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"export\"; filename=\"e.zip\"\r\n\r\n" +
      bytes + "\r\n--XyZ--";
  EXPECT_EQ(parts_of(body), (std::vector<FormPart>{{"export", "e.zip", "", bytes}}));
}

TEST(ParseMultipart, NeedsTheFinalBoundary) {
  const std::string start = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
  for (const std::string& body : {start, start + "\r\n", start + "\r\n--XyZ",
                                  start + "\r\n--XyZ\r\n", start + "\r\n--XyZ-"}) {
    EXPECT_EQ(error_of(parse_multipart(kFormType, body)),
              "multipart body is missing its final boundary")
        << body;
  }
  EXPECT_TRUE(parse_multipart(kFormType, start + "\r\n--XyZ--").has_value());
}

TEST(ParseMultipart, RejectsContentTypesWithoutAUsableBoundary) {
  const std::string body = "--XyZ--";
  for (const char* type : {"", "application/json", "multipart/form-data",
                           "multipart/mixed; boundary=XyZ", "multipart/form-data; boundary",
                           "multipart/form-data; boundary=\"XyZ", "text/plain; boundary=XyZ"}) {
    EXPECT_EQ(error_of(parse_multipart(type, body)),
              "Content-Type must be multipart/form-data with a boundary")
        << type;
  }
  for (const std::string& type : {std::string("multipart/form-data; boundary=\"\""),
                                  std::string("multipart/form-data; boundary=a@b"),
                                  std::string("multipart/form-data; boundary=\"ends in space \""),
                                  "multipart/form-data; boundary=" + std::string(71, 'b')}) {
    EXPECT_EQ(error_of(parse_multipart(type, body)), "multipart boundary is invalid") << type;
  }
  EXPECT_TRUE(parse_multipart("multipart/form-data; boundary=" + std::string(70, 'b'),
                              "--" + std::string(70, 'b') + "--")
                  .has_value());
}

TEST(ParseMultipart, RejectsABodyWithoutItsBoundary) {
  for (const char* body : {"", "hello", "--Other\r\n\r\n--Other--", "--XyZ", "--XyZZ--",
                           "\n--XyZ\nContent-Disposition: form-data; name=a\n\nv\n--XyZ--"}) {
    EXPECT_EQ(error_of(parse_multipart(kFormType, body)),
              "multipart body does not contain its boundary")
        << body;
  }
}

TEST(ParseMultipart, AcceptsAFormWithNoParts) {
  EXPECT_EQ(parts_of("--XyZ--\r\n"), std::vector<FormPart>());
}

TEST(ParseMultipart, RejectsMalformedPartHeaders) {
  for (const char* headers :
       {"", "Content-Type: text/plain\r\n", "Content-Disposition: attachment; name=\"a\"\r\n",
        "Content-Disposition: form-data\r\n", "Content-Disposition: form-data; filename=x\r\n",
        "Content-Disposition: form-data; name=\"a\r\n",
        "Content-Disposition: form-data; name=\"a\"\r\nno colon here\r\n",
        "Content-Disposition : form-data; name=\"a\"\r\n",
        "Content-Disposition: form-data; name=\"a\"\r\n folded: line\r\n",
        "Content-Disposition: form-data; name=\"a\"\r\nX: a\x01z\r\n",
        "Content-Disposition: form-data; =x; name=\"a\"\r\n"}) {
    const std::string body = std::string("--XyZ\r\n") + headers + "\r\nvalue\r\n--XyZ--";
    EXPECT_EQ(error_of(parse_multipart(kFormType, body)), "multipart part headers are malformed")
        << headers;
  }
}

TEST(ParseMultipart, BoundsPartHeaders) {
  const std::string disposition = "Content-Disposition: form-data; name=\"a\"\r\n";
  const auto with_header = [&](std::size_t filler) {
    return "--XyZ\r\n" + disposition + "X: " + std::string(filler, 'h') + "\r\n\r\nv\r\n--XyZ--";
  };
  // Headers of exactly kMaxPartHeaderBytes (CRLF line ends included) are fine.
  const std::size_t fits = kMaxPartHeaderBytes - disposition.size() - 5;
  EXPECT_TRUE(parse_multipart(kFormType, with_header(fits)).has_value());
  EXPECT_EQ(error_of(parse_multipart(kFormType, with_header(fits + 1))),
            "multipart part headers exceed 8192 bytes");
}

TEST(ParseMultipart, LimitsTheNumberOfParts) {
  const auto form = [](int parts) {
    std::string body;
    for (int i = 0; i < parts; ++i) {
      body += "--XyZ\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) +
              "\"\r\n\r\nv\r\n";
    }
    return body + "--XyZ--";
  };
  const auto sixteen = parts_of(form(16));
  ASSERT_EQ(sixteen.size(), 16u);
  EXPECT_EQ(sixteen[15].name, "f15");
  EXPECT_EQ(error_of(parse_multipart(kFormType, form(17))),
            "multipart body has more than 16 parts");
  EXPECT_EQ(error_of(parse_multipart(kFormType, form(3), 2)),
            "multipart body has more than 2 parts");
}

// --- parse_recommend_form ------------------------------------------------------------------------

TEST(ParseRecommendForm, ReadsTextFieldsAndTheExport) {
  const std::string zip("PK\x03\x04\0\r\n--binary", 16);
  const auto upload = parse_recommend_form(
      {text_part("username", "Film_Fan-9"), text_part("country", "us"),
       text_part("include_streaming", "off"), text_part("include_watchlist", "on"),
       text_part("count", "25"), text_part("min_rating", "7.5"), text_part("request_id", "req-1_A"),
       text_part("sync", "1"), text_part("unknown", "x"), export_part(zip)});
  ASSERT_TRUE(upload.has_value()) << error_of(upload);
  EXPECT_EQ(upload->zip, zip);
  EXPECT_EQ(upload->body, every_field());
}

TEST(ParseRecommendForm, UsernameIsOptionalAndEmptyFieldsAreNotGiven) {
  for (const std::vector<FormPart>& parts :
       {std::vector<FormPart>{export_part()},
        std::vector<FormPart>{text_part("username", ""), text_part("country", ""),
                              text_part("count", ""), text_part("include_streaming", ""),
                              text_part("min_rating", ""), text_part("request_id", ""),
                              export_part()}}) {
    const auto upload = parse_recommend_form(parts);
    ASSERT_TRUE(upload.has_value()) << error_of(upload);
    EXPECT_EQ(upload->body, defaults(""));
  }
}

TEST(ParseRecommendForm, BooleansAreFormWords) {
  for (const char* yes : {"true", "TRUE", "1", "on", "yes"}) {
    EXPECT_TRUE(form_with("sync", yes)->body.sync) << yes;
  }
  for (const char* no : {"false", "0", "off", "no"}) {
    EXPECT_FALSE(form_with("include_streaming", no)->body.include_streaming) << no;
  }
  EXPECT_EQ(error_of(form_with("include_watchlist", "maybe")),
            "include_watchlist must be true or false");
}

TEST(ParseRecommendForm, NeedsANonEmptyExportPart) {
  EXPECT_EQ(error_of(parse_recommend_form({text_part("username", "alice")})), kMissingExport);
  EXPECT_EQ(error_of(parse_recommend_form({})), kMissingExport);
  EXPECT_EQ(error_of(parse_recommend_form({export_part("")})), kMissingExport);
  EXPECT_EQ(error_of(parse_recommend_form({FormPart{"file", "e.zip", "", "PK"}})), kMissingExport);
}

TEST(ParseRecommendForm, TheFirstPartOfANameWinsAndOtherFilesAreIgnored) {
  const auto upload = parse_recommend_form(
      {text_part("country", "fr"), text_part("country", "XX"), export_part("first"),
       export_part("second"), FormPart{"username", "u.txt", "text/plain", "not a username!"}});
  ASSERT_TRUE(upload.has_value()) << error_of(upload);
  EXPECT_EQ(upload->body.country, "FR");
  EXPECT_EQ(upload->zip, "first");
  EXPECT_EQ(upload->body.username, "");
}

// One rule, one message, whichever way the request came.
TEST(RecommendRules, JsonAndFormReportTheSameMessages) {
  struct Case {
    std::string field;
    std::string json;
    std::string form;
    std::string message;
  };
  const std::string long_name(51, 'u');
  const std::vector<Case> cases = {
      {"username", "\"a b\"", "a b", std::string(kInvalidUsername)},
      {"username", "\"../x\"", "../x", std::string(kInvalidUsername)},
      {"username", "\"" + long_name + "\"", long_name, std::string(kInvalidUsername)},
      {"country", "\"XX\"", "XX", "unknown country 'XX'"},
      {"count", "0", "0", kCountError},
      {"count", "201", "201", kCountError},
      {"count", "1.5", "1.5", kCountError},
      {"count", "\"5\"", "five", kCountError},
      {"min_rating", "11", "11", kMinRatingError},
      {"min_rating", "-1", "-1", kMinRatingError},
      {"request_id", "\"a b\"", "a b", kRequestIdError},
      {"include_streaming", "\"true\"", "maybe", "include_streaming must be true or false"},
      {"sync", "2", "2", "sync must be true or false"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(error_of(recommend_with(c.field, c.json)), c.message) << c.field << "=" << c.json;
    EXPECT_EQ(error_of(form_with(c.field, c.form)), c.message) << c.field << "=" << c.form;
  }
  // Counts given as text are read as numbers only in a form.
  EXPECT_EQ(form_with("count", "5")->body.count, 5);
  EXPECT_EQ(form_with("count", "5.0")->body.count, 5);
  EXPECT_EQ(form_with("min_rating", "10")->body.min_rating, 10.0);
}

TEST(RecommendRules, AFormPostedAsMultipartRoundTrips) {
  const std::string zip("PK\x05\x06\r\n--Bnd\0", 13);
  const std::string body =
      "--Bnd\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n"
      "--Bnd\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n12\r\n"
      "--Bnd\r\nContent-Disposition: form-data; name=\"export\"; filename=\"x.zip\"\r\n"
      "Content-Type: application/zip\r\n\r\n" +
      zip + "\r\n--Bnd--\r\n";
  const auto upload = parse_recommend_form(parts_of(body, "multipart/form-data; boundary=Bnd"));
  ASSERT_TRUE(upload.has_value()) << error_of(upload);
  EXPECT_EQ(upload->body.username, "alice");
  EXPECT_EQ(upload->body.count, 12);
  EXPECT_EQ(upload->zip, zip);
}

}  // namespace
}  // namespace lbrec::server
