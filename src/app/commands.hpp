#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lbrec::app {

// Exit codes: 0 success, 1 runtime or configuration failure, 2 usage error or a command that is
// not available in this build yet.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct RecommendArgs {
  std::string username;
  std::string export_zip;  // read the profile from this export instead of Letterboxd
  std::string country = "CL";
  int count = 0;           // 0: the default list length
  double min_rating = -1;  // < 0: MIN_RECOMMEND_RATING
  bool include_watchlist = false;
  bool no_streaming = false;
  bool json = false;
  bool csv = false;
};

struct FakeworldArgs {
  std::string host = "127.0.0.1";
  int port = 8090;
  std::uint64_t seed = 42;
  int films = 5000;
  int users = 200;
  std::string markup = "current";
  std::vector<std::string> faults;
  std::string export_user;  // write this member's export ZIP instead of serving
  std::string out;          // where to write it
  bool nested = false;
};

struct ProfileArgs {
  std::string username;  // read live from Letterboxd ...
  std::string zip;       // ... or from an account export ZIP
  bool json = false;
};

int run_serve();
int run_profile(const ProfileArgs& args);
int run_recommend(const RecommendArgs& args);
int run_demo();
int run_fakeworld(const FakeworldArgs& args);
int run_config();

}  // namespace lbrec::app
