// `lbrec serve` and `lbrec demo`: the HTTP service, against the real upstreams or against the
// in-process fake world.

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>

#include "app/cli_support.hpp"
#include "app/commands.hpp"
#include "app/services.hpp"
#include "app/web_wiring.hpp"
#include "core/logging.hpp"
#include "fakeworld/fake_world_server.hpp"
#include "fakeworld/world.hpp"

namespace lbrec::app {
namespace {

namespace asio = boost::asio;

// Thousands of SSE clients need as many descriptors: take the hard limit.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

asio::awaitable<void> stop_then_exit(server::WebService* service, asio::io_context* io) {
  co_await service->stop();
  io->stop();
}

// Runs the service until SIGINT or SIGTERM, then stops it gracefully. `ready` hears the bound
// address once the service listens.
int serve(const core::Config& config, const std::function<void(const std::string&)>& ready) {
  raise_descriptor_limit();
  asio::io_context io(1);
  Services services(config, io);
  server::WebService* service_ptr = nullptr;
  WebWiring wiring = wire_web_service(config, services, [&service_ptr] {
    return service_ptr ? service_ptr->connections() : std::size_t{0};
  });
  server::WebService service(io, std::move(wiring.runner), std::move(wiring.hooks),
                             std::move(wiring.options), core::RealClock::instance());
  service_ptr = &service;
  if (wiring.breaker_sync) asio::co_spawn(io, wiring.breaker_sync->run(), asio::detached);

  boost::system::error_code ec;
  const auto address = asio::ip::make_address(config.host, ec);
  auto bound = service.start({address, static_cast<unsigned short>(config.port)});
  if (!bound) {
    std::fprintf(stderr, "lbrec: %s\n", bound.error().message.c_str());
    return kExitFailure;
  }
  const std::string host = bound->address().is_v6()
                               ? fmt::format("[{}]", bound->address().to_string())
                               : bound->address().to_string();
  const std::string url = fmt::format("http://{}:{}/", host, bound->port());
  spdlog::info("event=service_ready url={} pipeline_pool={} ratelimit={}", url,
               config.pipeline_pool_size, config.ratelimit_enabled);
  if (ready) ready(url);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    spdlog::info("event=signal signal={} action=graceful_stop", signal);
    asio::co_spawn(io, stop_then_exit(&service, &io), asio::detached);
    // A second signal while stopping ends at once.
    signals.async_wait([&io](const boost::system::error_code& e, int) {
      if (!e) io.stop();
    });
  });
  io.run();
  spdlog::info("event=service_stopped");
  return kExitOk;
}

}  // namespace

int run_serve() {
  const auto config = config_or_report();
  if (!config) return kExitFailure;
  core::setup_logging(config->is_dev());
  if (config->tmdb_key.empty()) {
    std::fprintf(stderr,
                 "lbrec: TMDB_KEY is not set: recommendations need TMDB. Set it (environment or "
                 ".env), or run 'lbrec demo' for the offline fake world.\n");
    return kExitFailure;
  }
  return serve(*config, {});
}

int run_demo() {
  auto config = config_or_report();
  if (!config) return kExitFailure;
  core::setup_logging(config->is_dev());
  fakeworld::FakeWorldServer world(fakeworld::World::generate({}));
  const auto started = world.start("127.0.0.1", 0);
  if (!started) {
    std::fprintf(stderr, "lbrec: cannot start the fake world: %s\n",
                 started.error().message.c_str());
    return kExitFailure;
  }
  // The demo talks only to the fake world on loopback, whatever the configuration says.
  config->tmdb_key = std::string(fakeworld::kFakeTmdbApiKey);
  config->tmdb_base_url = world.base_url();
  config->justwatch_url = world.base_url() + "/graphql";
  config->letterboxd_base_url = world.base_url();
  config->letterboxd_proxy.clear();
  config->browser_path = "/nonexistent";  // the fake world's challenge page is not used here
  // Fake-world answers must never land in the persistent cache real runs read.
  config->cache_persistent = false;
  if (std::getenv("HOST") == nullptr) config->host = "127.0.0.1";
  spdlog::info("event=demo_world url={} films={} members={}", world.base_url(),
               world.world().films().size(), world.world().users().size());
  const int rc = serve(*config, [](const std::string& url) {
    std::printf(
        "lbrec demo: open %s and try one of these fake Letterboxd members:\n"
        "  demo (420 films), cinephile (1,200), critic (1,000), grumpy (harsh ratings),\n"
        "  no_ratings (likes only), newcomer (no films: the not-found page)\n"
        "Everything is served by the built-in fake world: no network, no keys. Ctrl-C stops.\n",
        url.c_str());
    std::fflush(stdout);
  });
  world.stop();
  return rc;
}

}  // namespace lbrec::app
