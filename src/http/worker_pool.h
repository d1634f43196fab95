#pragma once
// A fixed pool of image workers behind a bounded queue that fails fast when full
// (as imgproxy's workers do): under overload the server answers 503 at once instead
// of piling up request bodies in memory.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pixmill::http {

class WorkerPool {
 public:
  // on_thread_exit runs on each worker thread as it ends (libvips frees its per-thread buffers).
  WorkerPool(int workers, int queue_max, std::function<void()> on_thread_exit = {});
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues the task, or returns false at once when the queue is full.
  bool try_submit(std::function<void()> task);
  void stop();  // finishes running tasks, drops queued ones

  int queued() const { return queued_.load(); }
  int busy() const { return busy_.load(); }
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  const size_t queue_max_;
  bool stopping_ = false;
  std::function<void()> on_thread_exit_;
  std::atomic<int> queued_{0};
  std::atomic<int> busy_{0};
};

}  // namespace pixmill::http
