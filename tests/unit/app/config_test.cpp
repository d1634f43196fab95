#include "app/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pixmill::app {
namespace {

// Sets variables for one test and restores the environment afterwards.
class ScopedEnv {
 public:
  void set(const std::string& name, const std::string& value) {
    const char* old = std::getenv(name.c_str());
    saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(Config, EveryVariableIsNamedOnceAndDocumented) {
  std::set<std::string> names;
  for (const auto& var : config_vars()) {
    EXPECT_TRUE(names.insert(var.name).second) << var.name << " listed twice";
    EXPECT_FALSE(var.doc.empty()) << var.name;
  }
  for (const char* seed : {"PORT", "MAX_UPLOAD_MB", "MAX_PIXELS", "REQUEST_TIMEOUT_MS", "RATE_LIMIT_PER_MINUTE", "CORS_ORIGINS",
                           "AI_RATE_LIMIT_PER_MINUTE", "TRUST_PROXY", "REDIS_URL"}) {
    EXPECT_TRUE(names.count(seed)) << seed;
  }
}

TEST(Config, ReadsTheEnvironment) {
  ScopedEnv env;
  env.set("PORT", "8081");
  env.set("MAX_UPLOAD_MB", "7");
  auto config = load_config_from_env();
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->port, 8081);
  EXPECT_EQ(config->max_upload_mb, 7u);
}

TEST(Config, OutOfRangeValuesNameTheVariable) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{{"PORT", "70000"}, {"MAX_UPLOAD_MB", "0"}, {"PORT", "eighty"}}) {
    ScopedEnv env;
    env.set(name, value);
    auto config = load_config_from_env();
    ASSERT_FALSE(config) << name << "=" << value;
    EXPECT_NE(config.error().message.find(name), std::string::npos) << config.error().message;
  }
}

TEST(Config, EmptyMeansTheDefault) {
  ScopedEnv env;
  env.set("PORT", "");
  auto config = load_config_from_env();
  ASSERT_TRUE(config);
  EXPECT_EQ(config->port, 3000);
}

}  // namespace
}  // namespace pixmill::app
