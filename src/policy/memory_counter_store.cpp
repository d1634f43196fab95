#include "policy/memory_counter_store.h"

#include "policy/windows.h"

namespace pixmill::policy {

MemoryCounterStore::MemoryCounterStore(std::function<int64_t()> now_s) : now_s_(std::move(now_s)) {}

int64_t MemoryCounterStore::now() const { return now_s_ ? now_s_() : epoch_seconds(Clock::now()); }

void MemoryCounterStore::sweep(int64_t now_s) {
  // At most every ten seconds, so the map holds only live windows without a scan per request.
  if (now_s - last_sweep_s_ < 10) return;
  last_sweep_s_ = now_s;
  for (auto it = counters_.begin(); it != counters_.end();) {
    it = it->second.expires_s <= now_s ? counters_.erase(it) : std::next(it);
  }
}

Result<CounterOutcome> MemoryCounterStore::consume(const std::vector<CounterCheck>& checks) {
  const int64_t now_s = now();
  std::lock_guard lock(mutex_);
  sweep(now_s);
  CounterOutcome out;
  out.values.reserve(checks.size());
  for (size_t i = 0; i < checks.size(); ++i) {
    auto it = counters_.find(checks[i].key);
    const int64_t value = it != counters_.end() && it->second.expires_s > now_s ? it->second.value : 0;
    out.values.push_back(value);
    if (out.refused < 0 && value + checks[i].amount > checks[i].limit) out.refused = static_cast<int>(i);
  }
  if (out.refused >= 0) return out;
  for (size_t i = 0; i < checks.size(); ++i) {
    Counter& c = counters_[checks[i].key];
    if (c.expires_s <= now_s) c = Counter{0, now_s + checks[i].ttl_s};
    c.value += checks[i].amount;
    out.values[i] = c.value;
  }
  out.allowed = true;
  return out;
}

Result<int64_t> MemoryCounterStore::peek(const std::string& key) {
  const int64_t now_s = now();
  std::lock_guard lock(mutex_);
  auto it = counters_.find(key);
  return it != counters_.end() && it->second.expires_s > now_s ? it->second.value : int64_t{0};
}

size_t MemoryCounterStore::size() {
  std::lock_guard lock(mutex_);
  return counters_.size();
}

}  // namespace pixmill::policy
