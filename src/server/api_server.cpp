#include "server/api_server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <optional>

#include "core/json_text.hpp"
#include "core/strings.hpp"
#include "domain/country.hpp"
#include "domain/username.hpp"
#include "pipeline/payload.hpp"
#include "server/http_responses.hpp"
#include "server/job_answers.hpp"
#include "server/request_body.hpp"
#include "server/static_assets.hpp"
#include "sources/letterboxd/export_reader.hpp"

namespace lbrec::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

using Steady = std::chrono::steady_clock;

enum class Route {
  kHealth,
  kIncidentStatus,
  kMetrics,
  kGetPages,
  kRecommend,
  kResult,
  kLogsStream,
  kRecommendationsStream,
  kStatusStream,
  kLanding,
  kResultsPage,
  kStatic,
  kUnknownApi,
  kUnknown,
};

struct RouteInfo {
  Route route;
  std::string_view label;  // the metrics and log label: bounded, never the raw path
  bool post = false;       // POST only (otherwise GET and HEAD)
};

constexpr std::array kFixedRoutes{
    std::pair<std::string_view, RouteInfo>{"/_health", {Route::kHealth, "/_health"}},
    std::pair<std::string_view, RouteInfo>{"/_incident-status",
                                           {Route::kIncidentStatus, "/_incident-status"}},
    std::pair<std::string_view, RouteInfo>{"/metrics", {Route::kMetrics, "/metrics"}},
    std::pair<std::string_view, RouteInfo>{"/api/get_pages",
                                           {Route::kGetPages, "/api/get_pages", true}},
    std::pair<std::string_view, RouteInfo>{"/api/recommend",
                                           {Route::kRecommend, "/api/recommend", true}},
    std::pair<std::string_view, RouteInfo>{"/api/result", {Route::kResult, "/api/result"}},
    std::pair<std::string_view, RouteInfo>{"/api/logs-stream",
                                           {Route::kLogsStream, "/api/logs-stream"}},
    std::pair<std::string_view, RouteInfo>{
        "/api/recommendations-stream",
        {Route::kRecommendationsStream, "/api/recommendations-stream"}},
    std::pair<std::string_view, RouteInfo>{"/api/status-stream",
                                           {Route::kStatusStream, "/api/status-stream"}},
    std::pair<std::string_view, RouteInfo>{"/", {Route::kLanding, "page"}},
};

constexpr std::string_view kStaticPrefix = "/static/";

// Routes by the encoded path: a percent-encoded name never matches a route or an asset, so
// "/%2e%2e/x" and friends fall through to 404 without any decoding.
RouteInfo resolve(std::string_view path) {
  for (const auto& [p, info] : kFixedRoutes) {
    if (path == p) return info;
  }
  if (path.starts_with(kStaticPrefix) || path == "/favicon.ico") {
    return {Route::kStatic, "static"};
  }
  if (path.starts_with("/api/") || path == "/api") return {Route::kUnknownApi, "other"};
  if (path.size() > 1 && path.find('/', 1) == std::string_view::npos &&
      domain::is_valid_username(path.substr(1))) {
    return {Route::kResultsPage, "page"};
  }
  return {Route::kUnknown, "other"};
}

std::optional<std::string> query_param(const boost::urls::url_view& url, std::string_view name) {
  const auto params = url.params();
  const auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

HttpResponse asset_response(const HttpRequest& request, const Asset& asset, bool cache) {
  if (request[http::field::if_none_match] == asset.etag) {
    HttpResponse res{http::status::not_modified, 11};
    add_common_headers(res.base());
    res.set(http::field::etag, asset.etag);
    return res;
  }
  HttpResponse res{http::status::ok, 11};
  add_common_headers(res.base());
  res.set(http::field::content_type, asset.content_type);
  res.set(http::field::etag, asset.etag);
  res.set(http::field::cache_control, cache ? "public, max-age=3600" : "no-cache");
  res.body() = std::string(asset.body);
  return res;
}

HttpResponse from_error(const core::Error& error) {
  json::object body = pipeline::error_payload(error);
  return json_response(core::http_status(error.code), body);
}

// Whether the request carries a multipart body (an export ZIP upload).
bool is_multipart(const HttpRequestHeader& header) {
  const auto type = header[http::field::content_type];
  return type.size() >= 19 && beast::iequals(type.substr(0, 19), "multipart/form-data");
}

void add_retry_after(HttpResponse& res, std::int64_t seconds) {
  res.set(http::field::retry_after, std::to_string(std::max<std::int64_t>(1, seconds)));
}

// A job's answer (server/job_answers) as an HTTP response.
HttpResponse rendered_response(const RenderedResult& r) {
  HttpResponse res = json_text_response(r.status, r.body);
  if (r.retry_after_s > 0) add_retry_after(res, r.retry_after_s);
  return res;
}

HttpResponse done_response(const JobDone& done, std::string_view id) {
  return rendered_response(render_done(done, id));
}

// A stream read through the relay until this instance turns out to run the job (the client
// opened its streams before posting, and the post came here), then from the hub, from where the
// relay left off: fewer hops, and no dependence on Redis for a job that runs here.
class FollowedEvents final : public RemoteEvents {
 public:
  FollowedEvents(JobHub& hub, JobRelay& relay, std::string id, Stream stream, std::uint64_t after)
      : hub_(hub), id_(std::move(id)), stream_(stream) {
    remote_ =
        relay.subscribe(id_, stream, after, [hub = &hub_, id = id_] { return hub->holds(id); });
  }

  asio::awaitable<std::optional<JobEvent>> next() override {
    if (!local_) {
      auto event = co_await remote_->next();
      if (event || !remote_->handed_over()) co_return event;
      auto local = hub_.subscribe(id_, stream_, remote_->last_seq());
      if (!local) co_return std::nullopt;
      local_.emplace(std::move(*local));
    }
    co_return co_await local_->next();
  }

  std::uint64_t last_seq() const override {
    return local_ ? local_->last_seq() : remote_->last_seq();
  }

 private:
  JobHub& hub_;
  std::string id_;
  Stream stream_;
  std::unique_ptr<RemoteEvents> remote_;
  std::optional<JobSubscription> local_;
};

}  // namespace

struct ApiServer::Exchange {
  beast::tcp_stream& stream;
  HttpRequest request;
  boost::urls::url_view url;
  RouteInfo info{Route::kUnknown, "other"};
  std::string client;
  std::string request_id;  // the job's, when the request names or creates one
  bool head = false;
  int status = 0;
};

ApiServer::ApiServer(JobHub& hub, ApiSettings settings, ApiHooks hooks, const core::Clock& clock)
    : hub_(hub),
      settings_(std::move(settings)),
      hooks_(std::move(hooks)),
      clock_(clock),
      limiter_(clock) {}

std::size_t ApiServer::body_limit_for(const HttpRequestHeader& header) const {
  return is_multipart(header) ? settings_.upload_body_limit : settings_.json_body_limit;
}

asio::awaitable<bool> ApiServer::handle(beast::tcp_stream& stream, HttpRequest request) {
  const auto started = Steady::now();
  const std::string target(request.target());
  const auto parsed = boost::urls::parse_origin_form(target);
  beast::error_code ec;
  const auto peer = stream.socket().remote_endpoint(ec);
  Exchange ex{stream, std::move(request), parsed ? *parsed : boost::urls::url_view()};
  ex.client = client_address(ex.request, peer, settings_.trust_proxy);
  bool keep = false;
  bool failed = false;
  try {
    if (!parsed) {
      ex.info = {Route::kUnknown, "other"};
      ex.status = 400;
      keep = co_await write_response(stream, error_response(400, "malformed request target"));
    } else {
      ex.info = resolve(ex.url.encoded_path());
      keep = co_await dispatch(ex);
    }
  } catch (const std::exception& e) {
    spdlog::error("event=handler_failed route={} request_id={} error=\"{}\"", ex.info.label,
                  ex.request_id, log_safe(e.what()));
    failed = true;
  }
  if (failed) {
    // A response is still owed when nothing was written yet; otherwise the connection just ends.
    if (ex.status == 0) {
      ex.status = 500;
      auto res = error_response(500, "Internal error; the service is still running.");
      res.keep_alive(false);
      co_await write_response(stream, std::move(res));
    }
    keep = false;
  }
  const auto elapsed = Steady::now() - started;
  http_metrics_.observe(ex.info.label, ex.status, elapsed);
  spdlog::info(
      "event=http method={} path=\"{}\" route={} status={} ms={:.2f} request_id={} client={}",
      std::string(ex.request.method_string()), log_safe(target), ex.info.label, ex.status,
      std::chrono::duration<double, std::milli>(elapsed).count(),
      ex.request_id.empty() ? "-" : ex.request_id, ex.client);
  co_return keep;
}

asio::awaitable<bool> ApiServer::dispatch(Exchange& ex) {
  const auto method = ex.request.method();
  auto send = [&ex](HttpResponse res) {
    ex.status = static_cast<int>(res.result_int());
    if (!ex.request_id.empty()) res.set("X-Request-ID", ex.request_id);
    res.keep_alive(ex.request.keep_alive() && res.keep_alive());
    if (ex.head) {
      // HEAD: the GET answer's headers, Content-Length included, and no body.
      const auto size = res.body().size();
      res.body().clear();
      res.content_length(size);
      return write_response(ex.stream, std::move(res), false);
    }
    return write_response(ex.stream, std::move(res));
  };

  if (method == http::verb::options) {
    HttpResponse res{http::status::no_content, 11};
    add_common_headers(res.base());
    res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
    res.set(http::field::access_control_allow_headers,
            "Content-Type, Last-Event-ID, X-Internal-Token, X-Request-ID");
    res.set(http::field::access_control_max_age, "600");
    co_return co_await send(std::move(res));
  }
  if (ex.info.route == Route::kUnknownApi || ex.info.route == Route::kUnknown) {
    co_return co_await send(error_response(404, "Not found."));
  }
  const bool get_like = method == http::verb::get || method == http::verb::head;
  if ((ex.info.post && method != http::verb::post) || (!ex.info.post && !get_like)) {
    auto res = error_response(405, "Method not allowed.");
    res.set(http::field::allow, ex.info.post ? "POST, OPTIONS" : "GET, HEAD, OPTIONS");
    co_return co_await send(std::move(res));
  }
  ex.head = method == http::verb::head;

  if (settings_.ratelimit_enabled) {
    const core::RateLimit* limit = nullptr;
    switch (ex.info.route) {
      case Route::kRecommend:
        limit = &settings_.limits.recommend;
        break;
      case Route::kGetPages:
        limit = &settings_.limits.get_pages;
        break;
      case Route::kResult:
        limit = &settings_.limits.result;
        break;
      case Route::kLogsStream:
      case Route::kRecommendationsStream:
      case Route::kStatusStream:
        limit = &settings_.limits.stream;
        break;
      case Route::kIncidentStatus:
        limit = &settings_.limits.incident_status;
        break;
      default:
        break;
    }
    if (limit) {
      std::optional<RateDecision> shared;
      if (hooks_.shared_rate_limit) {
        shared = co_await hooks_.shared_rate_limit(std::string(ex.info.label), ex.client, *limit);
      }
      const RateDecision d = shared ? *shared : limiter_.hit(ex.info.label, ex.client, *limit);
      if (!d.allowed) {
        auto res = error_response(429,
                                  fmt::format("Too many requests: at most {} per {} seconds.",
                                              limit->count, limit->period.count()),
                                  "Wait for the time in Retry-After, then try again.");
        add_retry_after(res, d.retry_after.count());
        co_return co_await send(std::move(res));
      }
    }
  }

  switch (ex.info.route) {
    case Route::kHealth:
      co_return co_await send(health());
    case Route::kIncidentStatus:
      co_return co_await send(incident_status(ex));
    case Route::kMetrics:
      co_return co_await send(metrics(ex));
    case Route::kGetPages: {
      auto res = co_await get_pages(ex);
      co_return co_await send(std::move(res));
    }
    case Route::kRecommend: {
      auto res = co_await recommend(ex);
      co_return co_await send(std::move(res));
    }
    case Route::kResult:
      co_return co_await send(co_await result(ex));
    case Route::kLogsStream:
      co_return co_await stream_events(ex, Stream::kLogs);
    case Route::kRecommendationsStream:
      co_return co_await stream_events(ex, Stream::kRecommendations);
    case Route::kStatusStream:
      co_return co_await stream_events(ex, Stream::kStatus);
    case Route::kLanding:
    case Route::kResultsPage: {
      const Asset* page =
          find_asset(ex.info.route == Route::kLanding ? "index.html" : "results.html");
      if (!page) co_return co_await send(error_response(404, "Not found."));
      co_return co_await send(asset_response(ex.request, *page, false));
    }
    case Route::kStatic: {
      const std::string_view path = ex.url.encoded_path();
      const Asset* asset = path == "/favicon.ico" ? find_asset("favicon.svg")
                                                  : find_asset(path.substr(kStaticPrefix.size()));
      if (!asset) co_return co_await send(error_response(404, "Not found."));
      co_return co_await send(asset_response(ex.request, *asset, true));
    }
    case Route::kUnknownApi:
    case Route::kUnknown:
      break;
  }
  co_return co_await send(error_response(404, "Not found."));
}

HttpResponse ApiServer::health() const {
  const net::BreakerSnapshot s = hooks_.incident ? hooks_.incident() : net::BreakerSnapshot{};
  json::object o;
  o["status"] = "ok";
  o["degraded"] = s.letterboxd_circuit_open;
  o["incident"] = incident_json(s);
  const JobCounters c = hub_.counters();
  json::object jobs;
  jobs["queued"] = c.queued;
  jobs["running"] = c.running;
  jobs["done"] = c.done;
  o["jobs"] = std::move(jobs);
  o["streams"] = open_streams_;
  return json_response(200, o);
}

bool ApiServer::allowed_internal(const Exchange& ex) const {
  if (settings_.internal_token.empty()) return true;
  return constant_time_equal(settings_.internal_token, ex.request["X-Internal-Token"]);
}

HttpResponse ApiServer::incident_status(Exchange& ex) const {
  if (!allowed_internal(ex)) return error_response(403, "Forbidden.");
  const net::BreakerSnapshot s = hooks_.incident ? hooks_.incident() : net::BreakerSnapshot{};
  return json_response(200, incident_json(s));
}

HttpResponse ApiServer::metrics(Exchange& ex) const {
  if (!allowed_internal(ex)) return error_response(403, "Forbidden.");
  std::vector<Sample> samples;
  const JobCounters c = hub_.counters();
  const auto jobs = [&](std::string_view state, double value) {
    samples.push_back(Sample{"lbrec_jobs",
                             "Recommendation jobs by state (done: still retained)",
                             "gauge",
                             {{"state", std::string(state)}},
                             value});
  };
  jobs("queued", static_cast<double>(c.queued));
  jobs("running", static_cast<double>(c.running));
  jobs("done", static_cast<double>(c.done));
  samples.push_back(Sample{"lbrec_jobs_submitted_total",
                           "Jobs accepted since start",
                           "counter",
                           {},
                           static_cast<double>(c.submitted)});
  samples.push_back(Sample{"lbrec_sse_streams_open",
                           "SSE streams open now",
                           "gauge",
                           {},
                           static_cast<double>(open_streams_)});
  samples.push_back(Sample{"lbrec_sse_streams_total",
                           "SSE streams served since start",
                           "counter",
                           {},
                           static_cast<double>(streams_served_)});
  const net::BreakerSnapshot s = hooks_.incident ? hooks_.incident() : net::BreakerSnapshot{};
  samples.push_back(Sample{"lbrec_letterboxd_circuit_open",
                           "1 while the Letterboxd circuit breaker is open",
                           "gauge",
                           {},
                           s.letterboxd_circuit_open ? 1.0 : 0.0});
  samples.push_back(Sample{"lbrec_letterboxd_failures_total",
                           "Failed Letterboxd fetches since start",
                           "counter",
                           {},
                           static_cast<double>(s.letterboxd_total_failures)});
  if (hooks_.collect_metrics) hooks_.collect_metrics(samples);
  std::string text;
  http_metrics_.render(text);
  render_samples(samples, text);
  HttpResponse res{http::status::ok, 11};
  add_common_headers(res.base());
  res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(text);
  return res;
}

asio::awaitable<HttpResponse> ApiServer::get_pages(Exchange& ex) {
  auto body = parse_json_object(ex.request.body());
  if (!body) co_return error_response(400, body.error().message);
  auto username = parse_username_body(*body);
  if (!username) co_return error_response(400, username.error().message);
  if (!hooks_.page_count) co_return error_response(503, "Page counts are not available.");
  auto pages = co_await hooks_.page_count(*username);
  if (!pages) {
    HttpResponse res = from_error(pages.error());
    if (blocked_kind(pages.error().code)) {
      const auto s = hooks_.incident ? hooks_.incident() : net::BreakerSnapshot{};
      add_retry_after(res, s.letterboxd_circuit_retry_after_s > 0
                               ? s.letterboxd_circuit_retry_after_s
                               : kDefaultBlockedRetryS);
    }
    co_return res;
  }
  json::object o;
  o["pages"] = *pages;
  co_return json_response(200, o);
}

asio::awaitable<HttpResponse> ApiServer::recommend(Exchange& ex) {
  pipeline::JobRequest job;
  RecommendBody body;
  if (is_multipart(ex.request.base())) {
    auto parts = parse_multipart(ex.request[http::field::content_type], ex.request.body());
    if (!parts) co_return error_response(400, parts.error().message);
    auto upload = parse_recommend_form(*parts);
    if (!upload) co_return error_response(400, upload.error().message);
    auto profile = sources::letterboxd::read_export_zip(upload->zip);
    if (!profile) {
      co_return error_response(400, profile.error().message,
                               "Upload the ZIP from Letterboxd's Settings > Data > Export.");
    }
    body = std::move(upload->body);
    if (body.username.empty()) body.username = profile->username;
    if (body.username.empty() || !domain::is_valid_username(body.username)) {
      body.username = "export";
    }
    job.profile = std::move(*profile);
  } else {
    auto parsed = parse_json_object(ex.request.body());
    if (!parsed) co_return error_response(400, parsed.error().message);
    auto fields = parse_recommend_body(*parsed);
    if (!fields) co_return error_response(400, fields.error().message);
    body = std::move(*fields);
  }
  job.username = body.username;
  job.country = body.country;
  job.count = body.count;
  job.include_streaming = body.include_streaming;
  job.include_watchlist = body.include_watchlist;
  job.min_rating = body.min_rating;
  // A client-supplied id must be free in every instance, not only this one.
  bool taken_elsewhere = false;
  if (relay_ && relay_->available() && !body.request_id.empty() &&
      valid_request_id(body.request_id) && !hub_.holds(body.request_id)) {
    taken_elsewhere = !co_await relay_->claim(body.request_id);
  }
  if (taken_elsewhere) {
    co_return error_response(409, "request_id is already in use by another request.",
                             "Leave request_id out to get a fresh one.");
  }
  auto id = hub_.submit(std::move(job), body.request_id);
  if (!id) {
    if (id.error().code == core::ErrorCode::kInvalidInput) {
      co_return error_response(409, "request_id is already in use by another request.",
                               "Leave request_id out to get a fresh one.");
    }
    auto res = error_response(503, "The service is busy; try again shortly.");
    add_retry_after(res, 5);
    co_return res;
  }
  ex.request_id = *id;
  if (body.sync) co_return co_await run_sync(*id);
  json::object o;
  o["request_id"] = *id;
  o["username"] = body.username;
  o["status"] = "accepted";
  co_return json_response(202, o);
}

asio::awaitable<HttpResponse> ApiServer::run_sync(std::string id) {
  // The status stream ends when the job does; reading it through is waiting for the job.
  auto subscription = hub_.subscribe(id, Stream::kStatus);
  if (subscription) {
    while (co_await subscription->next()) {
    }
  }
  const JobState state = hub_.result(id);
  if (const auto* done = std::get_if<JobDone>(&state)) co_return done_response(*done, id);
  co_return error_response(500, "The job ended without a result.");
}

asio::awaitable<HttpResponse> ApiServer::result(Exchange& ex) {
  const auto id = query_param(ex.url, "request_id");
  if (!id || id->empty()) co_return error_response(400, "request_id is required.");
  if (!valid_request_id(*id)) co_return error_response(400, "request_id is not valid.");
  ex.request_id = *id;
  const JobState state = hub_.result(*id);
  if (const auto* pending = std::get_if<JobPending>(&state)) {
    co_return rendered_response(render_pending(*id, pending->running, pending->progress));
  }
  if (const auto* done = std::get_if<JobDone>(&state)) co_return done_response(*done, *id);
  // Not here: perhaps another instance runs it.
  if (relay_ && relay_->available()) {
    if (const auto remote = co_await relay_->lookup(*id)) co_return rendered_response(*remote);
  }
  co_return error_response(404, "Unknown or expired request_id.",
                           "Results are kept for a limited time; ask for new recommendations.");
}

asio::awaitable<bool> ApiServer::stream_events(Exchange& ex, Stream which) {
  const auto id = query_param(ex.url, "request_id");
  auto reject = [&ex](int status, std::string_view message) {
    ex.status = status;
    auto res = error_response(status, message);
    res.keep_alive(ex.request.keep_alive());
    return write_response(ex.stream, std::move(res));
  };
  if (!id || id->empty()) co_return co_await reject(400, "request_id is required.");
  if (!valid_request_id(*id)) co_return co_await reject(400, "request_id is not valid.");
  ex.request_id = *id;
  std::uint64_t after = 0;
  if (const auto last = ex.request["Last-Event-ID"]; !last.empty()) {
    const auto n = core::parse_int(last);
    if (!n || *n < 0) co_return co_await reject(400, "Last-Event-ID must be a whole number.");
    after = static_cast<std::uint64_t>(*n);
  }
  // A job this instance does not hold may run in another one: read it through the relay, and
  // from the hub once the job turns out to run here (FollowedEvents).
  auto subscription = relay_ && relay_->available() && !hub_.holds(*id)
                          ? core::Result<JobSubscription>(JobSubscription(
                                std::make_unique<FollowedEvents>(hub_, *relay_, *id, which, after)))
                          : hub_.subscribe(*id, which, after);
  if (!subscription) {
    if (subscription.error().code == core::ErrorCode::kInvalidInput) {
      co_return co_await reject(400, "request_id is not valid.");
    }
    ex.status = 503;
    auto res = error_response(503, "The service is busy; try again shortly.");
    add_retry_after(res, 5);
    co_return co_await write_response(ex.stream, std::move(res));
  }
  ex.status = 200;
  SseHead head{http::status::ok, 11};
  add_common_headers(head.base());
  head.set("X-Request-ID", *id);
  ++open_streams_;
  ++streams_served_;
  const SseOutcome outcome =
      co_await serve_sse(ex.stream, std::move(head), std::move(*subscription), settings_.sse);
  --open_streams_;
  spdlog::debug("event=sse_end request_id={} events={} client_gone={}", *id, outcome.events,
                outcome.end == SseEnd::kClientGone);
  co_return false;
}

}  // namespace lbrec::server
