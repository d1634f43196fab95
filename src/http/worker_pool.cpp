#include "http/worker_pool.h"

#include <algorithm>

namespace pixmill::http {

WorkerPool::WorkerPool(int workers, int queue_max, std::function<void()> on_thread_exit)
    : queue_max_(static_cast<size_t>(std::max(queue_max, 0))), on_thread_exit_(std::move(on_thread_exit)) {
  for (int i = 0; i < std::max(workers, 1); ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    // Waiting tasks beyond the idle workers count against the queue limit.
    const size_t idle = threads_.size() - static_cast<size_t>(busy_.load());
    if (tasks_.size() >= queue_max_ + idle) return false;
    tasks_.push_back(std::move(task));
    queued_ = static_cast<int>(tasks_.size());
  }
  ready_.notify_one();
  return true;
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    tasks_.clear();
  }
  ready_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerPool::run() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (stopping_) break;
      task = std::move(tasks_.front());
      tasks_.pop_front();
      queued_ = static_cast<int>(tasks_.size());
      ++busy_;
    }
    task();
    --busy_;
  }
  if (on_thread_exit_) on_thread_exit_();
}

}  // namespace pixmill::http
