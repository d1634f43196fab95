#include "cache/flights.h"

namespace pixmill::cache {

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (owner_) owner_->finish(key_, id_, Abandoned{});
    owner_ = other.owner_;
    key_ = std::move(other.key_);
    id_ = other.id_;
    other.owner_ = nullptr;
  }
  return *this;
}

Lease::~Lease() {
  if (owner_) owner_->finish(key_, id_, Abandoned{});
}

void Lease::publish(Outcome outcome) {
  if (!owner_) return;
  owner_->finish(key_, id_, std::move(outcome));
  owner_ = nullptr;
}

Flights::Claim Flights::claim(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto found = flights_.find(key);
  if (found != flights_.end() && !found->second->done) return Claim{std::nullopt, found->second->id};
  auto flight = std::make_shared<Flight>();
  flight->id = ++next_id_;
  flights_[key] = flight;
  return Claim{Lease(this, key, flight->id), flight->id};
}

std::optional<Outcome> Flights::wait(const std::string& key, uint64_t id, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  auto found = flights_.find(key);
  if (found == flights_.end() || found->second->id != id) return Outcome{Abandoned{}};  // finished and replaced: look again
  std::shared_ptr<Flight> flight = found->second;
  if (!changed_.wait_until(lock, deadline, [&] { return flight->done; })) return std::nullopt;
  return flight->outcome;
}

void Flights::finish(const std::string& key, uint64_t id, Outcome outcome) {
  {
    std::lock_guard lock(mutex_);
    auto found = flights_.find(key);
    if (found == flights_.end() || found->second->id != id) return;
    found->second->outcome = std::move(outcome);
    found->second->done = true;
    // Waiters hold their own reference; the next claim starts a new flight.
    flights_.erase(found);
  }
  changed_.notify_all();
}

uint64_t Flights::in_flight() const {
  std::lock_guard lock(mutex_);
  return flights_.size();
}

}  // namespace pixmill::cache
