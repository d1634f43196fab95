#pragma once
// Coalescing identical misses: the first request for a key leads (fetches, processes,
// publishes); the others wait for its outcome instead of doing the same work again.
// A leader that never finishes (its request died before the work ran) releases its
// flight when its Lease is destroyed, so waiters then take over instead of hanging.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>

#include "cache/cache_entry.h"
#include "core/error.h"

namespace pixmill::cache {

class Flights;

// What a waiter learns: the result, the leader's error, or that the leader gave up.
struct Abandoned {};
using Outcome = std::variant<std::shared_ptr<const CachedResult>, Error, Abandoned>;

// The leader's obligation to publish. Destroying it unpublished abandons the flight.
class Lease {
 public:
  Lease() = default;
  Lease(Flights* owner, std::string key, uint64_t id) : owner_(owner), key_(std::move(key)), id_(id) {}
  Lease(Lease&& other) noexcept { *this = std::move(other); }
  Lease& operator=(Lease&& other) noexcept;
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  void publish(Outcome outcome);
  bool held() const { return owner_ != nullptr; }

 private:
  Flights* owner_ = nullptr;
  std::string key_;
  uint64_t id_ = 0;
};

class Flights {
 public:
  struct Claim {
    std::optional<Lease> lease;  // set: this caller leads
    uint64_t flight = 0;         // otherwise: the flight to wait for
  };
  Claim claim(const std::string& key);
  // Waits for the flight's outcome until `deadline`; nullopt when the deadline passed.
  std::optional<Outcome> wait(const std::string& key, uint64_t flight, std::chrono::steady_clock::time_point deadline);

  uint64_t in_flight() const;

 private:
  friend class Lease;
  struct Flight {
    uint64_t id = 0;
    bool done = false;
    Outcome outcome = Abandoned{};
  };
  void finish(const std::string& key, uint64_t id, Outcome outcome);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
  uint64_t next_id_ = 0;
};

}  // namespace pixmill::cache
