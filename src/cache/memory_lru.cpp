#include "cache/memory_lru.h"

namespace pixmill::cache {

void MemoryLru::erase_locked(std::list<Slot>::iterator it) {
  bytes_ -= it->size;
  index_.erase(it->key);
  order_.erase(it);
}

std::shared_ptr<const CachedResult> MemoryLru::get(const std::string& key, int64_t now_s) {
  std::lock_guard lock(mutex_);
  auto found = index_.find(key);
  if (found == index_.end()) return nullptr;
  if (found->second->entry->expires_s <= now_s) {
    erase_locked(found->second);
    return nullptr;
  }
  order_.splice(order_.begin(), order_, found->second);
  return found->second->entry;
}

uint64_t MemoryLru::put(const std::string& key, std::shared_ptr<const CachedResult> entry) {
  const uint64_t size = entry->footprint(key.size());
  std::lock_guard lock(mutex_);
  if (auto found = index_.find(key); found != index_.end()) erase_locked(found->second);
  if (size > capacity_) return 0;
  uint64_t evicted = 0;
  while (bytes_ + size > capacity_ && !order_.empty()) {
    erase_locked(std::prev(order_.end()));
    ++evicted;
  }
  order_.push_front(Slot{key, std::move(entry), size});
  index_[key] = order_.begin();
  bytes_ += size;
  return evicted;
}

uint64_t MemoryLru::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

uint64_t MemoryLru::entries() const {
  std::lock_guard lock(mutex_);
  return index_.size();
}

}  // namespace pixmill::cache
