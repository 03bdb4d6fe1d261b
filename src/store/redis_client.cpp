#include "store/redis_client.hpp"

#include <fmt/format.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>
#include <exception>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <unordered_map>
#include <utility>

namespace lbrec::store {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using core::ErrorCode;
using std::chrono::milliseconds;

std::string to_string(const RedisReply& reply) {
  switch (reply.type) {
    case RedisReply::Type::kNil:
      return "nil";
    case RedisReply::Type::kInteger:
      return std::to_string(reply.integer);
    case RedisReply::Type::kString:
      return fmt::format("\"{}\"", reply.str);
    case RedisReply::Type::kStatus:
      return "+" + reply.str;
    case RedisReply::Type::kError:
      return "-" + reply.str;
    case RedisReply::Type::kArray: {
      std::string out = "[";
      for (std::size_t i = 0; i < reply.elements.size(); ++i) {
        if (i > 0) out += ", ";
        out += to_string(reply.elements[i]);
      }
      return out + "]";
    }
  }
  return "?";
}

milliseconds reconnect_delay(int attempt, milliseconds initial, milliseconds max, double jitter) {
  const double cap = static_cast<double>(std::max<milliseconds::rep>(max.count(), 1));
  double delay =
      std::min(static_cast<double>(std::max<milliseconds::rep>(initial.count(), 1)), cap);
  for (int i = 0; i < attempt && delay < cap; ++i)
    delay = std::min(delay * 2, cap);
  jitter = std::clamp(std::isnan(jitter) ? 1.0 : jitter, 0.5, 1.0);
  return milliseconds(std::max<milliseconds::rep>(std::llround(delay * jitter), 1));
}

namespace {

RedisReply copy_reply(const redisReply& r) {
  switch (r.type) {
    case REDIS_REPLY_STRING:
      return RedisReply::string(std::string(r.str, r.len));
    case REDIS_REPLY_STATUS:
      return RedisReply::status(std::string(r.str, r.len));
    case REDIS_REPLY_ERROR:
      return RedisReply::error(std::string(r.str, r.len));
    case REDIS_REPLY_INTEGER:
      return RedisReply::integer_reply(r.integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<RedisReply> elements;
      elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i)
        elements.push_back(copy_reply(*r.element[i]));
      return RedisReply::array(std::move(elements));
    }
    default:
      return RedisReply::nil();
  }
}

std::string_view reply_text(const redisReply& r) {
  if (r.type != REDIS_REPLY_STRING && r.type != REDIS_REPLY_STATUS) return {};
  return {r.str, r.len};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
  return out;
}

// Commands that would change the state of the shared, pipelined command connection for every
// other caller, or that the connection would lose on a reconnect.
bool forbidden_command(std::string_view name) {
  static const std::set<std::string, std::less<>> kForbidden = {
      "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe",
      "monitor",   "multi",      "exec",       "discard",     "watch",        "unwatch",
      "select",    "auth",       "hello",      "reset",       "quit"};
  return kForbidden.contains(lower(name));
}

tl::unexpected<core::Error> unavailable(std::string message) {
  return core::fail(ErrorCode::kUnavailable, std::move(message), true);
}

// One command waiting for its reply. The hiredis callback and the awaiting coroutine share it;
// whichever of reply, connection loss or deadline comes first decides the outcome.
struct Pending {
  explicit Pending(const asio::any_io_executor& executor) : timer(executor) {}

  void complete(core::Result<RedisReply> r) {
    if (result) return;
    result = std::move(r);
    timer.cancel();  // resumes the waiting coroutine (through the executor, never inline)
  }

  asio::steady_timer timer;  // expires at the deadline
  std::optional<core::Result<RedisReply>> result;
};

// Waits for `p`; nullopt when its deadline passed first.
asio::awaitable<std::optional<core::Result<RedisReply>>> await_reply(std::shared_ptr<Pending> p) {
  if (!p->result) co_await p->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return std::move(p->result);
}

// hiredis 0.14 writes with write(2): on a socket whose peer is gone that raises SIGPIPE, which
// ends the process unless someone ignores it. Rather than change the process-wide disposition,
// SIGPIPE is blocked on this thread around hiredis' writes and a SIGPIPE they raised is consumed
// (the technique libcurl uses); the write itself fails with EPIPE and hiredis reports the loss.
class SigpipeShield {
 public:
  SigpipeShield() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    sigset_t pending;
    sigpending(&pending);
    // Blocked already, or one is pending from elsewhere: leave it alone.
    active_ = sigismember(&old_, SIGPIPE) == 0 && sigismember(&pending, SIGPIPE) == 0;
  }
  ~SigpipeShield() {
    if (active_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) != 0) {
        const timespec no_wait{0, 0};
        sigtimedwait(&pipe_, nullptr, &no_wait);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeShield(const SigpipeShield&) = delete;
  SigpipeShield& operator=(const SigpipeShield&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool active_ = false;
};

// Logs what escapes a detached coroutine: a bug, since the coroutines here return errors.
struct ReportEscape {
  const char* what;
  void operator()(const std::exception_ptr& e) const {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("event=redis_internal_error task={} error=\"{}\"", what, ex.what());
    } catch (...) {
      spdlog::error("event=redis_internal_error task={} error=unknown", what);
    }
  }
};

}  // namespace

// Named rather than anonymous: RedisClient::Impl, which has external linkage, holds them.
namespace redis_detail {

struct Link;

// One hiredis connection and the Asio wait state that drives it. hiredis owns the socket; the
// stream_descriptor only watches it and gives it back (release, never close) when hiredis cleans
// up, which it does before closing the socket.
struct Session : std::enable_shared_from_this<Session> {
  Session(const asio::any_io_executor& executor, Link* owner) : descriptor(executor), link(owner) {}
  ~Session() {
    if (descriptor.is_open()) descriptor.release();
  }

  // hiredis event hooks (ac->ev); `data` is the Session.
  static void add_read(void* data) {
    auto* s = static_cast<Session*>(data);
    s->want_read = true;
    s->arm();
  }
  static void del_read(void* data) { static_cast<Session*>(data)->want_read = false; }
  static void add_write(void* data) {
    auto* s = static_cast<Session*>(data);
    s->want_write = true;
    s->arm();
  }
  static void del_write(void* data) { static_cast<Session*>(data)->want_write = false; }
  static void cleanup(void* data) { static_cast<Session*>(data)->on_cleanup(); }

  void arm();
  void on_ready(bool read, const boost::system::error_code& ec);
  void on_cleanup();

  // Drops the connection now. Never from inside a hiredis callback: hiredis runs the pending
  // callbacks with a NULL reply and calls cleanup before returning.
  void close(std::string why) {
    if (gone || ac == nullptr) return;
    if (reason.empty()) reason = std::move(why);
    redisAsyncFree(ac);
  }

  bool usable() const { return ready && !gone; }

  redisAsyncContext* ac = nullptr;
  asio::posix::stream_descriptor descriptor;
  Link* link;
  bool want_read = false;
  bool want_write = false;
  bool reading = false;  // an async_wait for reading is outstanding
  bool writing = false;
  bool gone = false;   // hiredis has cleaned up: `ac` is no longer ours to use
  bool ready = false;  // handshake done
  std::string reason;  // why it ended
  Clock::time_point ready_at;
};

struct ReadyHandler {
  std::shared_ptr<Session> session;
  bool read;
  void operator()(const boost::system::error_code& ec) const { session->on_ready(read, ec); }
};

void Session::arm() {
  if (gone) return;
  if (want_read && !reading) {
    reading = true;
    descriptor.async_wait(asio::posix::stream_descriptor::wait_read,
                          ReadyHandler{shared_from_this(), true});
  }
  if (want_write && !writing) {
    writing = true;
    descriptor.async_wait(asio::posix::stream_descriptor::wait_write,
                          ReadyHandler{shared_from_this(), false});
  }
}

void Session::on_ready(bool read, const boost::system::error_code& ec) {
  (read ? reading : writing) = false;
  if (gone) return;  // released: the wait was cancelled, the socket may already be someone else's
  if (ec) {
    if (ec == asio::error::operation_aborted) {
      arm();
    } else {
      close(fmt::format("waiting on the socket failed: {}", ec.message()));
    }
    return;
  }
  if (read ? want_read : want_write) {
    if (read) {
      redisAsyncHandleRead(ac);
    } else {
      const SigpipeShield shield;
      redisAsyncHandleWrite(ac);
    }
  }
  arm();  // a no-op once hiredis has cleaned up
}

// A link is one logical connection (commands, or pub/sub) across its successive sessions, with
// the coroutine that keeps it connected.
struct Link {
  Link(RedisClient::Impl* owner, bool is_pubsub, const asio::any_io_executor& executor)
      : impl(owner), pubsub(is_pubsub), wake(executor) {}

  void session_gone(Session& s);

  RedisClient::Impl* impl;
  const bool pubsub;
  std::shared_ptr<Session> session;  // current one (connecting, ready or just ended)
  asio::steady_timer wake;           // the supervisor sleeps on it; cancelled on loss and stop
  std::shared_ptr<asio::ip::tcp::resolver> resolver;  // while resolving, for stop()
  bool running = false;                               // the supervisor is alive
};

void Session::on_cleanup() {
  if (gone) return;  // hiredis 0.14 may call cleanup twice
  gone = true;
  ready = false;
  if (reason.empty()) {
    reason = (ac != nullptr && ac->err != 0) ? std::string(ac->errstr) : "connection closed";
  }
  ac = nullptr;
  if (descriptor.is_open()) descriptor.release();  // cancels our waits; hiredis closes the fd
  if (link != nullptr) link->session_gone(*this);
}

}  // namespace redis_detail

using redis_detail::Link;
using redis_detail::Session;

struct RedisClient::Impl : std::enable_shared_from_this<RedisClient::Impl> {
  using Key = std::pair<bool, std::string>;  // (pattern?, channel or pattern)

  struct Channel {
    std::map<SubscriptionId, std::shared_ptr<const MessageHandler>> handlers;
    bool confirmed = false;  // Redis confirmed it on the current pub/sub connection
  };

  Impl(asio::any_io_executor ex, RedisUrl u, RedisClientOptions o)
      : executor(std::move(ex)),
        url(std::move(u)),
        options(o),
        command_link(this, false, executor),
        pubsub_link(this, true, executor),
        rng(std::random_device{}()) {}

  ~Impl() { stop(); }

  // --- hiredis callbacks: they record outcomes and cancel timers; they never call hiredis or
  // user code, and never resume a coroutine inline. ---

  static void on_command_reply(redisAsyncContext* ac, void* reply, void* privdata) {
    std::unique_ptr<std::shared_ptr<Pending>> holder(
        static_cast<std::shared_ptr<Pending>*>(privdata));
    Pending& p = **holder;
    try {
      if (reply != nullptr) {
        p.complete(copy_reply(*static_cast<redisReply*>(reply)));
        return;
      }
      const auto* s = static_cast<const Session*>(ac->data);
      std::string why = ac->err != 0                           ? std::string(ac->errstr)
                        : (s != nullptr && !s->reason.empty()) ? s->reason
                                                               : std::string("connection closed");
      p.complete(unavailable(fmt::format("redis connection lost before the reply: {}", why)));
    } catch (...) {
      p.complete(core::fail(ErrorCode::kInternal, "out of memory copying a redis reply"));
    }
  }

  static void on_pubsub_reply(redisAsyncContext*, void* reply, void* privdata) {
    auto* s = static_cast<Session*>(privdata);
    if (reply == nullptr || s == nullptr || s->link == nullptr) return;  // NULL: being freed
    try {
      s->link->impl->on_pubsub(*s, *static_cast<redisReply*>(reply));
    } catch (...) {
      // Out of memory copying a message: it is dropped, as pub/sub may.
    }
  }

  void on_pubsub(Session& s, const redisReply& r) {
    if (stopped || s.gone || r.type != REDIS_REPLY_ARRAY || r.elements < 3) return;
    const std::string kind = lower(reply_text(*r.element[0]));
    if (kind == "message") {
      ++messages;
      asio::post(executor, Delivery{weak_from_this(), false, std::string(reply_text(*r.element[1])),
                                    std::string(reply_text(*r.element[1])),
                                    std::string(reply_text(*r.element[2]))});
    } else if (kind == "pmessage" && r.elements >= 4) {
      ++messages;
      asio::post(executor, Delivery{weak_from_this(), true, std::string(reply_text(*r.element[1])),
                                    std::string(reply_text(*r.element[2])),
                                    std::string(reply_text(*r.element[3]))});
    } else if (kind == "subscribe" || kind == "psubscribe") {
      const Key key{kind == "psubscribe", std::string(reply_text(*r.element[1]))};
      const auto inflight = inflight_subscribes.find(key);
      if (inflight != inflight_subscribes.end() && --inflight->second <= 0) {
        inflight_subscribes.erase(inflight);
        // Confirmed only when the last SUBSCRIBE sent for it is answered: an earlier one may
        // have been followed by an UNSUBSCRIBE.
        if (const auto it = channels.find(key); it != channels.end()) {
          it->second.confirmed = true;
          notify_waiters();
        }
      }
    }
  }

  // A message on its way to the handlers, looked up when it runs: a handler removed meanwhile is
  // not called.
  struct Delivery {
    std::weak_ptr<Impl> weak;
    bool pattern;
    std::string key;
    std::string channel;
    std::string message;

    void operator()() const {
      const auto impl = weak.lock();
      if (impl) impl->deliver(pattern, key, channel, message);
    }
  };

  void deliver(bool pattern, const std::string& key, std::string_view channel,
               std::string_view message) {
    if (stopped) return;
    const auto it = channels.find(Key{pattern, key});
    if (it == channels.end()) return;
    std::vector<std::pair<SubscriptionId, std::shared_ptr<const MessageHandler>>> targets(
        it->second.handlers.begin(), it->second.handlers.end());
    for (const auto& [id, handler] : targets) {
      if (stopped) return;
      if (!subscription_keys.contains(id)) continue;  // unsubscribed by an earlier handler
      try {
        (*handler)(channel, message);
      } catch (const std::exception& ex) {
        spdlog::error("event=redis_handler_failed channel=\"{}\" error=\"{}\"", channel, ex.what());
      } catch (...) {
        spdlog::error("event=redis_handler_failed channel=\"{}\" error=unknown", channel);
      }
    }
  }

  // --- sending ---

  // Queues one command on `s` with a reply deadline. Never suspends, so consecutive calls are
  // written back to back.
  std::shared_ptr<Pending> send(Session& s, const std::vector<std::string>& argv,
                                Clock::time_point deadline) {
    auto p = std::make_shared<Pending>(executor);
    p->timer.expires_at(deadline);
    if (s.gone || s.ac == nullptr) {
      p->result = unavailable("redis connection closed");
      return p;
    }
    std::vector<const char*> args;
    std::vector<std::size_t> lengths;
    args.reserve(argv.size());
    lengths.reserve(argv.size());
    for (const auto& a : argv) {
      args.push_back(a.data());
      lengths.push_back(a.size());
    }
    auto* holder = new std::shared_ptr<Pending>(p);
    if (redisAsyncCommandArgv(s.ac, &Impl::on_command_reply, holder, static_cast<int>(args.size()),
                              args.data(), lengths.data()) != REDIS_OK) {
      delete holder;
      p->result = unavailable("redis connection closing");
    }
    return p;
  }

  void send_subscribe(Session& s, bool pattern, const std::vector<std::string>& names) {
    if (!s.usable() || names.empty()) return;
    std::vector<const char*> args{pattern ? "PSUBSCRIBE" : "SUBSCRIBE"};
    std::vector<std::size_t> lengths{std::char_traits<char>::length(args[0])};
    for (const auto& n : names) {
      args.push_back(n.data());
      lengths.push_back(n.size());
    }
    if (redisAsyncCommandArgv(s.ac, &Impl::on_pubsub_reply, &s, static_cast<int>(args.size()),
                              args.data(), lengths.data()) == REDIS_OK) {
      for (const auto& n : names)
        ++inflight_subscribes[Key{pattern, n}];
    }
  }

  void send_unsubscribe(Session& s, bool pattern, const std::string& name) {
    if (!s.usable()) return;
    const char* args[] = {pattern ? "PUNSUBSCRIBE" : "UNSUBSCRIBE", name.data()};
    const std::size_t lengths[] = {std::char_traits<char>::length(args[0]), name.size()};
    // Refused (and harmless) when the connection has no subscription at all.
    redisAsyncCommandArgv(s.ac, &Impl::on_pubsub_reply, &s, 2, args, lengths);
  }

  void resubscribe(Session& s) {
    inflight_subscribes.clear();
    std::vector<std::string> names[2];
    for (auto& [key, channel] : channels) {
      channel.confirmed = false;
      names[key.first ? 1 : 0].push_back(key.second);
    }
    send_subscribe(s, false, names[0]);
    send_subscribe(s, true, names[1]);
  }

  // --- connection management ---

  core::Result<std::shared_ptr<Session>> open_session(Link& link, const std::string& address) {
    redisAsyncContext* ac = url.transport == RedisUrl::Transport::kUnix
                                ? redisAsyncConnectUnix(url.socket_path.c_str())
                                : redisAsyncConnect(address.c_str(), url.port);
    if (ac == nullptr) return core::fail(ErrorCode::kInternal, "out of memory");
    if (ac->err != 0) {
      std::string why = ac->errstr;
      redisAsyncFree(ac);
      return unavailable(why);
    }
    auto s = std::make_shared<Session>(executor, &link);
    boost::system::error_code ec;
    s->descriptor.assign(ac->c.fd, ec);
    if (ec) {
      redisAsyncFree(ac);
      return unavailable(fmt::format("cannot watch the socket: {}", ec.message()));
    }
    s->ac = ac;
    ac->data = s.get();
    ac->ev.data = s.get();
    ac->ev.addRead = &Session::add_read;
    ac->ev.delRead = &Session::del_read;
    ac->ev.addWrite = &Session::add_write;
    ac->ev.delWrite = &Session::del_write;
    ac->ev.cleanup = &Session::cleanup;
    if (url.transport == RedisUrl::Transport::kTcp) redisEnableKeepAlive(&ac->c);
    link.session = s;
    return s;
  }

  void start_link(Link& link) {
    if (link.running || stopped) return;
    link.running = true;
    asio::co_spawn(executor, supervise(shared_from_this(), &link),
                   ReportEscape{link.pubsub ? "redis_pubsub_link" : "redis_command_link"});
  }

  // Called from hiredis' cleanup (inside hiredis): flags and timers only.
  void link_down(Link& link) {
    if (&link == &command_link) {
      connected = false;
    } else {
      for (auto& [key, channel] : channels)
        channel.confirmed = false;
      inflight_subscribes.clear();
    }
    notify_waiters();
  }

  void notify_waiters() {
    for (auto* t : waiters)
      t->cancel();
  }

  static asio::awaitable<core::Result<void>> handshake(std::shared_ptr<Impl> impl,
                                                       std::shared_ptr<Session> s, bool pubsub);
  static asio::awaitable<core::Result<void>> connect_address(std::shared_ptr<Impl> impl, Link* link,
                                                             std::string address);
  static asio::awaitable<core::Result<void>> establish(std::shared_ptr<Impl> impl, Link* link);
  static asio::awaitable<void> supervise(std::shared_ptr<Impl> impl, Link* link);

  void stop() {
    if (stopped) return;
    stopped = true;
    connected = false;
    for (Link* link : {&command_link, &pubsub_link}) {
      if (auto s = link->session) s->close("client stopped");
      if (link->resolver) link->resolver->cancel();
      link->wake.cancel();
    }
    channels.clear();
    subscription_keys.clear();
    inflight_subscribes.clear();
    notify_waiters();
  }

  asio::any_io_executor executor;
  const RedisUrl url;
  const RedisClientOptions options;
  bool stopped = false;
  std::atomic<bool> connected{false};
  Link command_link;
  Link pubsub_link;

  std::map<Key, Channel> channels;
  std::unordered_map<SubscriptionId, Key> subscription_keys;
  std::map<Key, int> inflight_subscribes;  // SUBSCRIBEs sent on the current session, unanswered
  SubscriptionId next_id = 1;

  std::set<asio::steady_timer*> waiters;  // wait_connected / wait_subscribed deadlines
  std::minstd_rand rng;

  std::atomic<std::uint64_t> commands_ok{0};
  std::atomic<std::uint64_t> commands_failed{0};
  std::atomic<std::uint64_t> connects{0};
  std::atomic<std::uint64_t> reconnects{0};
  std::atomic<std::uint64_t> disconnects{0};
  std::atomic<std::uint64_t> messages{0};
};

void Link::session_gone(Session& s) {
  if (session.get() != &s) return;
  wake.cancel();
  impl->link_down(*this);
}

asio::awaitable<core::Result<void>> RedisClient::Impl::handshake(std::shared_ptr<Impl> impl,
                                                                 std::shared_ptr<Session> s,
                                                                 bool pubsub) {
  const auto deadline = Clock::now() + impl->options.connect_timeout;
  std::vector<std::pair<const char*, std::shared_ptr<Pending>>> steps;
  if (!impl->url.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!impl->url.username.empty()) auth.push_back(impl->url.username);
    auth.push_back(impl->url.password);
    steps.emplace_back("AUTH", impl->send(*s, auth, deadline));
  }
  // Pub/sub channels are not per database: the pub/sub connection needs no SELECT.
  if (!pubsub && impl->url.db != 0) {
    steps.emplace_back("SELECT",
                       impl->send(*s, {"SELECT", std::to_string(impl->url.db)}, deadline));
  }
  steps.emplace_back("PING", impl->send(*s, {"PING"}, deadline));
  for (auto& [name, pending] : steps) {
    auto r = co_await await_reply(pending);
    if (!r) {
      co_return unavailable(
          fmt::format("no answer within {} ms", impl->options.connect_timeout.count()));
    }
    if (!*r) co_return tl::unexpected(r->error());
    if ((*r)->is_error()) {
      const bool auth = std::string_view(name) == "AUTH";
      co_return core::fail(auth ? ErrorCode::kUnauthorized : ErrorCode::kUnavailable,
                           fmt::format("{} refused: {}", name, (*r)->str), !auth);
    }
  }
  co_return core::Result<void>{};
}

asio::awaitable<core::Result<void>> RedisClient::Impl::connect_address(std::shared_ptr<Impl> impl,
                                                                       Link* link,
                                                                       std::string address) {
  auto opened = impl->open_session(*link, address);
  if (!opened) co_return tl::unexpected(opened.error());
  std::shared_ptr<Session> s = *opened;
  auto done = co_await handshake(impl, s, link->pubsub);
  if (done && s->gone) done = unavailable(s->reason);
  if (!done) {
    s->close(done.error().message);
    if (link->session == s) link->session.reset();
    co_return done;
  }
  s->ready = true;
  s->ready_at = Clock::now();
  co_return done;
}

namespace {

struct CancelResolver {
  std::weak_ptr<asio::ip::tcp::resolver> weak;
  void operator()(const boost::system::error_code& ec) const {
    if (ec) return;
    if (const auto r = weak.lock()) r->cancel();
  }
};

}  // namespace

asio::awaitable<core::Result<void>> RedisClient::Impl::establish(std::shared_ptr<Impl> impl,
                                                                 Link* link) {
  if (impl->url.transport == RedisUrl::Transport::kUnix) {
    co_return co_await connect_address(impl, link, impl->url.socket_path);
  }
  std::vector<std::string> addresses;
  boost::system::error_code ec;
  asio::ip::make_address(impl->url.host, ec);
  if (!ec) {
    addresses.push_back(impl->url.host);
  } else {
    // hiredis would resolve with a blocking getaddrinfo on the I/O thread; Asio resolves on its
    // own thread, and hiredis is then given addresses.
    auto resolver = std::make_shared<asio::ip::tcp::resolver>(impl->executor);
    link->resolver = resolver;
    asio::steady_timer guard(impl->executor, impl->options.connect_timeout);
    guard.async_wait(CancelResolver{resolver});
    auto [rec, results] = co_await resolver->async_resolve(
        impl->url.host, std::to_string(impl->url.port), asio::as_tuple(asio::use_awaitable));
    guard.cancel();
    link->resolver.reset();
    if (impl->stopped) co_return unavailable("client stopped");
    if (rec) {
      co_return unavailable(rec == asio::error::operation_aborted
                                ? std::string("name resolution timed out")
                                : fmt::format("cannot resolve the host: {}", rec.message()));
    }
    for (const auto& entry : results) {
      std::string a = entry.endpoint().address().to_string();
      if (std::find(addresses.begin(), addresses.end(), a) == addresses.end()) {
        addresses.push_back(std::move(a));
      }
    }
    if (addresses.empty()) co_return unavailable("the host has no address");
  }
  core::Result<void> last = unavailable("no address tried");
  for (const auto& address : addresses) {
    last = co_await connect_address(impl, link, address);
    if (last || impl->stopped) break;
  }
  co_return last;
}

asio::awaitable<void> RedisClient::Impl::supervise(std::shared_ptr<Impl> impl, Link* link) {
  // One line when an outage begins and one when it ends. The pub/sub connection shares the
  // command connection's fate, so it only speaks up when it fails on its own (the command
  // connection is up meanwhile); otherwise it logs at debug level.
  const std::string where = impl->url.redacted();
  const char* name = link->pubsub ? "pubsub" : "command";
  int attempt = 0;          // drives the backoff
  int failed_attempts = 0;  // in the current outage
  bool in_outage = false;
  bool outage_logged = false;  // at warn level
  bool ever_connected = false;
  auto down_since = Clock::now();
  while (!impl->stopped) {
    auto established = co_await establish(impl, link);
    if (impl->stopped) break;
    if (established) {
      const std::shared_ptr<Session> s = link->session;
      if (!link->pubsub) {
        impl->connected = s->usable();
        ++impl->connects;
        if (ever_connected) ++impl->reconnects;
      }
      const auto level =
          (!link->pubsub || outage_logged) ? spdlog::level::info : spdlog::level::debug;
      if (in_outage) {
        spdlog::log(level, "event={} link={} url={} down_ms={} failed_attempts={}",
                    ever_connected ? "redis_reconnected" : "redis_connected", name, where,
                    std::chrono::duration_cast<milliseconds>(Clock::now() - down_since).count(),
                    failed_attempts);
      } else {
        spdlog::log(level, "event=redis_connected link={} url={}", name, where);
      }
      ever_connected = true;
      in_outage = false;
      outage_logged = false;
      failed_attempts = 0;
      if (link->pubsub) impl->resubscribe(*s);
      impl->notify_waiters();
      while (!impl->stopped && !s->gone) {
        link->wake.expires_at(Clock::time_point::max());
        co_await link->wake.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      if (impl->stopped) break;
      if (!link->pubsub) {
        impl->connected = false;
        ++impl->disconnects;
      }
      outage_logged = !link->pubsub;
      spdlog::log(outage_logged ? spdlog::level::warn : spdlog::level::debug,
                  "event=redis_connection_lost link={} url={} error=\"{}\" action=reconnecting",
                  name, where, s->reason);
      in_outage = true;
      down_since = Clock::now();
      // A connection that lasted is a fresh start; one that died at once (a server that accepts
      // and then drops us) keeps the backoff growing.
      if (Clock::now() - s->ready_at >= std::chrono::seconds(1)) attempt = 0;
      link->session.reset();
    } else {
      ++failed_attempts;
      if (!in_outage) down_since = Clock::now();
      in_outage = true;
      if (!outage_logged && (!link->pubsub || impl->connected)) {
        outage_logged = true;
        spdlog::warn(
            "event=redis_unavailable link={} url={} error=\"{}\" action=retrying_in_background",
            name, where, established.error().message);
      } else {
        spdlog::debug("event=redis_connect_failed link={} url={} attempt={} error=\"{}\"", name,
                      where, failed_attempts, established.error().message);
      }
    }
    const double jitter = std::uniform_real_distribution<double>(0.5, 1.0)(impl->rng);
    const auto delay = reconnect_delay(attempt, impl->options.reconnect_initial,
                                       impl->options.reconnect_max, jitter);
    if (attempt < 64) ++attempt;
    link->wake.expires_after(delay);
    co_await link->wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  link->running = false;
}

namespace {

// Keeps a waiter's timer registered with the client for as long as the waiting frame exists.
struct WaiterRegistration {
  WaiterRegistration(std::shared_ptr<RedisClient::Impl> i, asio::steady_timer* t)
      : impl(std::move(i)), timer(t) {
    impl->waiters.insert(timer);
  }
  ~WaiterRegistration() { impl->waiters.erase(timer); }
  WaiterRegistration(const WaiterRegistration&) = delete;
  WaiterRegistration& operator=(const WaiterRegistration&) = delete;

  std::shared_ptr<RedisClient::Impl> impl;
  asio::steady_timer* timer;
};

using Predicate = bool (*)(const RedisClient::Impl&, RedisClient::SubscriptionId);

bool is_connected(const RedisClient::Impl& impl, RedisClient::SubscriptionId) {
  return impl.connected;
}

bool is_subscribed_or_gone(const RedisClient::Impl& impl, RedisClient::SubscriptionId id) {
  const auto key = impl.subscription_keys.find(id);
  if (key == impl.subscription_keys.end()) return true;
  const auto it = impl.channels.find(key->second);
  return it != impl.channels.end() && it->second.confirmed;
}

bool is_subscribed(const RedisClient::Impl& impl, RedisClient::SubscriptionId id) {
  return impl.subscription_keys.contains(id) && is_subscribed_or_gone(impl, id);
}

asio::awaitable<void> wait_until(std::shared_ptr<RedisClient::Impl> impl, Predicate done,
                                 RedisClient::SubscriptionId id, milliseconds timeout) {
  asio::steady_timer deadline(impl->executor, timeout);
  WaiterRegistration registration(impl, &deadline);
  while (!impl->stopped && !done(*impl, id)) {
    auto [ec] = co_await deadline.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!ec) break;  // the deadline; a cancel means "look again"
  }
}

asio::awaitable<bool> wait_connected_for(std::shared_ptr<RedisClient::Impl> impl,
                                         milliseconds timeout) {
  if (!impl->connected) co_await wait_until(impl, &is_connected, 0, timeout);
  co_return impl->connected.load();
}

asio::awaitable<bool> wait_subscribed_for(std::shared_ptr<RedisClient::Impl> impl,
                                          RedisClient::SubscriptionId id, milliseconds timeout) {
  if (!is_subscribed_or_gone(*impl, id)) {
    co_await wait_until(impl, &is_subscribed_or_gone, id, timeout);
  }
  co_return is_subscribed(*impl, id);
}

tl::unexpected<core::Error> count_failure(RedisClient::Impl& impl, std::size_t n, core::Error e) {
  impl.commands_failed += n;
  return tl::unexpected(std::move(e));
}

asio::awaitable<core::Result<std::vector<RedisReply>>> run_batch(
    std::shared_ptr<RedisClient::Impl> impl, std::vector<std::vector<std::string>> commands,
    milliseconds timeout) {
  const std::size_t n = commands.size();
  if (impl->stopped)
    co_return count_failure(*impl, n, {ErrorCode::kUnavailable, "redis client stopped", true});
  const std::shared_ptr<Session> s = impl->command_link.session;
  if (!s || !s->usable()) {
    co_return count_failure(*impl, n, {ErrorCode::kUnavailable, "redis not connected", true});
  }
  const auto deadline = Clock::now() + timeout;
  std::vector<std::shared_ptr<Pending>> pending;
  pending.reserve(n);
  for (const auto& argv : commands)
    pending.push_back(impl->send(*s, argv, deadline));
  std::vector<RedisReply> replies;
  replies.reserve(n);
  for (auto& p : pending) {
    auto r = co_await await_reply(p);
    if (!r) {
      // Replies come back in order: everything queued behind this one is late too. Start over
      // on a fresh connection rather than let every later caller wait out its timeout.
      s->close(fmt::format("a command timed out after {} ms", timeout.count()));
      co_return count_failure(*impl, n,
                              {ErrorCode::kUnavailable,
                               fmt::format("redis timed out after {} ms", timeout.count()), true});
    }
    if (!*r) co_return count_failure(*impl, n, std::move(r->error()));
    replies.push_back(std::move(**r));
  }
  impl->commands_ok += n;
  co_return replies;
}

core::Result<void> check_commands(const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return core::fail(ErrorCode::kInvalidInput, "no redis command");
  for (const auto& argv : commands) {
    if (argv.empty()) return core::fail(ErrorCode::kInvalidInput, "empty redis command");
    if (forbidden_command(argv.front())) {
      return core::fail(ErrorCode::kInvalidInput,
                        fmt::format("redis command {} is not allowed on the shared connection",
                                    argv.front().substr(0, 32)));
    }
  }
  return {};
}

asio::awaitable<core::Result<RedisReply>> run_command(std::shared_ptr<RedisClient::Impl> impl,
                                                      std::vector<std::string> argv,
                                                      milliseconds timeout) {
  std::vector<std::vector<std::string>> commands;
  commands.push_back(std::move(argv));
  if (auto ok = check_commands(commands); !ok) co_return tl::unexpected(ok.error());
  auto r = co_await run_batch(std::move(impl), std::move(commands), timeout);
  if (!r) co_return tl::unexpected(std::move(r.error()));
  co_return std::move(r->front());
}

asio::awaitable<core::Result<std::vector<RedisReply>>> run_pipeline(
    std::shared_ptr<RedisClient::Impl> impl, std::vector<std::vector<std::string>> commands) {
  if (auto ok = check_commands(commands); !ok) co_return tl::unexpected(ok.error());
  const auto timeout = impl->options.command_timeout;
  co_return co_await run_batch(std::move(impl), std::move(commands), timeout);
}

asio::awaitable<core::Result<RedisReply>> run_transaction(
    std::shared_ptr<RedisClient::Impl> impl, std::vector<std::vector<std::string>> commands) {
  if (auto ok = check_commands(commands); !ok) co_return tl::unexpected(ok.error());
  commands.insert(commands.begin(), std::vector<std::string>{"MULTI"});
  commands.push_back({"EXEC"});
  const auto timeout = impl->options.command_timeout;
  auto r = co_await run_batch(std::move(impl), std::move(commands), timeout);
  if (!r) co_return tl::unexpected(std::move(r.error()));
  co_return std::move(r->back());
}

// Runs `work` on the client's executor: directly when the caller's coroutine is already there,
// else spawned there and awaited, so a coroutine on a thread pool may call the client too.
template <typename T>
asio::awaitable<T> on_client_executor(std::shared_ptr<RedisClient::Impl> impl,
                                      asio::awaitable<T> work) {
  // Plain statements: GCC 12 miscompiles co_await inside an if condition (SIGILL).
  const asio::any_io_executor here = co_await asio::this_coro::executor;
  const bool same = here == impl->executor;
  if (!same) {
    const asio::any_io_executor there = impl->executor;
    T hopped = co_await asio::co_spawn(there, std::move(work), asio::use_awaitable);
    co_return hopped;
  }
  T direct = co_await std::move(work);
  co_return direct;
}

}  // namespace

RedisClient::RedisClient(asio::any_io_executor executor, RedisUrl url, RedisClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(url), options)) {
  impl_->start_link(impl_->command_link);
}

RedisClient::~RedisClient() {
  impl_->stop();
}

asio::awaitable<core::Result<RedisReply>> RedisClient::command(std::vector<std::string> argv) {
  return on_client_executor(impl_,
                            run_command(impl_, std::move(argv), impl_->options.command_timeout));
}

asio::awaitable<core::Result<RedisReply>> RedisClient::command(std::vector<std::string> argv,
                                                               milliseconds timeout) {
  return on_client_executor(impl_, run_command(impl_, std::move(argv), timeout));
}

asio::awaitable<core::Result<std::vector<RedisReply>>> RedisClient::pipeline(
    std::vector<std::vector<std::string>> commands) {
  return on_client_executor(impl_, run_pipeline(impl_, std::move(commands)));
}

asio::awaitable<core::Result<RedisReply>> RedisClient::transaction(
    std::vector<std::vector<std::string>> commands) {
  return on_client_executor(impl_, run_transaction(impl_, std::move(commands)));
}

bool RedisClient::connected() const {
  return impl_->connected;
}

asio::awaitable<bool> RedisClient::wait_connected(milliseconds timeout) {
  return on_client_executor(impl_, wait_connected_for(impl_, timeout));
}

namespace {

RedisClient::SubscriptionId add_subscription(RedisClient::Impl& impl, bool pattern,
                                             std::string name,
                                             RedisClient::MessageHandler handler) {
  if (impl.stopped) return 0;
  const RedisClient::SubscriptionId id = impl.next_id++;
  RedisClient::Impl::Key key{pattern, std::move(name)};
  auto& channel = impl.channels[key];
  const bool first = channel.handlers.empty();
  channel.handlers.emplace(id,
                           std::make_shared<const RedisClient::MessageHandler>(std::move(handler)));
  impl.subscription_keys.emplace(id, key);
  if (first) {
    if (const auto s = impl.pubsub_link.session; s && s->usable()) {
      impl.send_subscribe(*s, pattern, {key.second});
    }
  }
  impl.start_link(impl.pubsub_link);
  return id;
}

}  // namespace

RedisClient::SubscriptionId RedisClient::subscribe(std::string channel, MessageHandler handler) {
  return add_subscription(*impl_, false, std::move(channel), std::move(handler));
}

RedisClient::SubscriptionId RedisClient::psubscribe(std::string pattern, MessageHandler handler) {
  return add_subscription(*impl_, true, std::move(pattern), std::move(handler));
}

void RedisClient::unsubscribe(SubscriptionId id) {
  Impl& impl = *impl_;
  const auto found = impl.subscription_keys.find(id);
  if (found == impl.subscription_keys.end()) return;
  const Impl::Key key = found->second;
  impl.subscription_keys.erase(found);
  const auto it = impl.channels.find(key);
  if (it == impl.channels.end()) return;
  it->second.handlers.erase(id);
  if (!it->second.handlers.empty()) return;
  impl.channels.erase(it);
  if (const auto s = impl.pubsub_link.session; s && s->usable()) {
    impl.send_unsubscribe(*s, key.first, key.second);
  }
}

bool RedisClient::subscribed(SubscriptionId id) const {
  return is_subscribed(*impl_, id);
}

asio::awaitable<bool> RedisClient::wait_subscribed(SubscriptionId id, milliseconds timeout) {
  return on_client_executor(impl_, wait_subscribed_for(impl_, id, timeout));
}

void RedisClient::stop() {
  impl_->stop();
}

RedisStats RedisClient::stats() const {
  return RedisStats{impl_->commands_ok.load(), impl_->commands_failed.load(),
                    impl_->connects.load(),    impl_->reconnects.load(),
                    impl_->disconnects.load(), impl_->messages.load()};
}

const RedisUrl& RedisClient::url() const {
  return impl_->url;
}

}  // namespace lbrec::store
