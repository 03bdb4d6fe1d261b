// How fast the Letterboxd parsers read a full 72-film grid page: a profile of a few thousand films
// is dozens of pages, parsed off the I/O thread. Target: >= 2,000 pages/s on one core (release).

#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "fakeworld/letterboxd_site.hpp"
#include "fakeworld/world.hpp"
#include "sources/html_document.hpp"
#include "sources/letterboxd/film_page_parser.hpp"
#include "sources/letterboxd/grid_parser.hpp"
#include "sources/letterboxd/rss_parser.hpp"

namespace lbrec::sources::letterboxd {
namespace {

const fakeworld::World& world() {
  static const std::shared_ptr<const fakeworld::World> w =
      fakeworld::World::generate({.seed = 3, .films = 1500, .users = 20});
  return *w;
}

std::string page(const std::string& path) {
  fakeworld::FakeRequest req;
  req.path = path;
  std::string route;
  return fakeworld::serve_letterboxd(world(), req, route).body;
}

void run_grid(benchmark::State& state, const std::string& html) {
  std::size_t items = 0;
  for (auto _ : state) {
    auto parsed = parse_grid_page(html);
    if (!parsed) {
      state.SkipWithError(parsed.error().message.c_str());
      return;
    }
    items = parsed->items.size();
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));  // pages
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * html.size()));
  state.SetLabel(std::to_string(items) + " films/page, " + std::to_string(html.size() / 1024) +
                 " KiB");
}

void BM_GridPageCurrent72(benchmark::State& state) {
  static const std::string html = page("/demo/films/page/2/");
  run_grid(state, html);
}
BENCHMARK(BM_GridPageCurrent72)->Unit(benchmark::kMicrosecond);

void BM_GridPageLegacy72(benchmark::State& state) {
  static const std::string html = page("/legacy_fan/films/");
  run_grid(state, html);
}
BENCHMARK(BM_GridPageLegacy72)->Unit(benchmark::kMicrosecond);

// The floor: libxml2's HTML parse of the same page, with no extraction.
void BM_HtmlParseOnlyCurrent72(benchmark::State& state) {
  static const std::string html = page("/demo/films/page/2/");
  for (auto _ : state)
    benchmark::DoNotOptimize(HtmlDocument::parse(html));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_HtmlParseOnlyCurrent72)->Unit(benchmark::kMicrosecond);

void BM_Rss50(benchmark::State& state) {
  static const std::string xml = page("/demo/rss/");
  for (auto _ : state)
    benchmark::DoNotOptimize(parse_rss(xml));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Rss50)->Unit(benchmark::kMicrosecond);

void BM_FilmPage(benchmark::State& state) {
  static const std::string html = page("/film/" + world().films()[10].slug + "/");
  for (auto _ : state)
    benchmark::DoNotOptimize(parse_film_page(html));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_FilmPage)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace lbrec::sources::letterboxd
