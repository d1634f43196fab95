#pragma once
// The memory tier: least-recently-used eviction by bytes, entries shared with the
// requests that read them (an evicted entry lives until its last reader is done).

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "cache/cache_entry.h"

namespace pixmill::cache {

class MemoryLru {
 public:
  explicit MemoryLru(uint64_t capacity_bytes) : capacity_(capacity_bytes) {}

  // The entry, refreshed as most recently used; null when absent or expired at `now_s`.
  std::shared_ptr<const CachedResult> get(const std::string& key, int64_t now_s);
  // Inserts or replaces; evicts from the cold end until the total fits. An entry larger
  // than the whole capacity is not kept. Returns how many entries were evicted.
  uint64_t put(const std::string& key, std::shared_ptr<const CachedResult> entry);

  uint64_t bytes() const;
  uint64_t entries() const;
  uint64_t capacity() const { return capacity_; }

 private:
  struct Slot {
    std::string key;
    std::shared_ptr<const CachedResult> entry;
    uint64_t size = 0;
  };
  void erase_locked(std::list<Slot>::iterator it);

  const uint64_t capacity_;
  mutable std::mutex mutex_;
  std::list<Slot> order_;  // front: most recently used
  std::unordered_map<std::string, std::list<Slot>::iterator> index_;
  uint64_t bytes_ = 0;
};

}  // namespace pixmill::cache
