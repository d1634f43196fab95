#include <gtest/gtest.h>

#include <chrono>

#include "policy/redis_counter_store.h"

namespace pixmill::policy {
namespace {

// A Redis that is not there: the answer is an error, quickly, and then at once while the
// store backs off (no connection attempt per request).
TEST(RedisCounterStore, UnreachableRedisFailsFastThenBacksOff) {
  RedisCounterStore store(RedisEndpoint{"127.0.0.1", 1, "", 0}, std::chrono::milliseconds(100));
  auto start = std::chrono::steady_clock::now();
  auto first = store.consume({{"k", 1, 10, 60}});
  EXPECT_FALSE(first);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
  auto second = store.consume({{"k", 1, 10, 60}});
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("backing off"), std::string::npos) << second.error().message;
  EXPECT_FALSE(store.peek("k"));
}

TEST(RedisCounterStore, NothingToCheckNeedsNoRedis) {
  RedisCounterStore store(RedisEndpoint{"127.0.0.1", 1, "", 0}, std::chrono::milliseconds(100));
  auto r = store.consume({});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->allowed);
}

}  // namespace
}  // namespace pixmill::policy
