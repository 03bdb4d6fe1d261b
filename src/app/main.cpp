// lbrec: the command line. main only parses arguments and hands over to a command.

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/version.hpp"

int main(int argc, char** argv) {
  using namespace lbrec::app;
  CLI::App cli{"lbrec: Letterboxd film recommendations, ranked, explained and streamable", "lbrec"};
  cli.set_version_flag("--version", kVersion);
  cli.require_subcommand(1);
  cli.fallthrough();

  auto* serve = cli.add_subcommand(
      "serve", "Run the web service on PORT (configuration from the environment and .env)");

  RecommendArgs rec;
  auto* recommend =
      cli.add_subcommand("recommend", "Recommend films for a Letterboxd member, in the terminal");
  recommend->add_option("user", rec.username, "Letterboxd username");
  recommend->add_option("--export", rec.export_zip,
                        "Read the films from a Letterboxd export ZIP instead of the website");
  recommend->add_option("--country", rec.country, "ISO country code for streaming availability")
      ->capture_default_str();
  recommend->add_option("--count", rec.count, "How many recommendations (0: the default, 30)")
      ->check(CLI::Range(0, 200));
  recommend
      ->add_option("--min-rating", rec.min_rating,
                   "Minimum TMDB rating (default: MIN_RECOMMEND_RATING)")
      ->check(CLI::Range(0.0, 10.0));
  recommend->add_flag("--include-watchlist", rec.include_watchlist,
                      "Keep films on the member's watchlist (flagged)");
  recommend->add_flag("--no-streaming", rec.no_streaming, "Skip streaming availability");
  auto* json_flag = recommend->add_flag("--json", rec.json, "Print the result as JSON");
  recommend->add_flag("--csv", rec.csv, "Print a Letterboxd-importable CSV")->excludes(json_flag);

  ProfileArgs prof;
  auto* profile =
      cli.add_subcommand("profile", "Read a member's films, ratings, likes and watchlist");
  auto* user_opt = profile->add_option("user", prof.username, "Letterboxd username (read live)");
  profile->add_option("--zip", prof.zip, "Read a Letterboxd export ZIP instead")
      ->excludes(user_opt);
  profile->add_flag("--json", prof.json, "Print the whole profile as JSON");

  auto* demo = cli.add_subcommand(
      "demo", "Run everything against the built-in fake world: no network, no keys");

  FakeworldArgs fw;
  auto* fakeworld =
      cli.add_subcommand("fakeworld", "Serve the fake Letterboxd + TMDB + JustWatch world");
  fakeworld->add_option("--host", fw.host, "Address to listen on")->capture_default_str();
  fakeworld->add_option("--port", fw.port, "Port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  fakeworld->add_option("--seed", fw.seed, "World seed: the same seed gives the same world")
      ->capture_default_str();
  fakeworld->add_option("--films", fw.films, "Films in the catalogue")
      ->check(CLI::Range(50, 200000))
      ->capture_default_str();
  fakeworld->add_option("--users", fw.users, "Generated members besides the named ones")
      ->check(CLI::Range(0, 20000))
      ->capture_default_str();
  fakeworld->add_option("--markup", fw.markup, "Poster-grid markup generation for members")
      ->check(CLI::IsMember({"legacy", "lazyposter", "current"}))
      ->capture_default_str();
  fakeworld->add_option("--fault", fw.faults,
                        "Fault rule family:fault[:rate] or family:latency=MS (repeatable)");
  auto* export_opt =
      fakeworld->add_option("--export", fw.export_user, "Write this member's export ZIP and exit");
  fakeworld->add_option("--out", fw.out, "File for --export")->needs(export_opt);
  fakeworld->add_flag("--nested", fw.nested, "Put the export's files in one folder")
      ->needs(export_opt);

  auto* config = cli.add_subcommand(
      "config", "Print the effective configuration (secrets hidden) and check it");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that succeed; every real usage error exits 2.
    return cli.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (serve->parsed()) return run_serve();
  if (recommend->parsed()) return run_recommend(rec);
  if (profile->parsed()) return run_profile(prof);
  if (demo->parsed()) return run_demo();
  if (fakeworld->parsed()) return run_fakeworld(fw);
  if (config->parsed()) return run_config();
  return kExitUsage;
}
