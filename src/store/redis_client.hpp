#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/redis_url.hpp"

namespace lbrec::store {

// One Redis reply, owned (copied out of hiredis). RESP2 only: hiredis 0.14 does not speak RESP3.
struct RedisReply {
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };

  Type type = Type::kNil;
  std::int64_t integer = 0;          // kInteger
  std::string str;                   // kString (bulk), kStatus ("OK", "PONG"), kError (its text)
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
  // A status reply "OK" (SET, SELECT, ...).
  bool is_ok() const { return type == Type::kStatus && str == "OK"; }

  static RedisReply nil() { return {}; }
  static RedisReply integer_reply(std::int64_t n) { return {Type::kInteger, n, {}, {}}; }
  static RedisReply string(std::string s) { return {Type::kString, 0, std::move(s), {}}; }
  static RedisReply status(std::string s) { return {Type::kStatus, 0, std::move(s), {}}; }
  static RedisReply error(std::string s) { return {Type::kError, 0, std::move(s), {}}; }
  static RedisReply array(std::vector<RedisReply> e) { return {Type::kArray, 0, {}, std::move(e)}; }

  friend bool operator==(const RedisReply&, const RedisReply&) = default;
};

// A short readable rendering, for logs and test messages: nil, 42, "text", +OK, -ERR ..., [..].
std::string to_string(const RedisReply& reply);

struct RedisClientOptions {
  std::chrono::milliseconds command_timeout{2000};  // default per command; see command()
  // One connection attempt: name resolution, connect, AUTH, SELECT and a PING answered.
  std::chrono::milliseconds connect_timeout{2000};
  // Waits between attempts while Redis is unreachable: doubling from `reconnect_initial` up to
  // `reconnect_max`, each scaled by a random factor in [0.5, 1].
  std::chrono::milliseconds reconnect_initial{100};
  std::chrono::milliseconds reconnect_max{5000};
};

// The wait before reconnect attempt `attempt` (0 = the first retry): initial * 2^attempt, capped
// at `max`, times `jitter`, a draw from [0.5, 1] (clamped). Pure, for tests.
std::chrono::milliseconds reconnect_delay(int attempt, std::chrono::milliseconds initial,
                                          std::chrono::milliseconds max, double jitter);

// Counters since construction. Readable from any thread.
struct RedisStats {
  std::uint64_t commands_ok = 0;      // a reply arrived (Redis error replies included)
  std::uint64_t commands_failed = 0;  // no reply: not connected, timed out, connection lost
  std::uint64_t connects = 0;         // successful connections (command connection)
  std::uint64_t reconnects = 0;       // of which after the first
  std::uint64_t disconnects = 0;      // established command connections that were lost
  std::uint64_t messages = 0;         // pub/sub messages received
};

// An asynchronous Redis client on one executor (the service's io_context): hiredis' async API
// driven by Asio, with a command connection (pipelined; replies matched in order) and, once
// anything subscribes, a separate pub/sub connection.
//
// Threading: the client's state lives on its executor's thread (strand-free: give it an
// io_context run by one thread). The awaitables (command, pipeline, transaction, wait_*) may be
// co_awaited from any executor: they run directly when the caller is on the client's executor and
// hop there otherwise (one co_spawn). subscribe(), unsubscribe(), subscribed() and stop() must be
// called on that thread (or before it runs); connected(), stats() and url() from anywhere.
// Handlers run on that thread. Destroy the client before the io_context; the awaitables it
// handed out stay valid after it is gone (they complete with kUnavailable).
//
// Availability: the client connects in the background from construction on and reconnects on
// its own after losses, waiting with capped exponential backoff and jitter. It logs one line
// when Redis is first found unavailable or a connection is lost, and one when it is back; the
// attempts in between log at debug level. While disconnected, commands fail at once; commands in
// flight when the connection drops, or when the client stops, complete with an error. No call
// ever waits longer than its timeout.
class RedisClient {
 public:
  using Reply = RedisReply;
  using MessageHandler = std::function<void(std::string_view channel, std::string_view message)>;
  using SubscriptionId = std::uint64_t;

  RedisClient(boost::asio::any_io_executor executor, RedisUrl url, RedisClientOptions options = {});
  // stop(), then release.
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends one command, e.g. {"SET", key, value, "PX", "60000"}, and waits for its reply. A reply
  // of type kError is a value (Redis answered); the Result holds an error only when no reply
  // came: kUnavailable (retryable) when not connected, when the connection dropped before the
  // reply, on timeout (the connection is then reset: later replies on it would be late too) and
  // after stop(); kInvalidInput for an empty argv or a command that would break the shared
  // connection (SUBSCRIBE family, MONITOR, MULTI/EXEC/WATCH, SELECT, AUTH, HELLO, RESET, QUIT:
  // use transaction() or EVAL for atomicity).
  boost::asio::awaitable<core::Result<RedisReply>> command(std::vector<std::string> argv);
  boost::asio::awaitable<core::Result<RedisReply>> command(std::vector<std::string> argv,
                                                           std::chrono::milliseconds timeout);

  // Sends several commands back to back (one write, no other command between them) and waits
  // for all replies (one per command, in order) within the default command timeout. Fails as a
  // whole like command().
  boost::asio::awaitable<core::Result<std::vector<RedisReply>>> pipeline(
      std::vector<std::vector<std::string>> commands);

  // MULTI, the commands, EXEC, back to back: they run atomically. The result is EXEC's reply: an
  // array with one reply per command, or a kError reply (EXECABORT) when Redis refused one.
  boost::asio::awaitable<core::Result<RedisReply>> transaction(
      std::vector<std::vector<std::string>> commands);

  // True while the command connection is established (AUTH and SELECT done). Any thread.
  bool connected() const;

  // Waits until connected() (at once if it is), at most `timeout`; returns connected().
  boost::asio::awaitable<bool> wait_connected(std::chrono::milliseconds timeout);

  // Calls `handler` with each message published on `channel` (exact name) from now until
  // unsubscribe(id), across reconnects (messages published while the pub/sub connection is down
  // are lost: Redis pub/sub is at most once). Handlers run on the executor, never from inside
  // this call, never after unsubscribe() or stop(); an exception from a handler is logged and
  // dropped. Any number of handlers may share a channel; Redis sees one subscription. After
  // stop() nothing is registered and the id is 0.
  SubscriptionId subscribe(std::string channel, MessageHandler handler);
  // The same for a glob-style pattern (PSUBSCRIBE); `channel` in the handler is the actual one.
  SubscriptionId psubscribe(std::string pattern, MessageHandler handler);
  // Unknown or already removed ids are ignored.
  void unsubscribe(SubscriptionId id);
  // True once Redis has confirmed the subscription on the current pub/sub connection: from then
  // on, while that connection lasts, every message published on the channel is delivered.
  bool subscribed(SubscriptionId id) const;
  // Waits until subscribed(id), at most `timeout`; returns subscribed(id).
  boost::asio::awaitable<bool> wait_subscribed(SubscriptionId id,
                                               std::chrono::milliseconds timeout);

  // Closes the connections and stops reconnecting: commands in flight complete with
  // kUnavailable, later ones fail at once, handlers are no longer called. Idempotent.
  void stop();

  RedisStats stats() const;
  const RedisUrl& url() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace lbrec::store
