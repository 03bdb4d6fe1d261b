#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "domain/profile.hpp"
#include "pipeline/job.hpp"

namespace lbrec::pipeline {

struct JobSettings;

// Finished results by everything that decides them: the profile's content and the request. The
// final ranking does not depend on timing, so asking the same question of the same films again
// gets the same answer; the memo gives it back at once instead of ranking again (the "second run
// is instant" path, and what makes a cached profile's sync request cheap). Entries live `ttl`
// (well inside the TMDB and streaming caches' lifetimes) and at most `max_entries` are kept,
// least recently used dropped first. Thread-safe.
class ResultMemo {
 public:
  explicit ResultMemo(const core::Clock& clock, std::chrono::seconds ttl = std::chrono::hours(1),
                      std::size_t max_entries = 512);

  std::shared_ptr<const JobResult> find(const std::string& key);
  void store(const std::string& key, std::shared_ptr<const JobResult> result);
  std::size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const JobResult> result;
    core::Clock::Steady::time_point expires_at;
  };

  const core::Clock& clock_;
  const std::chrono::seconds ttl_;
  const std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

// The memo key of a job: username, every film with its rating, like and dates, the watchlist,
// and every request field and setting that changes the ranking or the payload.
std::string memo_key(const JobRequest& request, const domain::Profile& profile,
                     const JobSettings& settings, int count);

}  // namespace lbrec::pipeline
