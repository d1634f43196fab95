#include "cache/result_cache.h"

#include <ctime>

namespace pixmill::cache {

ResultCache::ResultCache(CacheSettings settings, std::function<int64_t()> now_s)
    : settings_(std::move(settings)), now_s_(std::move(now_s)) {
  if (settings_.memory_bytes > 0) memory_ = std::make_unique<MemoryLru>(settings_.memory_bytes);
  if (!settings_.dir.empty() && settings_.disk_bytes > 0) disk_ = std::make_unique<DiskStore>(settings_.dir, settings_.disk_bytes);
}

int64_t ResultCache::now() const { return now_s_ ? now_s_() : static_cast<int64_t>(std::time(nullptr)); }

std::shared_ptr<const CachedResult> ResultCache::lookup(const std::string& key) {
  if (!enabled()) return nullptr;
  const int64_t now_s = now();
  if (memory_) {
    if (auto hit = memory_->get(key, now_s)) {
      ++hits_;
      return hit;
    }
  }
  if (disk_) {
    if (auto hit = disk_->get(key, now_s)) {
      if (memory_) evictions_ += memory_->put(key, hit);
      ++hits_;
      return hit;
    }
  }
  ++misses_;
  return nullptr;
}

void ResultCache::store(const std::string& key, std::shared_ptr<CachedResult> entry) {
  if (!enabled()) return;
  if (entry->created_s == 0) entry->created_s = now();
  if (entry->expires_s == 0) entry->expires_s = entry->created_s + settings_.ttl_s;
  ++stores_;
  if (disk_) evictions_ += disk_->put(key, *entry);
  if (memory_) evictions_ += memory_->put(key, std::move(entry));
}

std::optional<Outcome> ResultCache::wait(const std::string& key, uint64_t flight, std::chrono::steady_clock::time_point deadline) {
  ++coalesced_;
  return flights_.wait(key, flight, deadline);
}

CacheStats ResultCache::stats() const {
  CacheStats s;
  s.hits = hits_;
  s.misses = misses_;
  s.stores = stores_;
  s.evictions = evictions_;
  s.coalesced_waits = coalesced_;
  if (memory_) {
    s.memory_bytes = memory_->bytes();
    s.memory_entries = memory_->entries();
  }
  if (disk_) {
    s.disk_bytes = disk_->bytes();
    s.disk_entries = disk_->entries();
    s.disk_write_failures = disk_->write_failures();
    s.disk_corrupt_entries = disk_->corrupt_entries();
    s.disk_enabled = disk_->enabled();
  }
  return s;
}

}  // namespace pixmill::cache
