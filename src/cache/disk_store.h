#pragma once
// The disk tier: one file per entry under RESULT_CACHE_DIR, least-recently-used by bytes.
// Crash-safe: an entry is written to a temporary name, flushed, then renamed into place,
// and carries a SHA-256 of its contents, so a torn or altered file is never served (it
// is deleted when found). A directory that cannot be written (read-only, full, gone)
// turns the tier off with one warning: the service goes on without it, never failing.

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "cache/cache_entry.h"

namespace pixmill::cache {

class DiskStore {
 public:
  // Indexes the entries already in `dir` (a restart keeps the cache). Creates the folder.
  DiskStore(std::string dir, uint64_t capacity_bytes);

  std::shared_ptr<const CachedResult> get(const std::string& key, int64_t now_s);
  // Returns how many entries were evicted; a failed write disables the tier.
  uint64_t put(const std::string& key, const CachedResult& entry);

  bool enabled() const;
  uint64_t bytes() const;
  uint64_t entries() const;
  uint64_t write_failures() const;
  uint64_t corrupt_entries() const;  // torn or altered files found and deleted

  // The file format, exposed for tests (a torn file is any prefix of a valid one).
  static std::string encode(const std::string& key, const CachedResult& entry);
  static std::optional<CachedResult> decode(std::string_view bytes, const std::string& key);

 private:
  struct Slot {
    std::string name;  // hex SHA-256 of the key
    uint64_t size = 0;
  };
  std::string path_of(const std::string& name) const;
  void index_existing();
  void disable(const std::string& why);
  void forget_locked(const std::string& name);
  void touch_locked(const std::string& name);

  const std::string dir_;
  const uint64_t capacity_;
  mutable std::mutex mutex_;
  bool enabled_ = true;
  std::list<Slot> order_;  // front: most recently used
  std::unordered_map<std::string, std::list<Slot>::iterator> index_;
  uint64_t bytes_ = 0;
  uint64_t write_failures_ = 0;
  uint64_t corrupt_ = 0;
  uint64_t sequence_ = 0;
};

}  // namespace pixmill::cache
