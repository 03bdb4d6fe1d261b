#include "pipeline/result_memo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "pipeline/recommend_job.hpp"

namespace lbrec::pipeline {

ResultMemo::ResultMemo(const core::Clock& clock, std::chrono::seconds ttl, std::size_t max_entries)
    : clock_(clock), ttl_(ttl), max_entries_(std::max<std::size_t>(1, max_entries)) {}

std::shared_ptr<const JobResult> ResultMemo::find(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  if (clock_.now() >= it->second->expires_at) {
    lru_.erase(it->second);
    index_.erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->result;
}

void ResultMemo::store(const std::string& key, std::shared_ptr<const JobResult> result) {
  std::lock_guard lock(mutex_);
  const auto expires = clock_.now() + ttl_;
  if (const auto it = index_.find(key); it != index_.end()) {
    it->second->result = std::move(result);
    it->second->expires_at = expires;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Entry{key, std::move(result), expires});
  index_.emplace(key, lru_.begin());
  while (lru_.size() > max_entries_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

std::size_t ResultMemo::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

std::string memo_key(const JobRequest& request, const domain::Profile& profile,
                     const JobSettings& settings, int count) {
  // The films are folded into one 64-bit digest; the fields a collision would have to match as
  // well (username, counts) stay readable in the key.
  std::size_t digest = 0;
  const auto mix = [&digest](std::size_t h) {
    digest ^= h + 0x9e3779b97f4a7c15ull + (digest << 6) + (digest >> 2);
  };
  const std::hash<std::string> text;
  const auto ref = [&](const domain::FilmRef& f) {
    mix(text(f.slug));
    mix(text(f.title));
    mix(text(f.lid));
    mix(static_cast<std::size_t>(f.year.value_or(-1)));
    mix(static_cast<std::size_t>(f.letterboxd_id.value_or(-1)));
    mix(static_cast<std::size_t>(f.tmdb_id.value_or(-1)));
    mix(f.is_tv);
  };
  for (const domain::WatchedFilm& w : profile.films) {
    ref(w.film);
    mix(static_cast<std::size_t>(w.rating.value_or(-1)));
    mix(w.liked);
    mix(w.rewatch);
    mix(text(w.watched_date.value_or("")));
  }
  mix(0x5eed);
  for (const domain::FilmRef& f : profile.watchlist)
    ref(f);
  return fmt::format("{}|{}|{}|{:016x}|{}|{}|{}|{}|{}|{}|{}", request.username,
                     profile.films.size(), profile.watchlist.size(), digest, request.country, count,
                     request.include_streaming, request.include_watchlist,
                     request.min_rating.value_or(settings.min_recommend_rating),
                     settings.similar_results_per_film, settings.default_count);
}

}  // namespace lbrec::pipeline
