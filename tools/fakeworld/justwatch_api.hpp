#pragma once

#include <string>

#include "fake_http.hpp"
#include "world.hpp"

namespace lbrec::fakeworld {

inline constexpr int kJustWatchMaxReachable = 1999;  // count + offset beyond this: empty list
inline constexpr int kJustWatchMaxCount = 100;       // larger "first": operation complexity error

// Serves JustWatch's unofficial GraphQL endpoint (POST /graphql) for the operations the
// simple-justwatch client sends: GetSearchTitles, GetTitleNode, GetTitleOffers, GetProviders.
// Dispatches on operationName and reads `variables`; it does not execute GraphQL, except that
// GetTitleOffers' per-country aliases ("US: offers(country: US, ...)") are read from the query.
FakeReply serve_justwatch(const World& world, const FakeRequest& request, std::string& route);

// The JustWatch node id of a film ("tm12345").
std::string justwatch_node_id(const Film& film);

}  // namespace lbrec::fakeworld
