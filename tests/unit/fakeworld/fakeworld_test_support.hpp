#pragma once

// Shared fixtures for the fake-world unit tests: one small world per test process (ctest runs
// every test case in its own process, so the world is built lazily and only when a test needs it).

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "fakeworld/fake_http.hpp"
#include "fakeworld/world.hpp"
#include "sources/html_document.hpp"

namespace lbrec::fakeworld::testing {

inline constexpr WorldOptions kSmallWorld{.seed = 7, .films = 1500, .users = 60};

inline const World& small_world() {
  static const std::shared_ptr<const World> world = World::generate(kSmallWorld);
  return *world;
}

inline FakeRequest get(std::string path, std::map<std::string, std::string> query = {}) {
  FakeRequest r;
  r.path = std::move(path);
  r.query = std::move(query);
  return r;
}

inline sources::HtmlDocument parse_html(std::string_view html) {
  auto doc = sources::HtmlDocument::parse(html);
  if (!doc) {
    ADD_FAILURE() << doc.error().message;
    return std::move(sources::HtmlDocument::parse("<html></html>")).value();
  }
  return std::move(doc).value();
}

inline const User& member(const World& world, std::string_view name) {
  const User* u = world.user(name);
  if (u == nullptr) {
    ADD_FAILURE() << "no member " << name;
    return world.users().front();
  }
  return *u;
}

inline const Film& film_at(const World& world, int index) {
  return world.films()[static_cast<std::size_t>(index)];
}

}  // namespace lbrec::fakeworld::testing
