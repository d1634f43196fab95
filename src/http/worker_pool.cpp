#include "http/worker_pool.h"

#include <algorithm>

namespace pixmill::http {
namespace {

thread_local bool t_task_abandoned = false;

}  // namespace

WorkerPool::WorkerPool(int workers, int queue_max, std::function<void()> on_thread_exit)
    : workers_(std::max(workers, 1)),
      queue_max_(static_cast<size_t>(std::max(queue_max, 0))),
      on_thread_exit_(std::move(on_thread_exit)) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < workers_; ++i) spawn();
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::spawn() {
  // Join threads that retired after repaying a loan, so handles do not pile up.
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (std::find(finished_.begin(), finished_.end(), it->get_id()) != finished_.end()) {
      it->join();
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
  finished_.clear();
  ++live_;
  threads_.emplace_back([this] { run(); });
}

bool WorkerPool::try_submit(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    // Waiting tasks beyond the idle workers count against the queue limit.
    const int idle = std::max(0, live_.load() - busy_.load());
    if (tasks_.size() >= queue_max_ + static_cast<size_t>(idle)) return false;
    tasks_.push_back(std::move(task));
    queued_ = static_cast<int>(tasks_.size());
  }
  ready_.notify_one();
  return true;
}

bool WorkerPool::compensate() {
  std::lock_guard lock(mutex_);
  if (stopping_ || loans_ >= workers_) return false;
  ++loans_;
  spawn();
  return true;
}

void WorkerPool::mark_current_abandoned() { t_task_abandoned = true; }

bool WorkerPool::stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  if (stopping_ && threads_.empty()) return busy_.load() == 0;  // already stopped
  if (!stopping_) {
    stopping_ = true;
    tasks_.clear();
    queued_ = 0;
  }
  ready_.notify_all();
  const bool all_done = idle_.wait_for(lock, grace, [this] { return busy_.load() == 0; });
  std::list<std::thread> threads = std::move(threads_);
  threads_.clear();
  lock.unlock();
  for (auto& t : threads) {
    if (!t.joinable()) continue;
    if (all_done) {
      t.join();
    } else {
      t.detach();  // still encoding past the grace period: leave it to process exit
    }
  }
  return all_done;
}

void WorkerPool::run() {
  while (true) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (stopping_) break;
      task = std::move(tasks_.front());
      tasks_.pop_front();
      queued_ = static_cast<int>(tasks_.size());
      ++busy_;
    }
    t_task_abandoned = false;
    Publish publish = task();
    bool retire = false;
    {
      std::lock_guard lock(mutex_);
      --busy_;
      if (t_task_abandoned && loans_ > 0) {
        // The loan made for this stuck task is repaid by retiring this thread.
        --loans_;
        retire = true;
        finished_.push_back(std::this_thread::get_id());
      }
    }
    idle_.notify_all();
    if (publish) publish();
    if (retire) break;
  }
  --live_;
  if (on_thread_exit_) on_thread_exit_();
}

}  // namespace pixmill::http
