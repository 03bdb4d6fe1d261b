#include "server/job_answers.hpp"

#include "core/json_text.hpp"
#include "pipeline/payload.hpp"
#include "server/job_hub.hpp"

namespace lbrec::server {

namespace json = boost::json;

json::object incident_json(const net::BreakerSnapshot& s) {
  json::object o;
  o["letterboxd_total_failures"] = s.letterboxd_total_failures;
  o["letterboxd_consecutive_failures"] = s.letterboxd_consecutive_failures;
  o["letterboxd_last_status"] = s.letterboxd_last_status;
  o["letterboxd_circuit_open"] = s.letterboxd_circuit_open;
  o["letterboxd_circuit_retry_after_s"] = s.letterboxd_circuit_retry_after_s;
  return o;
}

bool blocked_kind(core::ErrorCode code) {
  return code == core::ErrorCode::kBlocked || code == core::ErrorCode::kRateLimited ||
         code == core::ErrorCode::kUnavailable;
}

RenderedResult render_pending(std::string_view id, bool running,
                              const pipeline::Progress& progress) {
  json::object p;
  p["pages"] = progress.pages;
  p["films"] = progress.films;
  p["identified"] = progress.identified;
  p["seeds"] = progress.seeds;
  p["seeds_explored"] = progress.seeds_explored;
  p["recommendations"] = progress.recommendations;
  json::object o;
  o["status"] = running ? "running" : "queued";
  o["request_id"] = id;
  o["progress"] = std::move(p);
  return RenderedResult{202, core::to_json_text(o), 0};
}

RenderedResult render_done(const JobDone& done, std::string_view id) {
  const pipeline::JobResult& r = *done.result;
  RenderedResult out;
  if (r.error) {
    json::object body = pipeline::error_payload(*r.error);
    body["request_id"] = id;
    if (r.incident) body["incident"] = incident_json(*r.incident);
    out.status = core::http_status(r.error->code);
    out.body = core::to_json_text(body);
    if (blocked_kind(r.error->code)) {
      out.retry_after_s = r.incident && r.incident->letterboxd_circuit_retry_after_s > 0
                              ? r.incident->letterboxd_circuit_retry_after_s
                              : kDefaultBlockedRetryS;
    }
    return out;
  }
  json::object body = pipeline::result_payload(r, done.include_streaming);
  body["request_id"] = id;
  if (r.cancelled) body["cancelled"] = true;
  out.body = core::to_json_text(body);
  return out;
}

}  // namespace lbrec::server
