// The memory tier: least-recently-used by bytes, with a TTL.

#include <gtest/gtest.h>

#include "cache/memory_lru.h"

namespace pixmill::cache {
namespace {

std::shared_ptr<const CachedResult> entry(size_t bytes, int64_t expires_s = 1000) {
  auto e = std::make_shared<CachedResult>();
  e->body.assign(bytes, 'x');
  e->expires_s = expires_s;
  return e;
}

TEST(MemoryLru, EvictsTheLeastRecentlyUsedByBytes) {
  const uint64_t one = entry(1000)->footprint(1);
  MemoryLru lru(one * 3);
  lru.put("a", entry(1000));
  lru.put("b", entry(1000));
  lru.put("c", entry(1000));
  ASSERT_TRUE(lru.get("a", 0));  // a is now the most recent; b the coldest
  EXPECT_EQ(lru.put("d", entry(1000)), 1u);
  EXPECT_FALSE(lru.get("b", 0));
  EXPECT_TRUE(lru.get("a", 0));
  EXPECT_TRUE(lru.get("c", 0));
  EXPECT_TRUE(lru.get("d", 0));
  EXPECT_LE(lru.bytes(), lru.capacity());
}

TEST(MemoryLru, ABigEntryEvictsSeveralSmallOnesAndATooBigOneIsNotKept) {
  const uint64_t small = entry(100)->footprint(1);
  MemoryLru lru(small * 4);
  for (const char* k : {"a", "b", "c", "d"}) lru.put(k, entry(100));
  EXPECT_EQ(lru.put("big", entry(200)), 2u);
  EXPECT_EQ(lru.put("huge", entry(100000)), 0u);
  EXPECT_FALSE(lru.get("huge", 0));
  EXPECT_TRUE(lru.get("big", 0));
}

TEST(MemoryLru, ExpiredEntriesAreMissesAndLeave) {
  MemoryLru lru(1 << 20);
  lru.put("k", entry(10, 100));
  EXPECT_TRUE(lru.get("k", 99));
  EXPECT_FALSE(lru.get("k", 100));
  EXPECT_EQ(lru.entries(), 0u);
  EXPECT_EQ(lru.bytes(), 0u);
}

TEST(MemoryLru, ReplacingAKeyKeepsTheAccountExact) {
  MemoryLru lru(1 << 20);
  lru.put("k", entry(10));
  lru.put("k", entry(500));
  EXPECT_EQ(lru.entries(), 1u);
  EXPECT_EQ(lru.bytes(), entry(500)->footprint(1));
}

}  // namespace
}  // namespace pixmill::cache
