#include <gtest/gtest.h>

#include <set>

#include "core/digest.h"
#include "policy/key_store.h"

namespace pixmill::policy {
namespace {

std::string json_keys(const std::string& plan_for_key, const std::string& hash) {
  return R"({"plans": {"team": {"cpu_per_minute": 300, "ai_per_minute": 20, "images_per_month": 5000, "max_upload_mb": 50},
             "pro": {"ai_per_minute": 99}},
  "keys": [{"name": "acme", "plan": ")" + plan_for_key + R"(", "sha256": ")" + hash + R"("}]})";
}

TEST(KeyStore, FindsAKeyByItsHashAndItsPlan) {
  const std::string key = "pm_secret-one";
  auto store = KeyStore::parse(json_keys("team", core::sha256_hex(key)), false);
  ASSERT_TRUE(store) << store.error().message;
  const ApiKey* found = store->find(key);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->name, "acme");
  const Plan* plan = store->plan(found->plan);
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->cpu_per_minute, 300);
  EXPECT_EQ(plan->ai_per_minute, 20);
  EXPECT_EQ(plan->images_per_month, 5000);
  EXPECT_EQ(plan->max_upload_mb, 50u);
  EXPECT_EQ(store->find("pm_secret-onf"), nullptr);
  EXPECT_EQ(store->find(""), nullptr);
  // The stored hash is not itself a key.
  EXPECT_EQ(store->find(core::sha256_hex(key)), nullptr);
}

TEST(KeyStore, AFileMayAdjustABuiltInPlan) {
  auto store = KeyStore::parse(json_keys("pro", core::sha256_hex("k")), false);
  ASSERT_TRUE(store);
  const Plan* pro = store->plan("pro");
  EXPECT_EQ(pro->ai_per_minute, 99);
  EXPECT_EQ(pro->cpu_per_minute, builtin_plans()["pro"].cpu_per_minute);  // untouched fields keep their values
}

TEST(KeyStore, TomlSyntax) {
  const std::string toml = "[plans.team]\ncpu_per_minute = 7\nimages_per_month = 9\n\n[[keys]]\nname = \"acme\"\nplan = \"team\"\nsha256 = \"" +
                           core::sha256_hex("tkey") + "\"\n";
  auto store = KeyStore::parse(toml, true);
  ASSERT_TRUE(store) << store.error().message;
  const ApiKey* found = store->find("tkey");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(store->plan(found->plan)->cpu_per_minute, 7);
  EXPECT_FALSE(KeyStore::parse("[[keys]\nname=", true));
}

TEST(KeyStore, RefusesBadFilesNamingTheProblem) {
  EXPECT_FALSE(KeyStore::parse("not json", false));
  EXPECT_FALSE(KeyStore::parse(R"({"keys": {}})", false));
  auto unknown_plan = KeyStore::parse(json_keys("gold", core::sha256_hex("k")), false);
  ASSERT_FALSE(unknown_plan);
  EXPECT_NE(unknown_plan.error().message.find("gold"), std::string::npos);
  auto plaintext = KeyStore::parse(json_keys("team", "pm_plaintext_key"), false);
  ASSERT_FALSE(plaintext);
  EXPECT_NE(plaintext.error().message.find("sha256"), std::string::npos);
  EXPECT_FALSE(KeyStore::parse(R"({"plans": {"x": {"cpu_per_minute": -1}}, "keys": []})", false));
  EXPECT_FALSE(KeyStore::parse(R"({"plans": {"x": {"cpu_per_hour": 1}}, "keys": []})", false));
}

TEST(KeyStore, PresentedKeyHeaders) {
  http::Request r;
  r.headers = {{"authorization", "Bearer  pm_abc "}};
  EXPECT_EQ(presented_key(r), "pm_abc");
  r.headers = {{"authorization", "bearer pm_abc"}};
  EXPECT_EQ(presented_key(r), "pm_abc");
  r.headers = {{"x-api-key", "k2"}};
  EXPECT_EQ(presented_key(r), "k2");
  r.headers = {{"x-rapidapi-key", "k3"}};
  EXPECT_EQ(presented_key(r), "k3");
  r.headers = {{"authorization", "Basic dXNlcjpwYXNz"}};
  EXPECT_EQ(presented_key(r), "");
}

TEST(KeyStore, GeneratedKeysAreLongRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string key = generate_api_key();
    EXPECT_EQ(key.size(), 3u + 43u);
    EXPECT_EQ(key.rfind("pm_", 0), 0u);
    EXPECT_EQ(key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 3), std::string::npos);
    EXPECT_TRUE(seen.insert(key).second);
  }
}

}  // namespace
}  // namespace pixmill::policy
