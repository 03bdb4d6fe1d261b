#pragma once

// Command-line options of the bench programs: `--name value` pairs, read into variables that
// already hold the defaults. Unknown names and unparsable values leave the default.

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

namespace lbrec::bench {

class Flags {
 public:
  Flags(int argc, char** argv) : argc_(argc), argv_(argv) {}

  void read(std::string_view name, std::string& out) const {
    if (const char* v = value(name)) out = v;
  }
  void read(std::string_view name, int& out, int min) const {
    if (const char* v = value(name)) out = std::max(min, std::atoi(v));
  }
  void read(std::string_view name, double& out, double min) const {
    if (const char* v = value(name)) out = std::max(min, std::atof(v));
  }

 private:
  // The value after the last `name`, or null.
  const char* value(std::string_view name) const {
    const char* found = nullptr;
    for (int i = 1; i + 1 < argc_; i += 2) {
      if (name == argv_[i]) found = argv_[i + 1];
    }
    return found;
  }

  int argc_;
  char** argv_;
};

}  // namespace lbrec::bench
