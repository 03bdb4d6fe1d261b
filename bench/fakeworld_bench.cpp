// How fast the fake world builds and answers: tests and `lbrec demo` start one, and load tests
// must measure lbrec, not the fake.

#include <benchmark/benchmark.h>

#include "fakeworld/letterboxd_site.hpp"
#include "fakeworld/tmdb_api.hpp"
#include "fakeworld/world.hpp"

namespace lbrec::fakeworld {
namespace {

const World& shared_world() {
  static const auto world = World::generate({});
  return *world;
}

void BM_GenerateWorld(benchmark::State& state) {
  std::size_t members = 0;
  for (auto _ : state) {
    auto world =
        World::generate({.seed = 42, .films = static_cast<int>(state.range(0)), .users = 200});
    members = world->users().size();
    benchmark::DoNotOptimize(world.get());
  }
  state.SetLabel("films=" + std::to_string(state.range(0)) + " members=" + std::to_string(members));
}
BENCHMARK(BM_GenerateWorld)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

void BM_FilmsPage(benchmark::State& state) {
  const World& world = shared_world();
  FakeRequest req;
  req.path = "/demo/films/page/2/";
  std::string route;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto reply = serve_letterboxd(world, req, route);
    bytes += reply.body.size();
    benchmark::DoNotOptimize(reply);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_FilmsPage);

void BM_TmdbDetailsWithAppends(benchmark::State& state) {
  const World& world = shared_world();
  FakeRequest req;
  req.path = "/3/movie/" + std::to_string(world.films()[10].tmdb_id);
  req.query = {{"api_key", std::string(kFakeTmdbApiKey)},
               {"append_to_response",
                "credits,external_ids,similar,recommendations,keywords,watch/providers"}};
  std::string route;
  for (auto _ : state)
    benchmark::DoNotOptimize(serve_tmdb(world, req, route));
}
BENCHMARK(BM_TmdbDetailsWithAppends)->Unit(benchmark::kMicrosecond);

void BM_TmdbSearch(benchmark::State& state) {
  const World& world = shared_world();
  FakeRequest req;
  req.path = "/3/search/movie";
  req.query = {{"api_key", std::string(kFakeTmdbApiKey)}, {"query", world.films()[10].title}};
  std::string route;
  for (auto _ : state)
    benchmark::DoNotOptimize(serve_tmdb(world, req, route));
}
BENCHMARK(BM_TmdbSearch)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace lbrec::fakeworld
