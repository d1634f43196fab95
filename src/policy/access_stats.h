#pragma once
// Process-wide counters of the access policy, for /metrics: read with access_stats(),
// safe from any thread.

#include <atomic>
#include <cstdint>

namespace pixmill::policy {

struct AccessStatsSnapshot {
  uint64_t admitted = 0;         // requests let through to the work
  uint64_t unauthorized = 0;     // 401: no key, a bad key, a bad or expired signature
  uint64_t rate_limited = 0;     // 429: a per-minute window was full
  uint64_t quota_exceeded = 0;   // 429: the monthly image quota was spent
  uint64_t store_errors = 0;     // the counter store (Redis) did not answer
  uint64_t failed_open = 0;      // … and the request was let through (RATE_LIMIT_FAIL_MODE=open)
  uint64_t failed_closed = 0;    // … and the request was refused with 503 (closed)
};

class AccessStats {
 public:
  std::atomic<uint64_t> admitted{0}, unauthorized{0}, rate_limited{0}, quota_exceeded{0}, store_errors{0}, failed_open{0},
      failed_closed{0};
  AccessStatsSnapshot snapshot() const;
};

// The one instance the server's policy updates.
AccessStats& access_stats_counters();
AccessStatsSnapshot access_stats();

}  // namespace pixmill::policy
