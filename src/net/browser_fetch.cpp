#include "net/browser_fetch.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <optional>

extern char** environ;

namespace lbrec::net {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

core::Error unavailable(std::string message, bool retryable = false) {
  return core::Error{core::ErrorCode::kUnavailable, std::move(message), retryable};
}

// A descriptor that closes itself.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    reset();
    fd_ = std::exchange(o.fd_, -1);
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// A pipe whose ends sit above the descriptors the child needs (3 and 4), close-on-exec.
bool make_pipe(Fd& read_end, Fd& write_end) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return false;
  read_end = Fd(::fcntl(p[0], F_DUPFD_CLOEXEC, 10));
  write_end = Fd(::fcntl(p[1], F_DUPFD_CLOEXEC, 10));
  ::close(p[0]);
  ::close(p[1]);
  return read_end.get() >= 0 && write_end.get() >= 0;
}

// The browser process, its DevTools pipes and its temporary profile; all cleaned up on scope exit.
class Browser {
 public:
  ~Browser() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    if (!profile_.empty()) std::filesystem::remove_all(profile_, ec);
  }

  core::Result<void> start(const BrowserOptions& options) {
    if (::access(options.executable.c_str(), X_OK) != 0) {
      return tl::unexpected(
          unavailable(fmt::format("browser not found at {}", options.executable)));
    }
    char dir[] = "/tmp/lbrec-browser-XXXXXX";
    if (::mkdtemp(dir) == nullptr)
      return tl::unexpected(unavailable("cannot create a browser profile"));
    profile_ = dir;
    Fd child_in, child_out;
    if (!make_pipe(child_in, to_browser_) || !make_pipe(from_browser_, child_out)) {
      return tl::unexpected(unavailable("cannot create pipes for the browser"));
    }
    const std::vector<std::string> args = {options.executable,
                                           "--headless",
                                           "--no-sandbox",
                                           "--disable-gpu",
                                           "--disable-quic",
                                           "--no-first-run",
                                           "--no-default-browser-check",
                                           "--disable-background-networking",
                                           "--disable-component-update",
                                           "--disable-sync",
                                           "--disable-extensions",
                                           "--mute-audio",
                                           "--remote-debugging-pipe",
                                           "--user-data-dir=" + profile_,
                                           "about:blank"};
    std::vector<char*> argv;
    for (const std::string& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, child_in.get(), 3);   // Chromium reads commands on 3
    posix_spawn_file_actions_adddup2(&actions, child_out.get(), 4);  // and writes replies on 4
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const int rc =
        ::posix_spawn(&pid_, options.executable.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      return tl::unexpected(
          unavailable(fmt::format("cannot start the browser: {}", std::strerror(rc))));
    }
    return {};
  }

  // Sends a DevTools command and returns its id.
  core::Result<std::int64_t> send(std::string_view method, json::object params,
                                  const std::string& session = {}) {
    json::object message{{"id", ++last_id_}, {"method", method}, {"params", std::move(params)}};
    if (!session.empty()) message["sessionId"] = session;
    std::string text = json::serialize(message);
    text.push_back('\0');
    for (std::size_t off = 0; off < text.size();) {
      const ssize_t n = ::write(to_browser_.get(), text.data() + off, text.size() - off);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        return tl::unexpected(unavailable("the browser closed its DevTools pipe"));
      }
      off += static_cast<std::size_t>(n);
    }
    return last_id_;
  }

  // The next DevTools message, waiting at most until `deadline`.
  core::Result<json::object> next(Clock::time_point deadline) {
    for (;;) {
      const std::size_t end = buffer_.find('\0');
      if (end != std::string::npos) {
        const std::string text = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        boost::system::error_code ec;
        json::value v = json::parse(text, ec);
        if (!ec && v.is_object()) return std::move(v.as_object());
        continue;  // not JSON: skip it
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return tl::unexpected(unavailable("browser load timed out", true));
      pollfd p{from_browser_.get(), POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      char chunk[65536];
      const ssize_t n = ::read(from_browser_.get(), chunk, sizeof chunk);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        return tl::unexpected(unavailable("the browser exited"));
      }
      if (buffer_.size() + static_cast<std::size_t>(n) > (64u << 20)) {
        return tl::unexpected(unavailable("the browser sent more than 64 MiB"));
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // Sends a command and waits for its reply, remembering events seen meanwhile.
  core::Result<json::object> call(std::string_view method, json::object params,
                                  Clock::time_point deadline, const std::string& session = {}) {
    auto id = send(method, std::move(params), session);
    if (!id) return tl::unexpected(id.error());
    for (;;) {
      auto message = next(deadline);
      if (!message) return message;
      const auto* mid = message->if_contains("id");
      if (mid == nullptr || !mid->is_int64() || mid->as_int64() != *id) {
        events_.push_back(std::move(*message));
        continue;
      }
      if (const auto* error = message->if_contains("error")) {
        // A protocol-level refusal (for example "execution context destroyed" while the page
        // navigates): the browser is alive, so the caller may try again.
        return tl::unexpected(core::Error{
            core::ErrorCode::kUpstreamError,
            fmt::format("DevTools {} failed: {}", method, json::serialize(*error)), true});
      }
      const auto* result = message->if_contains("result");
      return result && result->is_object() ? result->as_object() : json::object{};
    }
  }

  std::vector<json::object> take_events() { return std::exchange(events_, {}); }

 private:
  pid_t pid_ = -1;
  std::string profile_;
  Fd to_browser_;
  Fd from_browser_;
  std::string buffer_;
  std::int64_t last_id_ = 0;
  std::vector<json::object> events_;
};

std::string string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Records the status of a main-document response from one DevTools event; true when the event
// is the page's load event.
bool scan_event(const json::object& e, const std::string& session, BrowserPage& page) {
  if (string_at(e, "sessionId") != session) return false;
  const std::string method = string_at(e, "method");
  if (method == "Page.loadEventFired") return true;
  if (method != "Network.responseReceived") return false;
  const auto* params = e.if_contains("params");
  if (!params || !params->is_object() || string_at(params->as_object(), "type") != "Document") {
    return false;
  }
  const auto* response = params->as_object().if_contains("response");
  if (!response || !response->is_object()) return false;
  const auto* status = response->as_object().if_contains("status");
  if (status && status->is_number()) page.status = static_cast<long>(status->to_number<double>());
  page.final_url = string_at(response->as_object(), "url");
  return false;
}

}  // namespace

core::Result<BrowserPage> load_in_browser(const std::string& url, const BrowserOptions& options) {
  const auto deadline = Clock::now() + options.timeout;
  Browser browser;
  if (auto started = browser.start(options); !started) return tl::unexpected(started.error());

  auto target = browser.call("Target.createTarget", {{"url", "about:blank"}}, deadline);
  if (!target) return tl::unexpected(target.error());
  auto attached =
      browser.call("Target.attachToTarget",
                   {{"targetId", string_at(*target, "targetId")}, {"flatten", true}}, deadline);
  if (!attached) return tl::unexpected(attached.error());
  const std::string session = string_at(*attached, "sessionId");
  for (const char* domain : {"Page.enable", "Network.enable"}) {
    if (auto r = browser.call(domain, {}, deadline, session); !r) return tl::unexpected(r.error());
  }
  browser.take_events();
  auto navigated = browser.call("Page.navigate", {{"url", url}}, deadline, session);
  if (!navigated) return tl::unexpected(navigated.error());
  if (const std::string failure = string_at(*navigated, "errorText"); !failure.empty()) {
    return tl::unexpected(
        unavailable(fmt::format("browser could not load the page: {}", failure), true));
  }

  BrowserPage page;
  page.final_url = url;
  const auto evaluate = [&](const char* expression) -> core::Result<std::string> {
    auto r = browser.call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}},
                          deadline, session);
    if (!r) return tl::unexpected(r.error());
    const auto* result = r->if_contains("result");
    return result && result->is_object() ? string_at(result->as_object(), "value") : std::string();
  };
  // Wait for a load event whose page is not a challenge: a JavaScript challenge sets its cookie
  // and reloads, which fires another load event. The page may navigate between the load event
  // and our question, so a document that is not complete yet, or a context destroyed under the
  // question, only means "keep waiting".
  for (bool loaded = false;;) {
    for (const json::object& e : browser.take_events())
      loaded = scan_event(e, session, page) || loaded;
    if (loaded) {
      loaded = false;
      auto state = evaluate("document.readyState + '\\n' + document.title");
      if (!state && state.error().code != core::ErrorCode::kUpstreamError) {
        return tl::unexpected(state.error());
      }
      if (state) {
        const std::size_t cut = state->find('\n');
        const bool complete = state->substr(0, cut) == "complete";
        const std::string title = cut == std::string::npos ? std::string() : state->substr(cut + 1);
        const bool challenged =
            std::find(options.challenge_titles.begin(), options.challenge_titles.end(), title) !=
            options.challenge_titles.end();
        if (complete && !challenged) {
          for (const json::object& e : browser.take_events())
            scan_event(e, session, page);
          break;
        }
      }
      continue;  // events that arrived during the question are scanned first
    }
    auto event = browser.next(deadline);
    if (!event) {
      if (event.error().retryable) break;  // timed out still challenged: return what is there
      return tl::unexpected(event.error());
    }
    loaded = scan_event(*event, session, page);
  }
  if (Clock::now() >= deadline) return tl::unexpected(unavailable("browser load timed out", true));

  auto html = evaluate("document.documentElement.outerHTML");
  if (!html) return tl::unexpected(html.error());
  page.html = std::move(*html);
  auto cookies = browser.call("Network.getCookies", {{"urls", json::array{json::string(url)}}},
                              deadline, session);
  if (cookies) {
    if (const auto* list = cookies->if_contains("cookies"); list && list->is_array()) {
      for (const auto& c : list->as_array()) {
        if (!c.is_object()) continue;
        const auto& o = c.as_object();
        page.cookies.push_back({string_at(o, "name"), string_at(o, "value"), string_at(o, "domain"),
                                string_at(o, "path")});
      }
    }
  }
  browser.send("Browser.close", {});
  return page;
}

BrowserTier::BrowserTier(BrowserOptions options, int max_concurrent)
    : options_(std::move(options)),
      max_concurrent_(max_concurrent),
      pool_(static_cast<std::size_t>(std::max(1, max_concurrent))) {}

BrowserTier::~BrowserTier() {
  pool_.join();
}

bool BrowserTier::available() const {
  return max_concurrent_ > 0 && ::access(options_.executable.c_str(), X_OK) == 0;
}

boost::asio::awaitable<core::Result<BrowserPage>> BrowserTier::fetch(std::string url) {
  if (max_concurrent_ <= 0) co_return tl::unexpected(unavailable("browser tier disabled"));
  if (in_use_.fetch_add(1) >= max_concurrent_) {
    in_use_.fetch_sub(1);
    co_return tl::unexpected(unavailable("browser busy"));
  }
  const auto home = co_await boost::asio::this_coro::executor;
  co_await boost::asio::post(pool_.get_executor(),
                             boost::asio::use_awaitable);  // off the I/O thread
  core::Result<BrowserPage> page = load_in_browser(url, options_);
  co_await boost::asio::post(home, boost::asio::use_awaitable);  // and back
  in_use_.fetch_sub(1);
  co_return page;
}

}  // namespace lbrec::net
