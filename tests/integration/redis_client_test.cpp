// RedisClient against a real redis-server (tests/support/redis_server.hpp): reply types,
// pipelining under load, AUTH and SELECT, a server that is absent, killed, stopped or restarted,
// pub/sub across restarts, timeouts, and destruction with commands in flight. Every wait is
// bounded; nothing sleeps longer than the behaviour under test needs.

#include "store/redis_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "store/redis_url.hpp"
#include "support/redis_rig.hpp"
#include "support/redis_server.hpp"

namespace lbrec::store {
namespace {

namespace asio = boost::asio;
using core::ErrorCode;
using lbrec::testing::RedisServer;
using std::chrono::milliseconds;
using std::chrono::seconds;
using SteadyClock = std::chrono::steady_clock;

milliseconds since(SteadyClock::time_point t0) {
  return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - t0);
}

asio::awaitable<void> pause(milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}

// Polls `done` every 5 ms until it holds or `limit` passes; returns done().
asio::awaitable<bool> eventually(std::function<bool()> done, milliseconds limit) {
  const auto deadline = SteadyClock::now() + limit;
  while (!done() && SteadyClock::now() < deadline)
    co_await pause(milliseconds(5));
  co_return done();
}

// What a batch of background commands came back with.
struct Outcomes {
  int done = 0;
  int ok = 0;
  std::vector<core::Error> errors;
  std::vector<std::int64_t> integers;
};

asio::awaitable<void> run_into(RedisClient* client, std::vector<std::string> argv,
                               milliseconds timeout, Outcomes* out) {
  auto r = co_await client->command(std::move(argv), timeout);
  if (r) {
    ++out->ok;
    if (r->type == RedisReply::Type::kInteger) out->integers.push_back(r->integer);
  } else {
    out->errors.push_back(r.error());
  }
  ++out->done;
}

class RedisClientTest : public lbrec::testing::RedisRig {};

TEST_F(RedisClientTest, RepliesOfEveryType) {
  RedisServer server;
  server.start();
  auto c = client(server.unix_url());
  connect(*c);
  EXPECT_TRUE(c->connected());

  auto set = run(c->command({"SET", "greeting", "hello"}));
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_TRUE(set->is_ok());
  EXPECT_EQ(*run(c->command({"GET", "greeting"})), RedisReply::string("hello"));
  EXPECT_TRUE(run(c->command({"GET", "missing"}))->is_nil());

  EXPECT_EQ(*run(c->command({"INCR", "n"})), RedisReply::integer_reply(1));
  EXPECT_EQ(*run(c->command({"INCRBY", "n", "41"})), RedisReply::integer_reply(42));
  EXPECT_EQ(*run(c->command({"EXPIRE", "n", "100"})), RedisReply::integer_reply(1));
  EXPECT_EQ(*run(c->command({"EXPIRE", "missing", "100"})), RedisReply::integer_reply(0));
  const auto ttl = run(c->command({"TTL", "n"}));
  ASSERT_EQ(ttl->type, RedisReply::Type::kInteger);
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 100);

  const std::string binary("a\0b\r\nc", 6);
  EXPECT_TRUE(run(c->command({"SET", "bin", binary}))->is_ok());
  EXPECT_EQ(run(c->command({"GET", "bin"}))->str, binary);

  // Redis error replies are values, not failures.
  const auto not_int = run(c->command({"INCR", "greeting"}));
  ASSERT_TRUE(not_int);
  EXPECT_TRUE(not_int->is_error());
  EXPECT_NE(not_int->str.find("not an integer"), std::string::npos) << not_int->str;
  EXPECT_EQ(*run(c->command({"RPUSH", "list", "a", "b", "c"})), RedisReply::integer_reply(3));
  EXPECT_EQ(run(c->command({"GET", "list"}))->str.substr(0, 9), "WRONGTYPE");
  EXPECT_TRUE(run(c->command({"NOSUCHCOMMAND"}))->is_error());

  EXPECT_EQ(*run(c->command({"LRANGE", "list", "0", "-1"})),
            RedisReply::array(
                {RedisReply::string("a"), RedisReply::string("b"), RedisReply::string("c")}));
  EXPECT_EQ(*run(c->command({"MGET", "greeting", "missing"})),
            RedisReply::array({RedisReply::string("hello"), RedisReply::nil()}));
  EXPECT_EQ(
      *run(c->command({"EVAL", "return {1, {2, 'x'}, redis.status_reply('FINE')}", "0"})),
      RedisReply::array({RedisReply::integer_reply(1),
                         RedisReply::array({RedisReply::integer_reply(2), RedisReply::string("x")}),
                         RedisReply::status("FINE")}));
  EXPECT_EQ(*run(c->command({"LRANGE", "nothing", "0", "-1"})), RedisReply::array({}));

  // Pipelines and transactions.
  const auto p = run(c->pipeline({{"SET", "a", "1"}, {"INCR", "a"}, {"GET", "a"}}));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(*p, (std::vector<RedisReply>{RedisReply::status("OK"), RedisReply::integer_reply(2),
                                         RedisReply::string("2")}));
  const auto t = run(c->transaction({{"INCR", "t"}, {"INCR", "t"}, {"GET", "t"}}));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(*t, RedisReply::array({RedisReply::integer_reply(1), RedisReply::integer_reply(2),
                                   RedisReply::string("2")}));
  const auto aborted = run(c->transaction({{"INCR"}}));  // wrong arity: refused when queued
  ASSERT_TRUE(aborted);
  EXPECT_TRUE(aborted->is_error());
  EXPECT_NE(aborted->str.find("EXECABORT"), std::string::npos) << aborted->str;

  // Commands that would break the shared connection are refused before they are sent.
  EXPECT_EQ(run(c->command({})).error().code, ErrorCode::kInvalidInput);
  for (const char* name : {"SUBSCRIBE", "psubscribe", "MULTI", "exec", "WATCH", "SELECT", "auth",
                           "MONITOR", "HELLO", "QUIT"}) {
    const auto refused = run(c->command({name, "x"}));
    ASSERT_FALSE(refused) << name;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput) << name;
  }
  EXPECT_EQ(run(c->pipeline({{"GET", "a"}, {}})).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(*run(c->command({"PING"})), RedisReply::status("PONG"));

  const RedisStats s = c->stats();
  EXPECT_GE(s.commands_ok, 30u);
  EXPECT_EQ(s.commands_failed, 0u);
  EXPECT_EQ(s.connects, 1u);
  EXPECT_EQ(s.reconnects, 0u);
}

asio::awaitable<core::Result<RedisReply>> call_from_elsewhere(RedisClient* c,
                                                              std::vector<std::string> argv) {
  co_return co_await c->command(std::move(argv));
}

TEST_F(RedisClientTest, CallersOnAnotherExecutorAreServedOnTheClients) {
  RedisServer server;
  server.start();
  auto c = client(server.unix_url());
  connect(*c);
  asio::thread_pool pool(1);
  auto set =
      asio::co_spawn(pool, call_from_elsewhere(c.get(), {"SET", "from", "pool"}), asio::use_future);
  const auto ready = [&set] { return set.wait_for(seconds(0)) == std::future_status::ready; };
  ASSERT_TRUE(run(eventually(ready, milliseconds(5000))));
  const auto r = set.get();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->is_ok());
  EXPECT_EQ(*run(c->command({"GET", "from"})), RedisReply::string("pool"));
  pool.join();
}

asio::awaitable<void> set_incr_get(RedisClient* c, int i, Outcomes* out) {
  const std::string key = "k:" + std::to_string(i);
  const std::string value = "v:" + std::to_string(i);
  // Named vectors: GCC 12 miscompiles braced lists inside a co_await expression.
  std::vector<std::string> set_argv{"SET", key, value};
  std::vector<std::string> incr_argv{"INCR", "counter"};
  std::vector<std::string> get_argv{"GET", key};
  auto set = co_await c->command(std::move(set_argv));
  auto incr = co_await c->command(std::move(incr_argv));
  auto get = co_await c->command(std::move(get_argv));
  if (set && set->is_ok() && incr && incr->type == RedisReply::Type::kInteger && get &&
      *get == RedisReply::string(value)) {
    ++out->ok;
    out->integers.push_back(incr->integer);
  } else if (!set || !incr || !get) {
    out->errors.push_back(!set ? set.error() : !incr ? incr.error() : get.error());
  }
  ++out->done;
}

TEST_F(RedisClientTest, TenThousandConcurrentCommandsAllComplete) {
  RedisServer server;
  server.start();
  RedisClientOptions o = fast();
  o.command_timeout = seconds(10);  // a loaded 2-core machine under ASan is slow
  auto c = client(server.unix_url(), o);
  connect(*c);
  constexpr int kCount = 10000;
  Outcomes out;
  for (int i = 0; i < kCount; ++i)
    asio::co_spawn(io, set_incr_get(c.get(), i, &out), asio::detached);
  ASSERT_TRUE(
      run(eventually([&] { return out.done == kCount; }, milliseconds(30000)), seconds(40)));
  EXPECT_EQ(out.ok, kCount);
  EXPECT_TRUE(out.errors.empty()) << out.errors.front().message;
  // Every INCR saw a different value: each reply went to its own caller.
  std::sort(out.integers.begin(), out.integers.end());
  std::vector<std::int64_t> expected(kCount);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(out.integers, expected);
  EXPECT_EQ(*run(c->command({"GET", "counter"})), RedisReply::string(std::to_string(kCount)));
  EXPECT_EQ(*run(c->command({"DBSIZE"})), RedisReply::integer_reply(kCount + 1));
  EXPECT_EQ(c->stats().commands_ok, 3u * kCount + 2);
}

TEST_F(RedisClientTest, AuthAndSelectOnEveryConnection) {
  RedisServer server({.requirepass = "s3cret"});
  server.start();
  auto db0 = client(server.unix_url(":s3cret"));
  auto db2 = client(server.unix_url(":s3cret", 2));
  connect(*db0);
  connect(*db2);
  EXPECT_TRUE(run(db2->command({"SET", "where", "two"}))->is_ok());
  EXPECT_TRUE(run(db0->command({"GET", "where"}))->is_nil());
  EXPECT_EQ(*run(db2->command({"GET", "where"})), RedisReply::string("two"));
  const auto info = run(db2->command({"CLIENT", "INFO"}));
  EXPECT_NE(info->str.find(" db=2 "), std::string::npos) << info->str;

  // An ACL user: AUTH with a user name.
  EXPECT_TRUE(
      run(db0->command({"ACL", "SETUSER", "app", "on", ">app-pw", "~*", "&*", "+@all"}))->is_ok());
  auto app = client(server.unix_url("app:app-pw"));
  connect(*app);
  EXPECT_EQ(*run(app->command({"ACL", "WHOAMI"})), RedisReply::string("app"));

  // SELECT is replayed after a reconnect: the server drops every client.
  EXPECT_EQ(run(db0->command({"CLIENT", "KILL", "TYPE", "normal"}))->type,
            RedisReply::Type::kInteger);
  EXPECT_TRUE(run(eventually([&] { return !db2->connected(); }, milliseconds(2000))));
  connect(*db2);
  EXPECT_EQ(*run(db2->command({"GET", "where"})), RedisReply::string("two"));
  EXPECT_GE(db2->stats().reconnects, 1u);

  // A wrong or missing password never connects; its commands fail at once.
  auto wrong = client(server.unix_url(":nope"));
  auto none = client(server.unix_url());
  EXPECT_FALSE(run(wrong->wait_connected(milliseconds(300))));
  EXPECT_FALSE(none->connected());
  const auto t0 = SteadyClock::now();
  const auto r = run(wrong->command({"PING"}));
  EXPECT_LT(since(t0), milliseconds(100));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_FALSE(run(none->command({"PING"})));
}

TEST_F(RedisClientTest, ServerAbsentAtStartThenConnectsByItself) {
  RedisServer server;  // not started yet
  auto c = client(server.unix_url());
  run(pause(milliseconds(50)));
  EXPECT_FALSE(c->connected());
  const auto t0 = SteadyClock::now();
  const auto r = run(c->command({"PING"}));
  EXPECT_LT(since(t0), milliseconds(100));  // fails fast, no waiting for a timeout
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(c->stats().commands_failed, 1u);

  server.start();
  connect(*c);
  EXPECT_EQ(*run(c->command({"PING"})), RedisReply::status("PONG"));
  EXPECT_EQ(c->stats().connects, 1u);
  EXPECT_EQ(c->stats().reconnects, 0u);
}

TEST_F(RedisClientTest, ServerKilledWithCommandsInFlightThenRestarted) {
  RedisServer server;
  server.start();
  RedisClientOptions o = fast();
  o.command_timeout = seconds(10);
  auto c = client(server.unix_url(), o);
  connect(*c);
  EXPECT_TRUE(run(c->command({"SET", "before", "1"}))->is_ok());

  Outcomes out;
  asio::co_spawn(io, run_into(c.get(), {"DEBUG", "SLEEP", "2"}, seconds(10), &out), asio::detached);
  for (int i = 0; i < 200; ++i)
    asio::co_spawn(io, run_into(c.get(), {"INCR", "x"}, seconds(10), &out), asio::detached);
  run(pause(milliseconds(100)));  // all written; the server is asleep on the first
  EXPECT_EQ(out.done, 0);

  const auto t0 = SteadyClock::now();
  server.kill(SIGKILL);
  ASSERT_TRUE(run(eventually([&] { return out.done == 201; }, milliseconds(5000))));
  EXPECT_LT(since(t0), milliseconds(2000));  // far below the 10 s command timeout
  EXPECT_EQ(out.ok, 0);
  ASSERT_EQ(out.errors.size(), 201u);
  for (const auto& e : out.errors) {
    EXPECT_EQ(e.code, ErrorCode::kUnavailable) << e.message;
    EXPECT_TRUE(e.retryable);
  }
  EXPECT_FALSE(c->connected());
  const auto t1 = SteadyClock::now();
  EXPECT_FALSE(run(c->command({"PING"})));
  EXPECT_LT(since(t1), milliseconds(100));

  server.start();
  connect(*c);
  EXPECT_TRUE(run(c->command({"GET", "before"}))->is_nil());  // a new, empty server
  EXPECT_EQ(*run(c->command({"INCR", "x"})), RedisReply::integer_reply(1));
  const RedisStats s = c->stats();
  EXPECT_EQ(s.disconnects, 1u);
  EXPECT_EQ(s.reconnects, 1u);
  EXPECT_GE(s.commands_failed, 202u);
}

TEST_F(RedisClientTest, WritingToADeadServerDoesNotRaiseSigpipe) {
  RedisServer server;
  server.start();
  auto c = client(server.unix_url());
  connect(*c);
  // Killed while the I/O thread is not looking: the client still believes it is connected, so
  // the next command is written to a socket whose peer is gone (EPIPE, which would raise SIGPIPE
  // and end the process if hiredis' write were not shielded).
  server.kill(SIGKILL);
  EXPECT_TRUE(c->connected());
  const auto r = run(c->command({"PING"}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(c->connected());
}

TEST_F(RedisClientTest, PubSubDeliversAndResubscribesAfterRestart) {
  RedisServer server;
  server.start();
  auto c = client(server.unix_url());
  connect(*c);

  std::vector<std::pair<std::string, std::string>> news, jobs, second;
  const auto record = [](std::vector<std::pair<std::string, std::string>>* into) {
    return [into](std::string_view channel, std::string_view message) {
      into->emplace_back(channel, message);
    };
  };
  const auto news_id = c->subscribe("news", record(&news));
  const auto jobs_id = c->psubscribe("job:*", record(&jobs));
  ASSERT_TRUE(run(c->wait_subscribed(news_id, milliseconds(5000))));
  ASSERT_TRUE(run(c->wait_subscribed(jobs_id, milliseconds(5000))));

  EXPECT_EQ(*run(c->command({"PUBLISH", "news", "hello"})), RedisReply::integer_reply(1));
  EXPECT_EQ(*run(c->command({"PUBLISH", "job:42", "progress"})), RedisReply::integer_reply(1));
  EXPECT_EQ(*run(c->command({"PUBLISH", "other", "nobody"})), RedisReply::integer_reply(0));
  ASSERT_TRUE(
      run(eventually([&] { return news.size() == 1 && jobs.size() == 1; }, milliseconds(2000))));
  EXPECT_EQ(news[0], std::make_pair(std::string("news"), std::string("hello")));
  EXPECT_EQ(jobs[0], std::make_pair(std::string("job:42"), std::string("progress")));

  // A second handler on a confirmed channel is live at once, without a second subscription.
  const auto second_id = c->subscribe("news", record(&second));
  EXPECT_TRUE(c->subscribed(second_id));

  server.kill(SIGKILL);
  ASSERT_TRUE(run(eventually([&] { return !c->subscribed(news_id); }, milliseconds(2000))));
  server.start();
  ASSERT_TRUE(run(c->wait_subscribed(news_id, milliseconds(5000))));
  ASSERT_TRUE(run(c->wait_subscribed(jobs_id, milliseconds(5000))));
  EXPECT_TRUE(c->subscribed(second_id));
  connect(*c);
  EXPECT_EQ(*run(c->command({"PUBLISH", "news", "again"})), RedisReply::integer_reply(1));
  EXPECT_EQ(*run(c->command({"PUBLISH", "job:7", "done"})), RedisReply::integer_reply(1));
  ASSERT_TRUE(
      run(eventually([&] { return news.size() == 2 && jobs.size() == 2 && second.size() == 1; },
                     milliseconds(2000))));
  EXPECT_EQ(news[1].second, "again");
  EXPECT_EQ(second[0].second, "again");
  EXPECT_EQ(jobs[1], std::make_pair(std::string("job:7"), std::string("done")));

  // The last handler leaving unsubscribes in Redis; nobody is called afterwards.
  c->unsubscribe(news_id);
  EXPECT_FALSE(c->subscribed(news_id));
  EXPECT_TRUE(c->subscribed(second_id));
  c->unsubscribe(second_id);
  c->unsubscribe(second_id);  // twice: ignored
  bool unsubscribed = false;  // UNSUBSCRIBE is asynchronous: poll Redis for it
  for (int i = 0; i < 200 && !unsubscribed; ++i) {
    unsubscribed = run(c->command({"PUBSUB", "NUMSUB", "news"}))->elements.at(1).integer == 0;
    if (!unsubscribed) run(pause(milliseconds(5)));
  }
  EXPECT_TRUE(unsubscribed);
  EXPECT_EQ(*run(c->command({"PUBLISH", "news", "unheard"})), RedisReply::integer_reply(0));

  // A handler may unsubscribe itself while it runs.
  int once_calls = 0;
  RedisClient::SubscriptionId once_id = 0;
  once_id = c->subscribe("once", [&](std::string_view, std::string_view) {
    ++once_calls;
    c->unsubscribe(once_id);
  });
  ASSERT_TRUE(run(c->wait_subscribed(once_id, milliseconds(5000))));
  EXPECT_EQ(run(c->pipeline({{"PUBLISH", "once", "1"}, {"PUBLISH", "once", "2"}}))->at(0),
            RedisReply::integer_reply(1));
  run(pause(milliseconds(50)));
  EXPECT_EQ(once_calls, 1);
  EXPECT_EQ(news.size(), 2u);
  EXPECT_GE(c->stats().messages, 5u);
}

TEST_F(RedisClientTest, SlowCommandTimesOutAndTheConnectionStartsOver) {
  RedisServer server;
  server.start();
  auto c = client(server.unix_url());
  connect(*c);
  const auto t0 = SteadyClock::now();
  const auto r = run(c->command({"DEBUG", "SLEEP", "1"}, milliseconds(200)));
  const auto took = since(t0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos) << r.error().message;
  EXPECT_GE(took, milliseconds(190));
  EXPECT_LT(took, milliseconds(800));
  EXPECT_FALSE(c->connected());  // replies on that connection would all be late now
  connect(*c);
  EXPECT_EQ(*run(c->command({"PING"})), RedisReply::status("PONG"));
  EXPECT_EQ(c->stats().reconnects, 1u);
}

TEST_F(RedisClientTest, FrozenServerTimesOutThenRecovers) {
  RedisServer server;
  server.start();
  auto c = client(server.unix_url());
  connect(*c);
  server.kill(SIGSTOP);
  auto t0 = SteadyClock::now();
  auto r = run(c->command({"PING"}, milliseconds(300)));
  ASSERT_FALSE(r);
  EXPECT_GE(since(t0), milliseconds(290));
  EXPECT_LT(since(t0), milliseconds(1000));
  // Now disconnected: commands fail at once, and handshakes keep timing out.
  t0 = SteadyClock::now();
  EXPECT_FALSE(run(c->command({"PING"})));
  EXPECT_LT(since(t0), milliseconds(100));
  run(pause(milliseconds(700)));
  EXPECT_FALSE(c->connected());
  server.kill(SIGCONT);
  connect(*c);
  EXPECT_EQ(*run(c->command({"PING"})), RedisReply::status("PONG"));
}

TEST_F(RedisClientTest, DestroyedWithCommandsInFlight) {
  RedisServer server;
  server.start();
  RedisClientOptions o = fast();
  o.command_timeout = seconds(10);
  auto c = client(server.unix_url(), o);
  connect(*c);
  Outcomes out;
  asio::co_spawn(io, run_into(c.get(), {"DEBUG", "SLEEP", "1"}, seconds(10), &out), asio::detached);
  for (int i = 0; i < 100; ++i)
    asio::co_spawn(io, run_into(c.get(), {"GET", "k"}, seconds(10), &out), asio::detached);
  const auto sub = c->subscribe("chan", [](std::string_view, std::string_view) {
    ADD_FAILURE() << "no message was published";
  });
  EXPECT_NE(sub, 0u);
  run(pause(milliseconds(50)));
  EXPECT_EQ(out.done, 0);

  const auto t0 = SteadyClock::now();
  c->stop();
  c->stop();  // idempotent
  EXPECT_FALSE(c->connected());
  const auto after_stop = run(c->command({"PING"}));
  ASSERT_FALSE(after_stop);
  EXPECT_EQ(after_stop.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(c->subscribe("late", [](std::string_view, std::string_view) {}), 0u);
  c.reset();
  ASSERT_TRUE(run(eventually([&] { return out.done == 101; }, milliseconds(2000))));
  EXPECT_LT(since(t0), milliseconds(500));
  EXPECT_EQ(out.ok, 0);
  for (const auto& e : out.errors)
    EXPECT_EQ(e.code, ErrorCode::kUnavailable) << e.message;
}

TEST_F(RedisClientTest, DestroyedFromInsideAMessageHandler) {
  RedisServer server;
  server.start();
  auto publisher = client(server.unix_url());
  auto c = client(server.unix_url());
  connect(*publisher);
  int calls = 0;
  const auto first = c->subscribe("bye", [&](std::string_view, std::string_view) {
    ++calls;
    c.reset();  // the client goes away while its own delivery is running
  });
  const auto second = c->subscribe("bye", [&](std::string_view, std::string_view) { ++calls; });
  ASSERT_TRUE(run(c->wait_subscribed(first, milliseconds(5000))));
  ASSERT_TRUE(c->subscribed(second));
  EXPECT_EQ(*run(publisher->command({"PUBLISH", "bye", "1"})), RedisReply::integer_reply(1));
  EXPECT_TRUE(run(eventually([&] { return c == nullptr; }, milliseconds(2000))));
  run(pause(milliseconds(20)));
  EXPECT_EQ(calls, 1);  // the second handler belonged to the client that was destroyed
}

TEST_F(RedisClientTest, DestroyedWithCommandsInFlightAndTheContextNeverRunsAgain) {
  RedisServer server;
  server.start();
  Outcomes out;
  {
    asio::io_context own;
    auto parsed = parse_redis_url(server.unix_url());
    ASSERT_TRUE(parsed);
    auto c = std::make_unique<RedisClient>(own.get_executor(), *parsed, fast());
    c->subscribe("chan", [](std::string_view, std::string_view) {});
    auto connected = asio::co_spawn(own, c->wait_connected(milliseconds(5000)), asio::use_future);
    while (connected.wait_for(seconds(0)) != std::future_status::ready)
      own.run_one_for(milliseconds(20));
    ASSERT_TRUE(connected.get());
    asio::co_spawn(own, run_into(c.get(), {"DEBUG", "SLEEP", "1"}, seconds(10), &out),
                   asio::detached);
    for (int i = 0; i < 50; ++i)
      asio::co_spawn(own, run_into(c.get(), {"GET", "k"}, seconds(10), &out), asio::detached);
    const auto until = SteadyClock::now() + milliseconds(50);
    while (SteadyClock::now() < until)
      own.run_one_for(milliseconds(10));
    c.reset();
    // `own` is destroyed here with the awaiting coroutines still suspended: their frames are
    // destroyed, not resumed. ASan/LSan check that nothing leaks or is used after free.
  }
  EXPECT_EQ(out.done, 0);
}

TEST_F(RedisClientTest, TcpWithAnAddressAndWithAName) {
  RedisServer server({.tcp = true});
  server.start();
  auto by_ip = client(server.tcp_url("127.0.0.1"));
  auto by_name = client(server.tcp_url("localhost"));  // resolved off the I/O thread
  connect(*by_ip);
  connect(*by_name);
  EXPECT_TRUE(run(by_ip->command({"SET", "tcp", "yes"}))->is_ok());
  EXPECT_EQ(*run(by_name->command({"GET", "tcp"})), RedisReply::string("yes"));
}

}  // namespace
}  // namespace lbrec::store
