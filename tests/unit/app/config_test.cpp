#include "app/config.h"
#include "app/model_choice.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <utility>
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

// The loaded configuration and the model it chooses, with these variables set.
std::pair<Config, ModelChoice> model_with(std::initializer_list<std::pair<std::string, std::string>> vars) {
  ScopedEnv env;
  for (const auto& [name, value] : vars) env.set(name, value);
  auto config = load_config_from_env();
  EXPECT_TRUE(config.ok());
  if (!config.ok()) return {};
  return {*config, choose_model(*config)};
}

// MODEL_PATH alone runs that file; MODEL beside it names the model, whose file is looked up
// in MODEL_PATH's folder (the Docker image sets MODEL_PATH to the ISNet file).
TEST(Config, ModelNameBesideModelPathTakesItsFileFromThatFolder) {
  const auto [path_config, custom] = model_with({{"MODEL_PATH", "/opt/models/isnet-medium-fp32.onnx"}});
  EXPECT_EQ(custom.name, "custom");
  EXPECT_EQ(custom.spec.path, "/opt/models/isnet-medium-fp32.onnx");

  const auto [both_config, named] = model_with({{"MODEL_PATH", "/opt/models/isnet-medium-fp32.onnx"}, {"MODEL", "u2netp"}});
  EXPECT_EQ(named.name, "u2netp");
  EXPECT_EQ(named.spec.path, "/opt/models/u2netp.onnx");
  EXPECT_EQ(named.spec.input_size, 320);
  EXPECT_EQ(both_config.model_path, "/opt/models/isnet-medium-fp32.onnx");  // still what /api/model serves

  const auto [name_config, installed] = model_with({{"MODEL", "u2netp"}});
  EXPECT_EQ(installed.spec.path.substr(0, 6), "models");  // the installed one
}

}  // namespace
}  // namespace pixmill::app
