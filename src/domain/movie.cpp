#include "domain/movie.hpp"

#include "core/strings.hpp"

namespace lbrec::domain {

std::optional<int> MovieSummary::year() const {
  if (release_date.size() < 4) return std::nullopt;
  const auto y = core::parse_int(std::string_view(release_date).substr(0, 4));
  if (!y || *y < 1800 || *y > 2200) return std::nullopt;
  return static_cast<int>(*y);
}

std::string poster_url(const std::string& poster_path, std::string_view size) {
  if (poster_path.empty()) return {};
  std::string url = "https://image.tmdb.org/t/p/";
  url += size;
  url += poster_path;
  return url;
}

}  // namespace lbrec::domain
