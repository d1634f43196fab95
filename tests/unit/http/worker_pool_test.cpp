#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

namespace pixmill::http {
namespace {

using namespace std::chrono_literals;

TEST(WorkerPool, RunsTasksAndPublishesTheirResults) {
  WorkerPool pool(2, 8);
  std::promise<int> published;
  ASSERT_TRUE(pool.try_submit([&published]() -> WorkerPool::Publish {
    const int value = 6 * 7;
    return [&published, value] { published.set_value(value); };
  }));
  auto result = published.get_future();
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(result.get(), 42);
  EXPECT_TRUE(pool.stop(5s));
}

TEST(WorkerPool, AFullQueueRefusesAtOnce) {
  WorkerPool pool(1, 1);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool.try_submit([gate, &started]() -> WorkerPool::Publish {
    started.set_value();
    gate.wait();
    return {};
  }));
  started.get_future().wait();  // the worker is busy
  ASSERT_TRUE(pool.try_submit([]() -> WorkerPool::Publish { return {}; }));   // one queued
  EXPECT_FALSE(pool.try_submit([]() -> WorkerPool::Publish { return {}; }));  // the queue holds one
  EXPECT_EQ(pool.queued(), 1);
  release.set_value();
  EXPECT_TRUE(pool.stop(5s));
}

TEST(WorkerPool, CompensationLendsAThreadWhileAbandonedWorkRuns) {
  WorkerPool pool(1, 4);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  // The stuck task: its request gave up on it (a timeout), so it marks itself abandoned.
  ASSERT_TRUE(pool.try_submit([gate, &started]() -> WorkerPool::Publish {
    started.set_value();
    gate.wait();
    WorkerPool::mark_current_abandoned();
    return {};
  }));
  started.get_future().wait();
  ASSERT_TRUE(pool.compensate());
  // With the only worker stuck, the lent thread runs the next task.
  std::promise<void> ran;
  ASSERT_TRUE(pool.try_submit([&ran]() -> WorkerPool::Publish {
    ran.set_value();
    return {};
  }));
  EXPECT_EQ(ran.get_future().wait_for(10s), std::future_status::ready);
  release.set_value();
  EXPECT_TRUE(pool.stop(5s));
}

TEST(WorkerPool, CompensationIsBounded) {
  WorkerPool pool(1, 4);
  int lent = 0;
  while (pool.compensate() && lent < 10000) ++lent;
  EXPECT_EQ(lent, 1);  // one loan per worker: a flood of stuck work cannot grow threads without limit
  EXPECT_TRUE(pool.stop(5s));
}

TEST(WorkerPool, StopDropsQueuedTasks) {
  WorkerPool pool(1, 8);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.try_submit([gate, &started, &ran]() -> WorkerPool::Publish {
    started.set_value();
    gate.wait();
    ++ran;
    return {};
  }));
  started.get_future().wait();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.try_submit([&ran]() -> WorkerPool::Publish {
    ++ran;
    return {};
  }));
  std::thread releaser([&release] {
    std::this_thread::sleep_for(50ms);
    release.set_value();
  });
  EXPECT_TRUE(pool.stop(5s));
  releaser.join();
  EXPECT_EQ(ran.load(), 1);  // the running task finished; the queued ones were dropped
}

}  // namespace
}  // namespace pixmill::http
