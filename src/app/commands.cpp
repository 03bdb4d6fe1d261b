#include "app/commands.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdio>
#include <fstream>

#include "app/cache_stack.hpp"
#include "app/cli_support.hpp"
#include "app/letterboxd_stack.hpp"
#include "core/logging.hpp"
#include "domain/country.hpp"
#include "domain/username.hpp"
#include "fakeworld/export_zip.hpp"
#include "fakeworld/fake_world_server.hpp"
#include "sources/letterboxd/export_reader.hpp"
#include "sources/letterboxd/profile_codec.hpp"

namespace lbrec::app {
namespace {

void wait_for_signal() {
  boost::asio::io_context io;
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});
  io.run();
}

// Starts the fake world on host:port and reports where it is, or reports why it could not.
int serve_fakeworld(fakeworld::FakeWorldServer& server, const std::string& host, int port) {
  auto started = server.start(host, static_cast<std::uint16_t>(port));
  if (!started) {
    std::fprintf(stderr, "lbrec: %s\n", started.error().message.c_str());
    return kExitFailure;
  }
  const auto& world = server.world();
  spdlog::info("event=fakeworld_ready url={} films={} members={} seed={}", server.base_url(),
               world.films().size(), world.users().size(), world.options().seed);
  spdlog::info(
      "event=fakeworld_hint letterboxd={0}/demo/films/ tmdb={0}/3/movie/{1}?api_key={2} "
      "stats={0}/__stats",
      server.base_url(), world.films()[2].tmdb_id, fakeworld::kFakeTmdbApiKey);
  return kExitOk;
}

}  // namespace

int run_config() {
  const auto config = config_or_report();
  if (!config) return kExitFailure;
  for (const std::string& line : core::describe(*config))
    std::printf("%s\n", line.c_str());
  return kExitOk;
}

int run_profile(const ProfileArgs& args) {
  if (args.username.empty() == args.zip.empty()) {
    std::fprintf(stderr, "lbrec: give a username or --zip FILE\n");
    return kExitUsage;
  }
  const auto config = config_or_report();
  if (!config) return kExitFailure;
  core::setup_logging(config->is_dev());

  sources::letterboxd::ProfileSnapshot snapshot;
  std::string freshness = "live";
  if (!args.zip.empty()) {
    auto profile = read_export_file(args.zip);
    if (!profile) {
      std::fprintf(stderr, "lbrec: %s\n", profile.error().message.c_str());
      return kExitFailure;
    }
    snapshot.profile = std::move(*profile);
    freshness = "export";
  } else {
    if (!domain::is_valid_username(args.username)) {
      std::fprintf(stderr, "lbrec: %s\n", kInvalidUsername);
      return kExitUsage;
    }
    boost::asio::io_context io;
    CacheStack caches(*config);
    LetterboxdStack stack(*config, io, caches.cache());
    auto future =
        boost::asio::co_spawn(io, stack.profiles.get(args.username), boost::asio::use_future);
    io.run();
    auto result = future.get();
    if (!result) {
      const bool missing = result.error().code == core::ErrorCode::kNotFound;
      std::fprintf(stderr, "lbrec: %s\n",
                   missing ? fmt::format("no Letterboxd member '{}'", args.username).c_str()
                           : result.error().message.c_str());
      return kExitFailure;
    }
    snapshot = std::move(result->snapshot);
    if (result->stale) freshness = "stale_cache";
    if (!result->complete) freshness = "partial";
  }

  if (args.json) {
    std::printf("%s\n", sources::letterboxd::encode_snapshot(snapshot).c_str());
    return kExitOk;
  }
  std::size_t rated = 0, liked = 0;
  for (const auto& f : snapshot.profile.films) {
    rated += f.rating.has_value();
    liked += f.liked;
  }
  const std::string who =
      snapshot.profile.username.empty() ? std::string("export") : snapshot.profile.username;
  std::printf("%s: %zu films (%zu rated, %zu liked), watchlist %zu, %s\n", who.c_str(),
              snapshot.profile.films.size(), rated, liked, snapshot.profile.watchlist.size(),
              freshness.c_str());
  return kExitOk;
}

int run_fakeworld(const FakeworldArgs& args) {
  core::setup_logging(false);
  fakeworld::WorldOptions options;
  options.seed = args.seed;
  options.films = args.films;
  options.users = args.users;
  options.markup = *fakeworld::parse_markup(args.markup);  // CLI11 checked the value
  const auto world = fakeworld::World::generate(options);

  if (!args.export_user.empty()) {
    const fakeworld::User* user = world->user(args.export_user);
    if (user == nullptr) {
      std::fprintf(stderr, "lbrec: no member '%s' in this world (see /__users)\n",
                   args.export_user.c_str());
      return kExitUsage;
    }
    auto zip = fakeworld::export_zip(*world, *user, args.nested);
    if (!zip) {
      std::fprintf(stderr, "lbrec: %s\n", zip.error().message.c_str());
      return kExitFailure;
    }
    const std::string out =
        args.out.empty() ? fmt::format("letterboxd-{}-export.zip", user->name) : args.out;
    std::ofstream file(out, std::ios::binary);
    file.write(zip->data(), static_cast<std::streamsize>(zip->size()));
    if (!file) {
      std::fprintf(stderr, "lbrec: cannot write %s\n", out.c_str());
      return kExitFailure;
    }
    std::printf("%s\n", out.c_str());
    return kExitOk;
  }

  fakeworld::FakeWorldServer server(world);
  for (const std::string& rule : args.faults) {
    if (auto applied = server.faults().apply_flag(rule); !applied) {
      std::fprintf(stderr, "lbrec: %s\n", applied.error().message.c_str());
      return kExitUsage;
    }
  }
  if (const int rc = serve_fakeworld(server, args.host, args.port); rc != kExitOk) return rc;
  wait_for_signal();
  server.stop();
  return kExitOk;
}

}  // namespace lbrec::app
