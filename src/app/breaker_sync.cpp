#include "app/breaker_sync.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

namespace lbrec::app {

namespace asio = boost::asio;
using std::chrono::milliseconds;

BreakerSync::BreakerSync(store::RedisClient& redis, net::CircuitBreaker& breaker,
                         milliseconds period, std::string key)
    : redis_(redis), breaker_(breaker), period_(period), key_(std::move(key)) {}

asio::awaitable<void> BreakerSync::run() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer_ = &timer;
  while (!stopped_) {
    if (redis_.connected()) co_await exchange();
    timer.expires_after(period_);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  timer_ = nullptr;
}

void BreakerSync::stop() {
  stopped_ = true;
  if (timer_) timer_->cancel();
}

asio::awaitable<void> BreakerSync::exchange() {
  const net::BreakerSnapshot local = breaker_.snapshot();
  const auto remaining = std::chrono::ceil<milliseconds>(breaker_.retry_after());
  if (local.letterboxd_circuit_open && remaining.count() > 0) {
    // The value names the status that opened it; the key lives as long as the opening.
    std::vector<std::string> argv;
    argv.emplace_back("SET");
    argv.push_back(key_);
    argv.push_back(std::to_string(local.letterboxd_last_status));
    argv.emplace_back("PX");
    argv.push_back(std::to_string(remaining.count()));
    co_await redis_.command(std::move(argv));
    co_return;
  }
  std::vector<std::vector<std::string>> commands(2);
  commands[0] = {std::string("GET"), key_};
  commands[1] = {std::string("PTTL"), key_};
  auto replies = co_await redis_.pipeline(std::move(commands));
  if (!replies || replies->size() != 2) co_return;
  const auto& value = (*replies)[0];
  const auto& pttl = (*replies)[1];
  if (value.type != store::RedisReply::Type::kString ||
      pttl.type != store::RedisReply::Type::kInteger || pttl.integer <= 0) {
    co_return;
  }
  long status = 0;
  std::from_chars(value.str.data(), value.str.data() + value.str.size(), status);
  breaker_.adopt_open(milliseconds(pttl.integer), status);
}

}  // namespace lbrec::app
