#pragma once
// Where the limit counters live: process memory (one replica) or Redis (a fleet).
// One call checks and bumps several counters as one atomic step — the minute window and
// the monthly quota together — so a refused request consumes nothing and N replicas
// sharing Redis enforce exactly one limit.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace pixmill::policy {

struct CounterCheck {
  std::string key;      // the full counter name, window included
  int64_t amount = 1;   // how much this request adds (images for the monthly quota)
  int64_t limit = 0;    // the counter may reach this value, never exceed it
  int64_t ttl_s = 60;   // how long the counter lives after its first increment
};

struct CounterOutcome {
  bool allowed = false;
  int refused = -1;             // index of the first check that would overflow
  std::vector<int64_t> values;  // each counter after this call (unchanged when refused)
};

class CounterStore {
 public:
  virtual ~CounterStore() = default;
  // All or nothing: when every counter + amount <= limit, adds to each; else adds to none.
  // An error means the store could not answer (Redis down): the caller's fail mode decides.
  virtual Result<CounterOutcome> consume(const std::vector<CounterCheck>& checks) = 0;
  // Reads a counter (0 when absent); for tests and diagnostics.
  virtual Result<int64_t> peek(const std::string& key) = 0;
};

}  // namespace pixmill::policy
