// TMDB JSON readers: real shapes, odd and missing fields, and the cache codec.

#include "sources/tmdb/tmdb_json.hpp"

#include <gtest/gtest.h>

#include "sources/tmdb/movie_codec.hpp"

namespace lbrec::sources::tmdb {
namespace {

TEST(TmdbJson, SearchPageReadsItemsWholeNumbersAndNulls) {
  const auto page = parse_search_page(R"({"page":1,"results":[
    {"adult":false,"backdrop_path":null,"genre_ids":[18,53],"id":550,"original_language":"en",
     "original_title":"Fight Club","overview":"x","popularity":12.3456,"poster_path":"/p.jpg",
     "release_date":"1999-10-15","title":"Fight Club","video":false,"vote_average":8.0,
     "vote_count":30000},
    {"id":7,"title":"Undated","original_title":"Undated","poster_path":null,"release_date":"",
     "genre_ids":[],"vote_average":0,"vote_count":0,"popularity":0.0},
    {"id":9,"media_type":"tv","name":"A Show"},
    {"title":"no id"}],"total_pages":3,"total_results":41})");
  ASSERT_TRUE(page.has_value()) << page.error().message;
  ASSERT_EQ(page->results.size(), 2u);
  const auto& fc = page->results[0];
  EXPECT_EQ(fc.tmdb_id, 550);
  EXPECT_EQ(fc.genre_ids, (std::vector<int>{18, 53}));
  EXPECT_DOUBLE_EQ(fc.vote_average, 8.0);
  EXPECT_DOUBLE_EQ(fc.popularity, 12.3456);
  EXPECT_EQ(fc.year(), 1999);
  EXPECT_EQ(fc.poster_path, "/p.jpg");
  const auto& undated = page->results[1];
  EXPECT_EQ(undated.year(), std::nullopt);
  EXPECT_EQ(undated.poster_path, "");
  EXPECT_DOUBLE_EQ(undated.vote_average, 0.0);  // a whole 0 parses as a number too
  EXPECT_EQ(page->total_pages, 3);
  EXPECT_EQ(page->total_results, 41);
}

TEST(TmdbJson, NotJsonOrWrongShapeIsAParseError) {
  for (const char* body : {"", "<html>", "[1,2]", "{\"page\":1}", "{\"results\":"}) {
    const auto page = parse_search_page(body);
    ASSERT_FALSE(page.has_value()) << body;
    EXPECT_EQ(page.error().code, core::ErrorCode::kParseError);
  }
  EXPECT_FALSE(parse_details("{\"title\":\"no id\"}").has_value());
}

TEST(TmdbJson, DetailsFoldInEveryAppendedPart) {
  const auto d = parse_details(R"({"id":550,"title":"Fight Club","original_title":"Fight Club",
    "release_date":"1999-10-15","runtime":139,"imdb_id":"tt0137523","vote_average":8.4,
    "vote_count":30000,"popularity":61.4,"poster_path":"/p.jpg",
    "genres":[{"id":18,"name":"Drama"},{"id":53,"name":"Thriller"}],
    "belongs_to_collection":{"id":99,"name":"Club Collection","poster_path":null},
    "credits":{"cast":[{"id":1,"name":"Brad Pitt","character":"Tyler"}],"crew":[
      {"id":7467,"name":"David Fincher","department":"Directing","job":"Director"},
      {"id":7467,"name":"David Fincher","department":"Writing","job":"Screenplay"},
      {"id":7467,"name":"David Fincher","department":"Directing","job":"Director"},
      {"id":8,"name":"Co Director","department":"Directing","job":"Director"}]},
    "keywords":{"keywords":[{"id":825,"name":"support group"}]},
    "similar":{"page":1,"results":[{"id":1,"title":"A","release_date":"2001-01-01","genre_ids":[18]}],
               "total_pages":364,"total_results":7269},
    "recommendations":{"page":1,"results":[{"id":2,"title":"B","media_type":"movie"},
                                           {"id":3,"name":"C","media_type":"tv"}]},
    "external_ids":{"imdb_id":"tt0137523","wikidata_id":null},
    "watch/providers":{"results":{"US":{"link":"x","flatrate":[{"provider_id":8,
      "provider_name":"Netflix","display_priority":1,"logo_path":"/n.jpg"}]}}}})");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->summary.tmdb_id, 550);
  EXPECT_EQ(d->summary.genre_ids, (std::vector<int>{18, 53}));  // from genres[] when no genre_ids
  EXPECT_EQ(d->genres, (std::vector<std::string>{"Drama", "Thriller"}));
  ASSERT_EQ(d->directors.size(), 2u);  // one person with several crew jobs counted once
  EXPECT_EQ(d->directors[0].name, "David Fincher");
  EXPECT_EQ(d->directors[1].name, "Co Director");
  EXPECT_EQ(d->runtime, 139);
  EXPECT_EQ(d->imdb_id, "tt0137523");
  EXPECT_EQ(d->collection_id, 99);
  EXPECT_EQ(d->collection_name, "Club Collection");
  EXPECT_EQ(d->keyword_ids, (std::vector<int>{825}));
  ASSERT_EQ(d->similar.size(), 1u);
  EXPECT_EQ(d->similar[0].genre_ids, (std::vector<int>{18}));
  ASSERT_EQ(d->recommendations.size(), 1u);  // the TV item is left out
  EXPECT_EQ(d->recommendations[0].tmdb_id, 2);
  ASSERT_TRUE(d->providers.contains("US"));
  ASSERT_FALSE(d->providers.at("US").empty());
  EXPECT_EQ(d->providers.at("US")[0].type, domain::Monetization::kFlatrate);
}

TEST(TmdbJson, DetailsOfAnObscureFilmWithEverythingMissing) {
  const auto d = parse_details(R"({"id":12,"title":"","original_title":"千と千尋の神隠し",
    "release_date":"","runtime":null,"imdb_id":null,"poster_path":null,"vote_average":0,
    "vote_count":0,"genres":[],"belongs_to_collection":null,"credits":{"cast":[],"crew":[]},
    "similar":{"page":1,"results":[],"total_pages":0,"total_results":0},
    "recommendations":{"page":1,"results":[],"total_pages":0,"total_results":0},
    "watch/providers":{"results":{}}})");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->summary.title, "千と千尋の神隠し");  // falls back to the original title
  EXPECT_EQ(d->summary.year(), std::nullopt);
  EXPECT_EQ(d->runtime, 0);
  EXPECT_TRUE(d->directors.empty());
  EXPECT_TRUE(d->imdb_id.empty());
  EXPECT_FALSE(d->collection_id.has_value());
  EXPECT_TRUE(d->similar.empty());
  EXPECT_TRUE(d->providers.empty());
}

TEST(TmdbJson, ErrorEnvelope) {
  const auto e = parse_error_body(
      R"({"status_code":7,"status_message":"Invalid API key: You must be granted a valid key.","success":false})");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->status_code, 7);
  EXPECT_EQ(e->status_message, "Invalid API key: You must be granted a valid key.");
  EXPECT_FALSE(parse_error_body("{\"id\":1}").has_value());
  EXPECT_FALSE(parse_error_body("gateway timeout").has_value());
}

TEST(MovieCodec, DetailsRoundTripExactly) {
  domain::MovieDetails d;
  d.summary = {42,      "Amélie",     "Le Fabuleux Destin d'Amélie Poulain",
               "fr",    "2001-04-25", {35, 10749},
               7.9,     12000,        33.25,
               "/a.jpg"};
  d.genres = {"Comedy", "Romance"};
  d.directors = {{123, "Jean-Pierre Jeunet"}};
  d.runtime = 122;
  d.imdb_id = "tt0211915";
  d.collection_id = 5;
  d.collection_name = "Set";
  d.keyword_ids = {1, 2, 3};
  d.similar = {{7, "S", "S", "en", "", {}, 0, 0, 0, ""}};
  d.recommendations = {{8, "R", "R", "en", "1990-01-01", {18}, 6.5, 10, 1.5, "/r.jpg"}};
  d.providers["FR"] = {{"Canal+", 381, domain::Monetization::kFlatrate},
                       {"Apple TV", 2, domain::Monetization::kRent}};
  const auto back = decode_details(encode_details(d));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, d);
  const auto s = decode_summary(encode_summary(d.summary));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, d.summary);
}

TEST(MovieCodec, ForeignOrCorruptEntriesAreMisses) {
  for (const char* text : {"", "-", "{}", "{\"v\":999,\"s\":{\"id\":1}}", "{\"v\":1}",
                           "{\"v\":1,\"s\":{\"id\":0}}", "not json"}) {
    EXPECT_FALSE(decode_details(text).has_value()) << text;
    EXPECT_FALSE(decode_summary(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace lbrec::sources::tmdb
