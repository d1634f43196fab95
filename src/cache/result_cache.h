#pragma once
// The result cache: a memory tier (RESULT_CACHE_MB) over an optional disk tier
// (RESULT_CACHE_DIR, RESULT_CACHE_DISK_MB), both least-recently-used by bytes, entries
// living RESULT_CACHE_TTL seconds; plus the coalescing of identical misses. Keys are
// built by the caller from what determines the result (never from a signature).

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cache/cache_entry.h"
#include "cache/disk_store.h"
#include "cache/flights.h"
#include "cache/memory_lru.h"

namespace pixmill::cache {

struct CacheSettings {
  uint64_t memory_bytes = 0;  // 0: no memory tier
  std::string dir;            // empty: no disk tier
  uint64_t disk_bytes = 0;
  int ttl_s = 3600;
};

struct CacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t stores = 0;
  uint64_t evictions = 0;
  uint64_t coalesced_waits = 0;
  uint64_t memory_bytes = 0;
  uint64_t memory_entries = 0;
  uint64_t disk_bytes = 0;
  uint64_t disk_entries = 0;
  uint64_t disk_write_failures = 0;
  uint64_t disk_corrupt_entries = 0;
  bool disk_enabled = false;
};

class ResultCache {
 public:
  explicit ResultCache(CacheSettings settings, std::function<int64_t()> now_s = {});

  bool enabled() const { return memory_ || disk_; }
  int ttl_s() const { return settings_.ttl_s; }
  int64_t now() const;

  // Memory first, then disk (a disk hit is promoted to memory). Counts a hit or a miss.
  std::shared_ptr<const CachedResult> lookup(const std::string& key);
  // Into both tiers; the entry's expiry is set from the TTL when it has none.
  void store(const std::string& key, std::shared_ptr<CachedResult> entry);

  // Coalescing (works with the cache disabled too: identical misses still share one job).
  Flights::Claim claim(const std::string& key) { return flights_.claim(key); }
  std::optional<Outcome> wait(const std::string& key, uint64_t flight, std::chrono::steady_clock::time_point deadline);

  CacheStats stats() const;

 private:
  CacheSettings settings_;
  std::function<int64_t()> now_s_;
  std::unique_ptr<MemoryLru> memory_;
  std::unique_ptr<DiskStore> disk_;
  Flights flights_;
  std::atomic<uint64_t> hits_{0}, misses_{0}, stores_{0}, evictions_{0}, coalesced_{0};
};

}  // namespace pixmill::cache
