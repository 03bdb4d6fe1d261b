// Title normalisation runs for every film of a profile and every candidate: it must be cheap.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/title.hpp"

namespace {

const std::vector<std::string>& titles() {
  static const std::vector<std::string> t = {"The Lord of the Rings: The Fellowship of the Ring",
                                             "Amélie",
                                             "Tom & Jerry's \"Great\" <Escape>",
                                             "千と千尋の神隠し",
                                             "Иди и смотри",
                                             "WALL·E",
                                             "Se7en",
                                             "Crouching Tiger, Hidden Dragon",
                                             "Portrait de la jeune fille en feu",
                                             "Dr. Strangelove or: How I Learned to Stop Worrying"};
  return t;
}

void BM_NormalizeTitle(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(lbrec::engine::normalize_title(titles()[i++ % titles().size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeTitle);

}  // namespace
