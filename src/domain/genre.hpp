#pragma once

#include <string_view>

namespace lbrec::domain {

// TMDB's movie genre name for a genre id (its /genre/movie/list, English); "" for an unknown id.
// Search and list results carry only ids, so this is how a film's genres are named without a
// details call.
std::string_view genre_name(int genre_id);

}  // namespace lbrec::domain
