#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <thread>

namespace pixmill::http {
namespace {

using namespace std::chrono_literals;

// A task that holds its worker until release(); `after` runs on the worker once the
// gate opens (before the task returns).
class HeldTask {
 public:
  bool submit(WorkerPool& pool, std::function<void()> after = {}) {
    return pool.try_submit([gate = gate_, started = started_, after = std::move(after)]() -> WorkerPool::Publish {
      started->set_value();
      gate.wait();
      if (after) after();
      return {};
    });
  }
  void wait_until_running() { running_.wait(); }
  void release() { release_.set_value(); }

 private:
  std::promise<void> release_;
  std::shared_future<void> gate_ = release_.get_future().share();
  std::shared_ptr<std::promise<void>> started_ = std::make_shared<std::promise<void>>();
  std::future<void> running_ = started_->get_future();
};

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
  HeldTask held;
  ASSERT_TRUE(held.submit(pool));
  held.wait_until_running();  // the worker is busy
  ASSERT_TRUE(pool.try_submit([]() -> WorkerPool::Publish { return {}; }));   // one queued
  EXPECT_FALSE(pool.try_submit([]() -> WorkerPool::Publish { return {}; }));  // the queue holds one
  EXPECT_EQ(pool.queued(), 1);
  held.release();
  EXPECT_TRUE(pool.stop(5s));
}

TEST(WorkerPool, CompensationLendsAThreadWhileAbandonedWorkRuns) {
  WorkerPool pool(1, 4);
  // The stuck task: its request gave up on it (a timeout), so it marks itself abandoned.
  HeldTask stuck;
  ASSERT_TRUE(stuck.submit(pool, [] { WorkerPool::mark_current_abandoned(); }));
  stuck.wait_until_running();
  ASSERT_TRUE(pool.compensate());
  // With the only worker stuck, the lent thread runs the next task.
  std::promise<void> ran;
  ASSERT_TRUE(pool.try_submit([&ran]() -> WorkerPool::Publish {
    ran.set_value();
    return {};
  }));
  EXPECT_EQ(ran.get_future().wait_for(10s), std::future_status::ready);
  stuck.release();
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
  std::atomic<int> ran{0};
  HeldTask held;
  ASSERT_TRUE(held.submit(pool, [&ran] { ++ran; }));
  held.wait_until_running();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.try_submit([&ran]() -> WorkerPool::Publish {
    ++ran;
    return {};
  }));
  std::thread releaser([&held] {
    std::this_thread::sleep_for(50ms);
    held.release();
  });
  EXPECT_TRUE(pool.stop(5s));
  releaser.join();
  EXPECT_EQ(ran.load(), 1);  // the running task finished; the queued ones were dropped
}

}  // namespace
}  // namespace pixmill::http
