#pragma once
// A fixed pool of image workers behind a bounded queue that fails fast when full
// (as imgproxy's workers do): under overload the server answers 503 at once instead
// of piling up request bodies in memory.
//
// A task may outlive its request (an AVIF encode cannot be interrupted once libheif
// has it). When a request gives up on its task, compensate() lends the pool one more
// thread until that task ends, so the stuck work never shrinks capacity; the loans
// are bounded so a flood of stuck work cannot grow threads without limit.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace pixmill::http {

class WorkerPool {
 public:
  // Work runs on a worker and returns what to publish; the pool marks the worker idle
  // before publishing, so a client that answers immediately finds a free worker.
  using Publish = std::function<void()>;
  using Task = std::function<Publish()>;

  // on_thread_exit runs on each worker thread as it ends (libvips frees its per-thread buffers).
  WorkerPool(int workers, int queue_max, std::function<void()> on_thread_exit = {});
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues the task, or returns false at once when the queue is full.
  bool try_submit(Task task);

  // Called when a running task has been given up (timed out): adds a temporary worker
  // that retires when some task marked abandoned finishes. Returns false at the bound.
  bool compensate();
  // Marks the task running on this thread as given up (call from inside the task).
  static void mark_current_abandoned();

  // Drops queued tasks and waits up to `grace` for running ones; threads still busy
  // after that are detached (the process is about to exit). True if all joined.
  bool stop(std::chrono::milliseconds grace = std::chrono::hours(24));

  int queued() const { return queued_.load(); }
  int busy() const { return busy_.load(); }
  int size() const { return workers_; }

 private:
  void spawn();
  void run();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable idle_;
  std::deque<Task> tasks_;
  std::list<std::thread> threads_;
  std::vector<std::thread::id> finished_;  // retired threads, joined at the next spawn
  const int workers_;
  const size_t queue_max_;
  bool stopping_ = false;
  int loans_ = 0;     // temporary threads lent by compensate()
  std::function<void()> on_thread_exit_;
  std::atomic<int> queued_{0};
  std::atomic<int> busy_{0};
  std::atomic<int> live_{0};
};

}  // namespace pixmill::http
