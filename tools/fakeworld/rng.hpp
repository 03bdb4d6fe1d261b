#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string_view>

namespace lbrec::fakeworld {

// A small deterministic generator (xoshiro256** seeded by splitmix64) with its own
// distributions: std:: distributions differ between standard libraries, and the fake world must
// be byte-identical for a seed on every machine.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : state_)
      s = splitmix(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform integer in [lo, hi].
  int range(int lo, int hi) {
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  double normal(double mean = 0, double sd = 1) {
    const double u1 = 1.0 - unit();  // (0, 1]
    const double u2 = unit();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }

  template <typename T>
  const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }

  // Index drawn with probability proportional to weights[i].
  std::size_t weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights)
      total += w;
    double x = unit() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if ((x -= weights[i]) < 0) return i;
    }
    return weights.size() - 1;
  }

  // A derived, independent generator for a named sub-stream (so adding draws in one part of the
  // world does not shift another).
  static Rng derive(std::uint64_t seed, std::string_view stream, std::uint64_t index = 0) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    for (char c : stream)
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return Rng(seed ^ h ^ (index * 0x9E3779B97F4A7C15ULL));
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_[4];
};

}  // namespace lbrec::fakeworld
