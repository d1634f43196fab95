#include <gtest/gtest.h>

#include "policy/redis_url.h"

namespace pixmill::policy {
namespace {

TEST(RedisUrl, Forms) {
  auto plain = parse_redis_url("redis://cache.internal");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "cache.internal");
  EXPECT_EQ(plain->port, 6379);
  auto full = parse_redis_url("redis://user:s3cret@10.0.0.5:6380/2");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->host, "10.0.0.5");
  EXPECT_EQ(full->port, 6380);
  EXPECT_EQ(full->password, "s3cret");
  EXPECT_EQ(full->db, 2);
  auto v6 = parse_redis_url("redis://[::1]:7000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 7000);
  EXPECT_FALSE(parse_redis_url("http://x"));
  EXPECT_FALSE(parse_redis_url("redis://x:99999"));
  EXPECT_FALSE(parse_redis_url("redis://:6379"));
  EXPECT_FALSE(parse_redis_url("redis://x/abc"));
}

TEST(RedisUrl, PasswordMayCarryReservedCharactersEscaped) {
  auto url = parse_redis_url("redis://:p%40ss%3Aword@cache:6380/0");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->password, "p@ss:word");
  EXPECT_EQ(url->host, "cache");
  EXPECT_EQ(url->db, 0);
}

}  // namespace
}  // namespace pixmill::policy
