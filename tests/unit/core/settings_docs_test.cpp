// The README's configuration table must list every setting the service reads, so the documented
// surface cannot drift from the code.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/config.hpp"

namespace lbrec::core {
namespace {

TEST(SettingsDocs, ReadmeTableListsEverySetting) {
  std::ifstream file(std::string(LBREC_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(file) << "README.md not found";
  std::stringstream text;
  text << file.rdbuf();
  for (const Setting& s : settings()) {
    EXPECT_NE(text.str().find("| `" + std::string(s.name) + "`"), std::string::npos)
        << s.name << " is missing from the README's configuration table";
  }
}

}  // namespace
}  // namespace lbrec::core
