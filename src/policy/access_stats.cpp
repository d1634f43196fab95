#include "policy/access_stats.h"

namespace pixmill::policy {

AccessStatsSnapshot AccessStats::snapshot() const {
  return {admitted.load(), unauthorized.load(), rate_limited.load(), quota_exceeded.load(),
          store_errors.load(), failed_open.load(), failed_closed.load()};
}

AccessStats& access_stats_counters() {
  static AccessStats stats;
  return stats;
}

AccessStatsSnapshot access_stats() { return access_stats_counters().snapshot(); }

}  // namespace pixmill::policy
