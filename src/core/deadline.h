#pragma once
// A request's time budget and cancellation, checked between steps and (through the
// libvips eval signal, pipeline/deadline.h) while pixels are computed: an expired
// request frees its worker instead of finishing work nobody will read.

#include <atomic>
#include <chrono>

namespace pixmill::core {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;
  Deadline() = default;  // never expires
  explicit Deadline(Clock::time_point at, const std::atomic<bool>* cancelled = nullptr)
      : at_(at), bounded_(true), cancelled_(cancelled) {}
  static Deadline after(std::chrono::milliseconds budget, const std::atomic<bool>* cancelled = nullptr) {
    return Deadline(Clock::now() + budget, cancelled);
  }
  const std::atomic<bool>* cancel_flag() const { return cancelled_; }
  // Time left; Clock::duration::max() when unbounded.
  Clock::duration remaining() const { return bounded_ ? at_ - Clock::now() : Clock::duration::max(); }
  bool expired() const {
    return (cancelled_ && cancelled_->load(std::memory_order_relaxed)) || (bounded_ && Clock::now() >= at_);
  }

 private:
  Clock::time_point at_{};
  bool bounded_ = false;
  const std::atomic<bool>* cancelled_ = nullptr;
};

}  // namespace pixmill::core
