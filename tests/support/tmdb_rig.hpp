#pragma once

// A TMDB client and cached catalogue aimed at a fake world, on a fake clock whose sleeps are
// recorded and skipped.

#include <memory>
#include <string>
#include <vector>

#include "domain/profile.hpp"
#include "fakeworld/world.hpp"
#include "sources/tmdb/movie_catalog.hpp"
#include "store/tiered_cache.hpp"
#include "support/loopback_world.hpp"

namespace lbrec::testing {

struct TmdbRig {
  TmdbRig(boost::asio::io_context& io, const std::string& base_url, std::string_view key,
          int max_attempts = 5)
      : client(io.get_executor()),
        gate(20, nullptr, net::timer_sleep()),
        tmdb(fake_retry_context(client, gate, policy(max_attempts), clock, &slept),
             sources::tmdb::TmdbSettings{base_url, sources::tmdb::TmdbCredential::detect(key),
                                         std::chrono::milliseconds(5000)}),
        cache(100000, clock),
        catalog(tmdb, cache, sources::tmdb::CatalogSettings{}, clock) {}

  static net::RetryPolicy policy(int max_attempts) {
    net::RetryPolicy p;
    p.max_attempts = max_attempts;
    return p;
  }

  core::FakeClock clock;
  std::vector<std::chrono::nanoseconds> slept;
  net::HttpClient client;
  net::HostGate gate;
  sources::tmdb::TmdbClient tmdb;
  store::TieredCache cache;
  sources::tmdb::MovieCatalog catalog;
};

// A fake-world film as a Letterboxd grid shows it: slug, title and Letterboxd's year, no TMDB id.
inline domain::FilmRef letterboxd_ref(const fakeworld::Film& f) {
  domain::FilmRef ref;
  ref.slug = f.slug;
  ref.title = f.title;
  if (f.letterboxd_year != 0) ref.year = f.letterboxd_year;
  ref.letterboxd_id = f.lb_id;
  return ref;
}

}  // namespace lbrec::testing
