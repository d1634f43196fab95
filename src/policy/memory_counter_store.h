#pragma once
// The embedded counter store: one mutex-guarded map in process memory, for a single
// replica (the default when REDIS_URL is unset). Expired counters are swept as time passes.

#include <functional>
#include <mutex>
#include <unordered_map>

#include "policy/counter_store.h"

namespace pixmill::policy {

class MemoryCounterStore final : public CounterStore {
 public:
  // `now_s` is injectable so tests can walk across window edges.
  explicit MemoryCounterStore(std::function<int64_t()> now_s = {});
  Result<CounterOutcome> consume(const std::vector<CounterCheck>& checks) override;
  Result<int64_t> peek(const std::string& key) override;
  size_t size();

 private:
  struct Counter {
    int64_t value = 0;
    int64_t expires_s = 0;
  };
  int64_t now() const;
  void sweep(int64_t now_s);
  std::function<int64_t()> now_s_;
  std::mutex mutex_;
  std::unordered_map<std::string, Counter> counters_;
  int64_t last_sweep_s_ = 0;
};

}  // namespace pixmill::policy
