#include "server/redis_job_relay.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <deque>

#include "server/job_answers.hpp"

namespace lbrec::server {

namespace asio = boost::asio;
using store::RedisReply;

struct RedisJobRelay::Shared {
  store::RedisClient* redis = nullptr;
  asio::any_io_executor executor;
  std::chrono::seconds ttl;
  std::chrono::seconds wait_for_unknown;
  std::string prefix;
  std::deque<std::vector<std::string>> queue;  // writes waiting to leave, in order
  bool flushing = false;
  bool stopped = false;
  std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> last_state;

  std::string key(std::string_view id, std::string_view what) const {
    std::string k = prefix;
    k += id;
    k += ':';
    k += what;
    return k;
  }
  std::string channel(std::string_view id) const { return prefix + std::string(id); }
  std::string ttl_ms() const { return std::to_string(std::chrono::milliseconds(ttl).count()); }
};

namespace {

std::string stream_key(Stream s) {
  return "s" + std::to_string(static_cast<int>(s));
}

std::vector<std::string> args(std::initializer_list<std::string> list) {
  return std::vector<std::string>(list);
}

// A stored answer: "<status> <retry-after s> <json body>".
std::string encode_answer(const RenderedResult& r) {
  std::string value = std::to_string(r.status) + ' ' + std::to_string(r.retry_after_s) + ' ';
  value += r.body;
  return value;
}

std::optional<RenderedResult> decode_answer(const std::string& v) {
  const auto a = v.find(' ');
  const auto b = a == std::string::npos ? a : v.find(' ', a + 1);
  if (b == std::string::npos) return std::nullopt;
  RenderedResult r;
  std::from_chars(v.data(), v.data() + a, r.status);
  std::from_chars(v.data() + a + 1, v.data() + b, r.retry_after_s);
  r.body = v.substr(b + 1);
  if (r.status < 200 || r.status > 599) return std::nullopt;
  return r;
}

asio::awaitable<void> flush(std::shared_ptr<RedisJobRelay::Shared> shared) {
  while (!shared->queue.empty() && !shared->stopped) {
    std::vector<std::vector<std::string>> batch;
    while (!shared->queue.empty() && batch.size() < 512) {
      batch.push_back(std::move(shared->queue.front()));
      shared->queue.pop_front();
    }
    if (!shared->redis->connected()) continue;  // dropped: the job stays local
    co_await shared->redis->pipeline(std::move(batch));
  }
  shared->flushing = false;
}

// Reads one stream of a job from its Redis list.
class RedisEvents final : public RemoteEvents {
 public:
  struct State {
    std::shared_ptr<RedisJobRelay::Shared> shared;
    std::string id;
    std::string list;
    std::uint64_t after = 0;
    std::deque<JobEvent> buffer;
    bool ended = false;
    bool seen = false;  // the job has shown itself (its list exists)
    std::chrono::steady_clock::time_point deadline;
    std::shared_ptr<asio::steady_timer> wake;
    std::function<bool()> here;
    bool handed_over = false;
  };

  RedisEvents(std::shared_ptr<RedisJobRelay::Shared> shared, std::string id, Stream stream,
              std::uint64_t after, std::function<bool()> here)
      : state_(std::make_shared<State>()) {
    state_->here = std::move(here);
    state_->list = shared->key(id, stream_key(stream));
    state_->id = std::move(id);
    state_->after = after;
    state_->deadline = std::chrono::steady_clock::now() + shared->wait_for_unknown;
    state_->wake = std::make_shared<asio::steady_timer>(shared->executor);
    std::weak_ptr<State> weak = state_;
    subscription_ = shared->redis->subscribe(shared->channel(state_->id),
                                             [weak](std::string_view, std::string_view) {
                                               if (auto s = weak.lock()) s->wake->cancel();
                                             });
    state_->shared = std::move(shared);
  }
  ~RedisEvents() override {
    if (!state_->shared->stopped) state_->shared->redis->unsubscribe(subscription_);
  }

  asio::awaitable<std::optional<JobEvent>> next() override { return next_of(state_); }
  std::uint64_t last_seq() const override { return state_->after; }
  bool handed_over() const override { return state_->handed_over; }

 private:
  static asio::awaitable<void> fetch(std::shared_ptr<State> s) {
    std::vector<std::string> argv;
    argv.emplace_back("LRANGE");
    argv.push_back(s->list);
    argv.push_back(std::to_string(s->after));
    argv.emplace_back("-1");
    auto reply = co_await s->shared->redis->command(std::move(argv));
    if (!reply || reply->type != RedisReply::Type::kArray) co_return;
    for (const RedisReply& item : reply->elements) {
      s->seen = true;
      const std::string_view text = item.str;
      if (text == "C") {
        s->ended = true;
        break;
      }
      if (text.size() < 4 || text[0] != 'E' || text[1] != ' ') continue;
      const auto space = text.find(' ', 2);
      if (space == std::string_view::npos) continue;
      std::uint64_t seq = 0;
      std::from_chars(text.data() + 2, text.data() + space, seq);
      if (seq <= s->after || (!s->buffer.empty() && seq <= s->buffer.back().seq)) {
        continue;
      }
      s->buffer.push_back(
          JobEvent{seq, std::make_shared<const std::string>(text.substr(space + 1))});
    }
  }

  static asio::awaitable<std::optional<JobEvent>> next_of(std::shared_ptr<State> s) {
    for (;;) {
      if (!s->buffer.empty()) {
        JobEvent event = std::move(s->buffer.front());
        s->buffer.pop_front();
        s->after = event.seq;
        co_return event;
      }
      if (s->ended || s->shared->stopped) co_return std::nullopt;
      if (s->here && s->here()) {
        s->handed_over = true;
        co_return std::nullopt;
      }
      if (!s->seen && std::chrono::steady_clock::now() > s->deadline) co_return std::nullopt;
      co_await fetch(s);
      if (!s->buffer.empty() || s->ended) continue;
      auto wake = s->wake;
      wake->expires_after(std::chrono::seconds(1));
      co_await wake->async_wait(asio::as_tuple(asio::use_awaitable));
      // A wake-up and a cancellation of this wait both end the wait early; only the coroutine's
      // cancellation state tells them apart.
      const auto cs = co_await asio::this_coro::cancellation_state;
      if (cs.cancelled() != asio::cancellation_type::none)
        throw boost::system::system_error(asio::error::operation_aborted);
    }
  }

  std::shared_ptr<State> state_;
  store::RedisClient::SubscriptionId subscription_ = 0;
};

}  // namespace

RedisJobRelay::RedisJobRelay(store::RedisClient& redis, asio::any_io_executor executor,
                             std::chrono::seconds ttl, std::chrono::seconds wait_for_unknown,
                             std::string prefix)
    : redis_(redis), shared_(std::make_shared<Shared>()) {
  shared_->redis = &redis;
  shared_->executor = std::move(executor);
  shared_->ttl = ttl;
  shared_->wait_for_unknown = wait_for_unknown;
  shared_->prefix = std::move(prefix);
}

RedisJobRelay::~RedisJobRelay() {
  shared_->stopped = true;
  shared_->queue.clear();
}

bool RedisJobRelay::available() const {
  return redis_.connected();
}

void RedisJobRelay::enqueue(std::vector<std::string> command, const std::string& id) {
  if (!redis_.connected()) return;
  shared_->queue.push_back(std::move(command));
  shared_->queue.push_back(args({"PUBLISH", shared_->channel(id), "1"}));
  if (!shared_->flushing) {
    shared_->flushing = true;
    asio::co_spawn(shared_->executor, flush(shared_), asio::detached);
  }
}

void RedisJobRelay::event(const std::string& id, Stream stream, const JobEvent& event) {
  if (!redis_.connected()) return;
  const std::string list = shared_->key(id, stream_key(stream));
  std::string entry = "E " + std::to_string(event.seq) + ' ';
  entry += *event.data;
  shared_->queue.push_back(args({"RPUSH", list, std::move(entry)}));
  enqueue(args({"PEXPIRE", list, shared_->ttl_ms()}), id);
}

void RedisJobRelay::closed(const std::string& id, Stream stream) {
  if (!redis_.connected()) return;
  const std::string list = shared_->key(id, stream_key(stream));
  shared_->queue.push_back(args({"RPUSH", list, "C"}));
  enqueue(args({"PEXPIRE", list, shared_->ttl_ms()}), id);
}

void RedisJobRelay::pending(const std::string& id, bool running,
                            const pipeline::Progress& progress) {
  if (!redis_.connected()) return;
  // Progress comes often; other instances need it only for a 202's progress object.
  const auto now = std::chrono::steady_clock::now();
  auto& last = shared_->last_state[id];
  if (running && now - last < std::chrono::milliseconds(250)) return;
  last = now;
  enqueue(args({"SET", shared_->key(id, "state"),
                encode_answer(render_pending(id, running, progress)), "PX", shared_->ttl_ms()}),
          id);
}

void RedisJobRelay::finished(const std::string& id, const JobDone& done) {
  shared_->last_state.erase(id);
  if (!redis_.connected()) return;
  shared_->queue.push_back(args({"DEL", shared_->key(id, "state")}));
  enqueue(args({"SET", shared_->key(id, "result"), encode_answer(render_done(done, id)), "PX",
                shared_->ttl_ms()}),
          id);
}

asio::awaitable<bool> RedisJobRelay::claim(std::string id) {
  std::vector<std::string> argv;
  argv.emplace_back("SET");
  argv.push_back(shared_->key(id, "claim"));
  argv.emplace_back("1");
  argv.emplace_back("NX");
  argv.emplace_back("PX");
  argv.push_back(shared_->ttl_ms());
  auto reply = co_await redis_.command(std::move(argv));
  // Redis away: the id is checked in this instance only.
  if (!reply) co_return true;
  co_return reply->is_ok();
}

asio::awaitable<std::optional<RenderedResult>> RedisJobRelay::lookup(std::string id) {
  std::vector<std::vector<std::string>> commands(2);
  commands[0] = {std::string("GET"), shared_->key(id, "result")};
  commands[1] = {std::string("GET"), shared_->key(id, "state")};
  auto replies = co_await redis_.pipeline(std::move(commands));
  if (!replies || replies->size() != 2) co_return std::nullopt;
  // The result once there is one, else the pending state.
  for (const RedisReply& reply : *replies) {
    if (reply.type == RedisReply::Type::kString) co_return decode_answer(reply.str);
  }
  co_return std::nullopt;
}

std::unique_ptr<RemoteEvents> RedisJobRelay::subscribe(std::string id, Stream stream,
                                                       std::uint64_t after_seq,
                                                       std::function<bool()> here) {
  return std::make_unique<RedisEvents>(shared_, std::move(id), stream, after_seq, std::move(here));
}

}  // namespace lbrec::server
