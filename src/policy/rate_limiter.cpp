#include "policy/rate_limiter.h"

namespace pixmill::policy {

RateDecision RateLimiter::hit(const std::string& key, Clock::time_point now) {
  RateDecision d;
  d.limit = per_minute_;
  if (per_minute_ <= 0) {
    d.remaining = 0;
    return d;
  }
  const int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const int64_t minute = seconds / 60;
  std::lock_guard lock(mutex_);
  // Old windows are dropped once a minute so the map holds only current clients.
  if (minute != last_sweep_minute_) {
    for (auto it = windows_.begin(); it != windows_.end();) {
      it = it->second.start_minute < minute ? windows_.erase(it) : std::next(it);
    }
    last_sweep_minute_ = minute;
  }
  Window& w = windows_[key];
  if (w.start_minute != minute) w = Window{minute, 0};
  d.reset_epoch_s = (minute + 1) * 60;
  if (w.count >= per_minute_) {
    d.allowed = false;
    d.remaining = 0;
    d.retry_after_s = static_cast<int>(d.reset_epoch_s - seconds);
    if (d.retry_after_s < 1) d.retry_after_s = 1;
    return d;
  }
  ++w.count;
  d.remaining = per_minute_ - w.count;
  return d;
}

}  // namespace pixmill::policy
