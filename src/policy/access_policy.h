#pragma once
// The access decision for one request: who is calling (a signed URL's key, an API key,
// or — when no keys are configured — the client address), under which plan, and whether
// its per-minute bucket (CPU or AI) and monthly image quota have room. Counting goes to
// a CounterStore (memory or Redis) in one atomic step; the answer carries Feather's
// X-RateLimit-* headers (and X-Quota-* for the monthly quota) either way.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "http/message.h"
#include "http/router.h"
#include "policy/client_ip.h"
#include "policy/counter_store.h"
#include "policy/key_store.h"
#include "policy/signed_url.h"

namespace pixmill::policy {

struct AccessSettings {
  std::optional<KeyStore> keys;          // set: every non-public route needs a key
  std::vector<SigningKey> signing_keys;
  ClientIpResolver client_ip;
  Plan anonymous;                        // limits per client address when no key is needed
  bool fail_open = true;                 // RATE_LIMIT_FAIL_MODE
  std::map<std::string, Plan> plans = builtin_plans();  // for signing keys when there is no keys file
};

struct AccessDecision {
  std::optional<Error> refusal;
  http::Fields headers;
};

class AccessPolicy {
 public:
  // `now_s` is injectable so tests can cross window edges.
  AccessPolicy(AccessSettings settings, std::shared_ptr<CounterStore> store, std::function<int64_t()> now_s = {});

  // Authentication only (in memory, cheap): for routes that do no metered work.
  std::optional<Error> authorize(const http::Request& request, http::AccessClass access) const;
  // Authentication, the plan's upload limit, then counting. May block on the store
  // (Redis), so the server runs it off the I/O threads when the store is remote.
  // Strips a verified signature's parameters from the request.
  AccessDecision admit(http::Request& request, http::AccessClass access);
  // The same for a route whose class is refined per request: `classify` is asked once the
  // caller is identified and a verified signature's parameters are stripped (it may parse
  // the request). A Public route is never classified.
  AccessDecision admit(http::Request& request, http::AccessClass route_class, const std::function<http::AccessClass()>& classify);
  // The caller's address behind trusted proxies (TRUST_PROXY); the server sets
  // request.client_ip from it once, when the head is read.
  bool resolves_client_ip() const { return settings_.client_ip.enabled(); }
  std::string client_ip(const http::Request& request) const { return settings_.client_ip.resolve(request); }

  bool requires_keys() const { return settings_.keys.has_value(); }
  // Whether admit() has anything to do for a metered route.
  bool active() const;

 private:
  struct Caller {
    std::string identity;  // "k:<name>", "s:<kid>" or "ip:<address>"
    const Plan* plan = nullptr;
  };
  std::variant<Caller, Error> identify(http::Request& request, bool verify_signature) const;
  const Plan* plan_named(const std::string& name) const;
  int64_t now() const;
  void warn_store_down(const Error& e);

  AccessSettings settings_;
  std::shared_ptr<CounterStore> store_;
  std::function<int64_t()> now_s_;
  std::atomic<int64_t> last_warning_s_{0};
};

}  // namespace pixmill::policy
