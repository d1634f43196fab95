#include <gtest/gtest.h>

#include "policy/memory_counter_store.h"

namespace pixmill::policy {
namespace {

struct FakeClock {
  int64_t now = 6000;
  std::function<int64_t()> fn() {
    return [this] { return now; };
  }
};

TEST(MemoryCounterStore, AllowsUpToTheLimitThenRefusesWithoutCounting) {
  FakeClock clock;
  MemoryCounterStore store(clock.fn());
  for (int i = 1; i <= 3; ++i) {
    auto r = store.consume({{"a", 1, 3, 60}});
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->allowed);
    EXPECT_EQ(r->values[0], i);
  }
  auto refused = store.consume({{"a", 1, 3, 60}});
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->refused, 0);
  EXPECT_EQ(*store.peek("a"), 3);
}

TEST(MemoryCounterStore, AllOrNothingAcrossCounters) {
  FakeClock clock;
  MemoryCounterStore store(clock.fn());
  ASSERT_TRUE(store.consume({{"quota", 2, 2, 3600}})->allowed);
  // The minute window has room, the quota does not: neither moves.
  auto r = store.consume({{"minute", 1, 10, 60}, {"quota", 1, 2, 3600}});
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->allowed);
  EXPECT_EQ(r->refused, 1);
  EXPECT_EQ(*store.peek("minute"), 0);
  EXPECT_EQ(*store.peek("quota"), 2);
}

TEST(MemoryCounterStore, CountersExpireAfterTheirTtl) {
  FakeClock clock;
  MemoryCounterStore store(clock.fn());
  ASSERT_TRUE(store.consume({{"k", 1, 1, 60}})->allowed);
  EXPECT_FALSE(store.consume({{"k", 1, 1, 60}})->allowed);
  clock.now += 59;
  EXPECT_FALSE(store.consume({{"k", 1, 1, 60}})->allowed);
  clock.now += 1;
  EXPECT_TRUE(store.consume({{"k", 1, 1, 60}})->allowed);
  clock.now += 600;
  (void)store.consume({{"other", 1, 5, 60}});  // a later call sweeps the dead counter
  EXPECT_EQ(store.size(), 1u);
}

TEST(MemoryCounterStore, AmountsLargerThanOne) {
  FakeClock clock;
  MemoryCounterStore store(clock.fn());
  EXPECT_TRUE(store.consume({{"images", 3, 5, 60}})->allowed);
  EXPECT_FALSE(store.consume({{"images", 3, 5, 60}})->allowed);
  EXPECT_TRUE(store.consume({{"images", 2, 5, 60}})->allowed);
  EXPECT_EQ(*store.peek("images"), 5);
}

}  // namespace
}  // namespace pixmill::policy
