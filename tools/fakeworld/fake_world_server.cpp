#include "fake_world_server.hpp"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include "admin_api.hpp"
#include "fault_replies.hpp"
#include "justwatch_api.hpp"
#include "letterboxd_site.hpp"
#include "server/http_listener.hpp"
#include "tmdb_api.hpp"

namespace lbrec::fakeworld {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct FakeWorldServer::Impl {
  asio::io_context io;
  std::unique_ptr<server::HttpListener> listener;
  std::thread thread;
};

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

FakeRequest to_fake_request(const server::HttpRequest& req) {
  FakeRequest out;
  out.method = std::string(req.method_string());
  const auto url = boost::urls::parse_origin_form(req.target());
  if (url) {
    out.path = url->path();
    for (const auto& p : url->params())
      out.query[p.key] = p.value;
  } else {
    out.path = std::string(req.target());
  }
  out.cookie = std::string(req[http::field::cookie]);
  out.authorization = std::string(req[http::field::authorization]);
  out.body = req.body();
  return out;
}

server::HttpResponse to_response(const FakeReply& r, const server::HttpRequest& req) {
  server::HttpResponse res{static_cast<http::status>(r.status), req.version()};
  res.set(http::field::content_type, r.content_type);
  for (const auto& [k, v] : r.headers)
    res.set(k, v);
  res.keep_alive(req.keep_alive());
  res.body() = r.body;
  return res;
}

}  // namespace

FakeWorldServer::FakeWorldServer(std::shared_ptr<const World> world)
    : world_(std::move(world)),
      faults_(world_->options().seed),
      clearance_(clearance_cookie_value(world_->options().seed)),
      impl_(std::make_unique<Impl>()) {}

FakeWorldServer::~FakeWorldServer() {
  stop();
}

std::string FakeWorldServer::base_url() const {
  return host_.find(':') == std::string::npos ? fmt::format("http://{}:{}", host_, port_)
                                              : fmt::format("http://[{}]:{}", host_, port_);
}

core::Result<std::uint16_t> FakeWorldServer::start(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec)
    return core::fail(core::ErrorCode::kInvalidInput, fmt::format("not an IP address: {}", host));

  const auto handle = [this](beast::tcp_stream& stream,
                             server::HttpRequest req) -> asio::awaitable<bool> {
    FakeRequest fr = to_fake_request(req);
    std::string route;

    // Admin endpoints: never faulted, never counted.
    if (fr.path.starts_with("/__")) {
      co_return co_await server::write_response(
          stream, to_response(serve_admin(*world_, faults_, stats_, fr), req));
    }

    const Family family = fr.path.starts_with("/3/") ? Family::kTmdb
                          : fr.path == "/graphql"    ? Family::kJustWatch
                                                     : Family::kLetterboxd;
    const FaultInjector::Decision d = faults_.decide(family);
    if (d.latency_ms > 0) {
      asio::steady_timer timer(stream.get_executor(), std::chrono::milliseconds(d.latency_ms));
      co_await timer.async_wait(kTuple);
    }

    FakeReply reply;
    bool faulted = d.kind != FaultKind::kNone;
    if (d.kind == FaultKind::kJsChallenge) {
      faulted = !has_clearance(fr.cookie, clearance_);
      if (faulted) reply = js_challenge_reply(clearance_);
    } else if (d.kind != FaultKind::kNone && d.kind != FaultKind::kTruncate &&
               d.kind != FaultKind::kMalformed && d.kind != FaultKind::kReset) {
      reply = fault_reply(family, d.kind, d.retry_after_s);
    }
    if (!faulted || d.kind == FaultKind::kTruncate || d.kind == FaultKind::kMalformed ||
        d.kind == FaultKind::kReset) {
      if (family == Family::kTmdb) {
        reply = serve_tmdb(*world_, fr, route);
      } else if (family == Family::kJustWatch) {
        reply = serve_justwatch(*world_, fr, route);
      } else if (fr.method != "GET" && fr.method != "HEAD") {
        route = "letterboxd.method_not_allowed";
        reply = FakeReply::html(405, "<html><body>Method Not Allowed</body></html>\n");
      } else {
        reply = serve_letterboxd(*world_, fr, route);
      }
    }
    if (route.empty()) route = fmt::format("{}.fault", to_string(family));
    stats_.count(to_string(family), route, faulted);

    if (d.kind == FaultKind::kReset) {
      // An abortive close: the peer sees a connection reset, not a clean EOF.
      beast::error_code ignored;
      stream.socket().set_option(asio::socket_base::linger(true, 0), ignored);
      stream.socket().close(ignored);
      co_return false;
    }
    if (d.kind == FaultKind::kMalformed) reply = malformed_reply(std::move(reply));
    if (d.kind == FaultKind::kTruncate) {
      server::HttpResponse res = to_response(reply, req);
      const std::size_t full = res.body().size();
      res.body().resize(full / 2);
      res.set(http::field::content_length, std::to_string(full));
      res.keep_alive(false);
      stream.expires_after(std::chrono::seconds(30));
      co_await http::async_write(stream, res, kTuple);
      beast::error_code ignored;
      stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
      co_return false;
    }
    co_return co_await server::write_response(stream, to_response(reply, req));
  };

  impl_->listener = std::make_unique<server::HttpListener>(impl_->io, handle);
  auto bound = impl_->listener->listen(asio::ip::tcp::endpoint(address, port));
  if (!bound) return tl::unexpected(bound.error());
  host_ = host;
  port_ = bound->port();
  impl_->thread = std::thread([this] {
    auto guard = asio::make_work_guard(impl_->io);
    impl_->io.run();
  });
  return port_;
}

void FakeWorldServer::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  asio::post(impl_->io, [this] {
    if (impl_->listener) impl_->listener->close();
    impl_->io.stop();
  });
  impl_->thread.join();
}

}  // namespace lbrec::fakeworld
