#include "domain/genre.hpp"

#include <array>
#include <utility>

namespace lbrec::domain {

namespace {

constexpr std::array<std::pair<int, std::string_view>, 19> kMovieGenres = {{
    {28, "Action"},      {12, "Adventure"},  {16, "Animation"},
    {35, "Comedy"},      {80, "Crime"},      {99, "Documentary"},
    {18, "Drama"},       {10751, "Family"},  {14, "Fantasy"},
    {36, "History"},     {27, "Horror"},     {10402, "Music"},
    {9648, "Mystery"},   {10749, "Romance"}, {878, "Science Fiction"},
    {10770, "TV Movie"}, {53, "Thriller"},   {10752, "War"},
    {37, "Western"},
}};

}  // namespace

std::string_view genre_name(int genre_id) {
  for (const auto& [id, name] : kMovieGenres) {
    if (id == genre_id) return name;
  }
  return {};
}

}  // namespace lbrec::domain
