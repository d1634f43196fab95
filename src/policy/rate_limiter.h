#pragma once
// The embedded default limiter: a fixed one-minute window per client key, in process
// memory (Feather's behaviour). Keys are client IPs until API keys arrive.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pixmill::policy {

struct RateDecision {
  bool allowed = true;
  int limit = 0;
  int remaining = 0;
  int64_t reset_epoch_s = 0;  // when the window ends (X-RateLimit-Reset)
  int retry_after_s = 0;      // for 429
};

class RateLimiter {
 public:
  using Clock = std::chrono::system_clock;
  explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}
  bool enabled() const { return per_minute_ > 0; }

  // Counts one request for `key` at `now` and says whether it may proceed.
  RateDecision hit(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Window {
    int64_t start_minute = 0;
    int count = 0;
  };
  const int per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  int64_t last_sweep_minute_ = 0;
};

}  // namespace pixmill::policy
