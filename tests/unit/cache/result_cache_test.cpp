// The cache facade and the coalescing of identical misses.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "cache/result_cache.h"

namespace pixmill::cache {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<CachedResult> result(std::string body) {
  auto r = std::make_shared<CachedResult>();
  r->body = std::move(body);
  return r;
}

TEST(ResultCache, HitsMissesAndTtl) {
  int64_t now = 1000;
  ResultCache cache(CacheSettings{1 << 20, "", 0, 60}, [&] { return now; });
  EXPECT_FALSE(cache.lookup("k"));
  cache.store("k", result("v"));
  EXPECT_TRUE(cache.lookup("k"));
  now += 60;
  EXPECT_FALSE(cache.lookup("k"));
  const CacheStats s = cache.stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 2u);
  EXPECT_EQ(s.stores, 1u);
}

TEST(ResultCache, ADiskHitIsPromotedToMemory) {
  const auto dir = std::filesystem::temp_directory_path() / ("pixmill-rc-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    ResultCache first(CacheSettings{1 << 20, dir.string(), 1 << 20, 60});
    first.store("k", result("v"));
  }
  ResultCache second(CacheSettings{1 << 20, dir.string(), 1 << 20, 60});
  EXPECT_EQ(second.stats().memory_entries, 0u);
  ASSERT_TRUE(second.lookup("k"));
  EXPECT_EQ(second.stats().memory_entries, 1u);
  std::filesystem::remove_all(dir);
}

TEST(ResultCache, DisabledCacheStoresNothing) {
  ResultCache cache(CacheSettings{});
  EXPECT_FALSE(cache.enabled());
  cache.store("k", result("v"));
  EXPECT_FALSE(cache.lookup("k"));
}

TEST(Flights, SixtyFourIdenticalMissesShareOneProduction) {
  ResultCache cache(CacheSettings{1 << 20, "", 0, 60});
  std::atomic<int> productions{0};
  std::atomic<int> served{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&] {
      for (int attempt = 0; attempt < 8; ++attempt) {
        if (cache.lookup("k")) {
          ++served;
          return;
        }
        auto claim = cache.claim("k");
        if (claim.lease) {
          ++productions;
          std::this_thread::sleep_for(50ms);  // the fetch and the image work
          auto r = result("image");
          cache.store("k", r);
          claim.lease->publish(std::shared_ptr<const CachedResult>(r));
          ++served;
          return;
        }
        auto outcome = cache.wait("k", claim.flight, std::chrono::steady_clock::now() + 5s);
        if (outcome && std::holds_alternative<std::shared_ptr<const CachedResult>>(*outcome)) {
          ++served;
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(productions.load(), 1);
  EXPECT_EQ(served.load(), 64);
}

TEST(Flights, WaitersReceiveTheLeadersError) {
  Flights flights;
  auto leader = flights.claim("k");
  ASSERT_TRUE(leader.lease);
  auto waiter = flights.claim("k");
  ASSERT_FALSE(waiter.lease);
  // Published once the waiter waits (a flight that ended before wait() reads as Abandoned:
  // the caller then looks at the cache again).
  std::thread t([&] {
    std::this_thread::sleep_for(100ms);
    leader.lease->publish(make_error(ErrorCode::FetchFailed, "upstream answered 500"));
  });
  auto outcome = flights.wait("k", waiter.flight, std::chrono::steady_clock::now() + 5s);
  t.join();
  ASSERT_TRUE(outcome);
  ASSERT_TRUE(std::holds_alternative<Error>(*outcome));
  EXPECT_EQ(std::get<Error>(*outcome).code, ErrorCode::FetchFailed);
}

TEST(Flights, ALeaderThatDiesHandsTheLeadOn) {
  Flights flights;
  uint64_t waiting_on = 0;
  {
    auto leader = flights.claim("k");
    ASSERT_TRUE(leader.lease);
    auto waiter = flights.claim("k");
    waiting_on = waiter.flight;
    // The leader's request is destroyed before it published (its lease goes with it).
  }
  auto outcome = flights.wait("k", waiting_on, std::chrono::steady_clock::now() + 1s);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(std::holds_alternative<Abandoned>(*outcome));
  auto next = flights.claim("k");
  EXPECT_TRUE(next.lease);  // the next claimant leads
  EXPECT_EQ(flights.in_flight(), 1u);
}

TEST(Flights, AWaiterGivesUpAtItsDeadline) {
  Flights flights;
  auto leader = flights.claim("k");
  auto waiter = flights.claim("k");
  auto outcome = flights.wait("k", waiter.flight, std::chrono::steady_clock::now() + 20ms);
  EXPECT_FALSE(outcome);
}

}  // namespace
}  // namespace pixmill::cache
