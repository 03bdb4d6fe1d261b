// `lbrec recommend`: one recommendation job in the terminal.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "app/cli_support.hpp"
#include "app/commands.hpp"
#include "app/recommend_output.hpp"
#include "app/services.hpp"
#include "core/json_text.hpp"
#include "core/logging.hpp"
#include "domain/country.hpp"
#include "domain/streaming.hpp"
#include "domain/username.hpp"
#include "pipeline/payload.hpp"

namespace lbrec::app {

namespace {

using Clock = std::chrono::steady_clock;

int terminal_width(int fd) {
  winsize ws{};
  if (::isatty(fd) && ::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const int n = std::atoi(columns);
    if (n >= 20 && n <= 1000) return n;
  }
  return 0;  // unknown: the formatter's default
}

// Progress on stderr: one rewritten line on a terminal (at most ten times a second), a plain line
// every few seconds otherwise.
class TerminalEvents : public pipeline::JobEvents {
 public:
  TerminalEvents() : tty_(::isatty(STDERR_FILENO) == 1), width_(terminal_width(STDERR_FILENO)) {}

  void progress(const pipeline::Progress& p) override {
    last_ = p;
    const auto now = Clock::now();
    if (now - shown_ < (tty_ ? std::chrono::milliseconds(100) : std::chrono::seconds(3))) return;
    shown_ = now;
    show();
  }

  // Clears the progress line (terminal) or prints the last state (otherwise).
  void done() {
    if (tty_) {
      std::fputs("\r\x1b[K", stderr);
    } else {
      show();
    }
    std::fflush(stderr);
  }

 private:
  void show() {
    const std::string line = render_progress(last_, width_, tty_);
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }

  bool tty_;
  int width_;
  pipeline::Progress last_;
  Clock::time_point shown_{};
};

int report_error(const core::Error& e, const std::string& username) {
  if (e.code == core::ErrorCode::kNotFound) {
    std::fprintf(stderr, "lbrec: No movies found for this username ('%s').\n", username.c_str());
    return kExitFailure;
  }
  const auto payload = pipeline::error_payload(e);
  std::string line(payload.at("error").as_string());
  if (const auto* hint = payload.if_contains("hint"); hint && hint->is_string())
    line += fmt::format(" ({})", std::string(hint->as_string()));
  std::fprintf(stderr, "lbrec: %s\n", sanitize_text(line).c_str());
  return kExitFailure;
}

void print_summary(const pipeline::JobResult& r) {
  const auto join = [](const std::vector<std::string>& v) {
    return v.empty() ? std::string("-") : fmt::format("{}", fmt::join(v, ", "));
  };
  std::printf("%s\n",
              sanitize_text(fmt::format("Recommendations for {} ({}) from {} films, {} seed films",
                                        r.username.empty() ? "export" : r.username, r.country_name,
                                        r.films, r.seeds_explored))
                  .c_str());
  std::printf("%s\n",
              sanitize_text(fmt::format("Taste: {} | {} | {}", join(r.preferences.genres),
                                        join(r.preferences.directors), join(r.preferences.decades)))
                  .c_str());
  if (r.stale) {
    std::printf("Note: %s\n", std::string(pipeline::kStaleHint).c_str());
  }
  std::printf("\n");
}

}  // namespace

int run_recommend(const RecommendArgs& args) {
  if (args.username.empty() && args.export_zip.empty()) {
    std::fprintf(stderr, "lbrec: give a username or --export FILE.zip\n");
    return kExitUsage;
  }
  if (!args.username.empty() && !domain::is_valid_username(args.username)) {
    std::fprintf(stderr, "lbrec: %s\n", kInvalidUsername);
    return kExitUsage;
  }
  const auto country = domain::find_country(args.country);
  if (!country) {
    std::fprintf(stderr, "lbrec: unsupported country '%s'\n", sanitize_text(args.country).c_str());
    return kExitUsage;
  }
  const auto config = config_or_report();
  if (!config) return kExitFailure;
  if (config->tmdb_key.empty()) {
    std::fprintf(stderr,
                 "lbrec: TMDB_KEY is not set (a TMDB API key or read-access token); `lbrec demo` "
                 "runs without one\n");
    return kExitFailure;
  }
  core::setup_logging(config->is_dev());
  spdlog::set_level(spdlog::level::warn);  // the terminal shows progress, not the service log

  pipeline::JobRequest request;
  request.username = args.username;
  request.country = std::string(country->code);
  request.count = args.count;
  request.include_streaming = !args.no_streaming;
  request.include_watchlist = args.include_watchlist;
  if (args.min_rating >= 0) request.min_rating = args.min_rating;
  if (!args.export_zip.empty()) {
    auto profile = read_export_file(args.export_zip);
    if (!profile) {
      std::fprintf(stderr, "lbrec: %s\n", sanitize_text(profile.error().message).c_str());
      return kExitFailure;
    }
    request.profile = std::move(*profile);
  }

  boost::asio::io_context io;
  Services services(*config, io);
  TerminalEvents events;
  std::atomic<bool> interrupted{false};
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) interrupted = true;
  });
  std::optional<pipeline::JobResult> result;
  std::exception_ptr failure;
  boost::asio::co_spawn(
      io,
      pipeline::run_recommend_job(std::move(request), services.job_services(), services.settings,
                                  events, [&] { return interrupted.load(); }),
      [&](std::exception_ptr e, pipeline::JobResult r) {
        failure = e;
        if (!e) result = std::move(r);
        signals.cancel();
        services.stop();
      });
  io.run();
  events.done();
  if (failure || !result) {
    std::fprintf(stderr, "lbrec: the job failed unexpectedly\n");
    return kExitFailure;
  }
  if (result->error) return report_error(*result->error, args.username);

  if (args.json) {
    std::printf("%s\n",
                core::to_json_text(pipeline::result_payload(*result, !args.no_streaming)).c_str());
  } else if (args.csv) {
    std::fputs(format_csv(result->recommendations).c_str(), stdout);
  } else {
    print_summary(*result);
    FormatOptions options;
    options.max_width = terminal_width(STDOUT_FILENO);
    std::fputs(format_table(result->recommendations, options).c_str(), stdout);
    if (!args.no_streaming)
      std::printf("\n%s\n", std::string(domain::kStreamingAttribution).c_str());
  }
  std::fflush(stdout);
  return result->cancelled ? 130 : kExitOk;
}

}  // namespace lbrec::app
