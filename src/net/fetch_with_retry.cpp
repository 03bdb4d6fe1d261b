#include "net/fetch_with_retry.hpp"

#include <fmt/format.h>

namespace lbrec::net {

std::string summarize(const std::vector<Attempt>& attempts) {
  std::string out;
  for (const Attempt& a : attempts) {
    if (!out.empty()) out += "; ";
    out += fmt::format("attempt={},status={},source={}", a.number, a.status, a.source);
    if (!a.error.empty()) out += fmt::format(",error={}", a.error);
  }
  return out;
}

boost::asio::awaitable<RetriedFetch> fetch_with_retry(const RetryContext& ctx, HttpRequest request,
                                                      std::string source) {
  RetriedFetch out;
  const int max_attempts = std::max(1, ctx.policy.max_attempts);
  for (int attempt = 1;; ++attempt) {
    std::optional<std::chrono::nanoseconds> retry_after;
    {
      auto permit = co_await ctx.gate.acquire();
      out.result = co_await ctx.client.fetch(request);
    }
    Attempt record{attempt, 0, source, {}};
    if (out.result) {
      record.status = out.result->status;
      out.outcome = classify_status(out.result->status);
      if (out.outcome == AttemptOutcome::kThrottled) {
        retry_after = parse_retry_after(out.result->header("retry-after"), ctx.clock.wall_now());
      }
    } else {
      record.error = out.result.error().message;
      out.outcome =
          out.result.error().retryable ? AttemptOutcome::kTransient : AttemptOutcome::kPermanent;
    }
    out.attempts.push_back(std::move(record));
    const bool retryable =
        out.outcome == AttemptOutcome::kTransient || out.outcome == AttemptOutcome::kThrottled;
    if (!retryable || attempt >= max_attempts) co_return out;
    const auto delay = ctx.policy.delay(attempt, out.outcome, retry_after, ctx.jitter());
    if (out.outcome == AttemptOutcome::kThrottled) ctx.gate.hold_off(delay);
    co_await ctx.sleep(delay);
  }
}

}  // namespace lbrec::net
