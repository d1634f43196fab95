#pragma once
// Counters in Redis, shared by every replica. Each consume() is one EVAL of a Lua
// script (atomic on the server: check all counters, then INCRBY + EXPIRE them, or touch
// none), so the limit holds exactly across replicas under concurrent load.
//
// Calls are blocking (hiredis' synchronous API) and therefore run on the fetch pool,
// never on an I/O thread. Connect and command timeouts are tight (REDIS_TIMEOUT_MS); after
// a failed connect the store answers errors at once for a one-second back-off instead of
// reconnecting on every request, so a dead Redis costs microseconds, not a timeout each.

#include <chrono>
#include <mutex>
#include <vector>

#include "policy/counter_store.h"
#include "policy/redis_url.h"

struct redisContext;

namespace pixmill::policy {

class RedisCounterStore final : public CounterStore {
 public:
  RedisCounterStore(RedisEndpoint endpoint, std::chrono::milliseconds timeout, std::string key_prefix = "pixmill:");
  ~RedisCounterStore() override;
  RedisCounterStore(const RedisCounterStore&) = delete;
  RedisCounterStore& operator=(const RedisCounterStore&) = delete;

  Result<CounterOutcome> consume(const std::vector<CounterCheck>& checks) override;
  Result<int64_t> peek(const std::string& key) override;

 private:
  using SteadyClock = std::chrono::steady_clock;
  // A pooled connection, or nullptr (with the reason) when Redis is down or backing off.
  redisContext* acquire(std::string& why);
  void release(redisContext* c, bool healthy);
  redisContext* connect(std::string& why);

  const RedisEndpoint endpoint_;
  const std::chrono::milliseconds timeout_;
  const std::string prefix_;
  std::mutex mutex_;
  std::vector<redisContext*> idle_;
  SteadyClock::time_point down_until_{};
};

}  // namespace pixmill::policy
