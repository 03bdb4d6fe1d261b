#include "fault_replies.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "core/strings.hpp"
#include "tmdb_api.hpp"

namespace lbrec::fakeworld {
namespace {

constexpr std::string_view kChallengePage =
    "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>"
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">"
    "<meta name=\"robots\" content=\"noindex,nofollow\"></head><body>"
    "<div class=\"main-wrapper\" role=\"main\"><div class=\"main-content\">"
    "<h1 class=\"zone-name-title h1\">letterboxd.com</h1>"
    "<h2 class=\"h2\" id=\"challenge-running\">Checking if the site connection is secure</h2>"
    "<noscript><div class=\"h2\">Enable JavaScript and cookies to continue</div></noscript>"
    "</div></div>"
    "<script "
    "src=\"https://challenges.cloudflare.com/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/"
    "v1\"></script>"
    "</body></html>\n";

constexpr std::string_view kRateLimitPage =
    "<!DOCTYPE html><html lang=\"en-US\"><head><title>Access denied | letterboxd.com used "
    "Cloudflare "
    "to restrict access</title></head><body><div id=\"cf-wrapper\"><div id=\"cf-error-details\">"
    "<h1>Error 1015</h1><h2>You are being rate limited</h2>"
    "<p>The owner of this website (letterboxd.com) has banned you temporarily from accessing this "
    "website.</p></div></div></body></html>\n";

void add_cloudflare_headers(FakeReply& r) {
  r.headers.emplace_back("Server", "cloudflare");
  r.headers.emplace_back("cf-ray", "8f1e2d3c4b5a6978-SCL");
  r.headers.emplace_back("Cache-Control",
                         "private, max-age=0, no-store, no-cache, must-revalidate");
}

FakeReply graphql_error(int status, std::string_view message) {
  return FakeReply::json(
      status, boost::json::object{
                  {"errors", boost::json::array{boost::json::object{{"message", message}}}}});
}

}  // namespace

FakeReply fault_reply(Family family, FaultKind kind, int retry_after_s) {
  FakeReply r;
  switch (kind) {
    case FaultKind::kChallenge:
      r = FakeReply::html(403, std::string(kChallengePage));
      r.headers.emplace_back("cf-mitigated", "challenge");
      add_cloudflare_headers(r);
      return r;
    case FaultKind::kRateLimit:
      if (family == Family::kTmdb) {
        r = tmdb_error(429, 25, "Your request count (41) is over the allowed limit of 40.");
      } else if (family == Family::kJustWatch) {
        r = graphql_error(429, "Too many requests");
      } else {
        r = FakeReply::html(429, std::string(kRateLimitPage));
        add_cloudflare_headers(r);
      }
      if (retry_after_s >= 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
      return r;
    case FaultKind::kError500:
      if (family == Family::kTmdb)
        return tmdb_error(500, 11, "Internal error: Something went wrong, contact TMDB.");
      if (family == Family::kJustWatch) return graphql_error(500, "Internal server error");
      return FakeReply::html(
          500,
          "<html><head><title>Letterboxd • Error</title></head><body class=\"error\">"
          "<section class=\"message\"><h1>Something went wrong</h1></section></body></html>\n");
    case FaultKind::kError503:
      if (family == Family::kTmdb) {
        return tmdb_error(503, 46, "The API is undergoing maintenance. Try again later.");
      }
      if (family == Family::kJustWatch) return graphql_error(503, "Service unavailable");
      r = FakeReply::html(
          503,
          "<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
          "<center><h1>503 Service Temporarily Unavailable</h1></center></body></html>\n");
      add_cloudflare_headers(r);
      return r;
    default:
      return FakeReply::html(500, "unexpected fault\n");
  }
}

FakeReply malformed_reply(FakeReply normal) {
  // Keep the first third, then bytes no parser expects: a cut JSON document, an unclosed tag with
  // junk attributes, invalid UTF-8.
  std::string body = normal.body.substr(0, normal.body.size() / 3);
  body += "\xff\xfe<div class=\"poster-grid\"><ul><li class=\"griditem\"><div data-item-slug=\"";
  body += "{\"page\":1,\"results\":[{\"id\":";
  normal.body = std::move(body);
  return normal;
}

std::string clearance_cookie_value(std::uint64_t seed) {
  return fmt::format("{:016x}", seed * 0x9E3779B97F4A7C15ULL + 0x1234567);
}

bool has_clearance(std::string_view cookie_header, std::string_view value) {
  for (std::string_view part : core::split(cookie_header, ';')) {
    part = core::trim(part);
    if (part.starts_with("cf_clearance=") && part.substr(13) == value) return true;
  }
  return false;
}

FakeReply js_challenge_reply(std::string_view cookie_value) {
  std::string page(kChallengePage);
  const std::string script = fmt::format(
      "<script>document.cookie = \"cf_clearance={}; path=/; SameSite=Lax\"; "
      "setTimeout(function () {{ location.reload(); }}, 50);</script></body>",
      cookie_value);
  page.replace(page.rfind("</body>"), 7, script);
  FakeReply r = FakeReply::html(403, std::move(page));
  r.headers.emplace_back("cf-mitigated", "challenge");
  add_cloudflare_headers(r);
  return r;
}

}  // namespace lbrec::fakeworld
