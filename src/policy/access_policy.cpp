#include "policy/access_policy.h"

#include <algorithm>
#include <cstdio>
#include <variant>

#include "core/hex.h"
#include "policy/access_stats.h"
#include "policy/windows.h"

namespace pixmill::policy {
namespace {

constexpr const char* kQuotaMessage = "Monthly API limit exceeded. Upgrade your plan for more capacity.";

Error unauthorized(std::string message) { return make_error(ErrorCode::Unauthorized, std::move(message)); }

// A short, stable name of a key for counters: its hash's first 8 bytes.
std::string hex_prefix(const core::Sha256& hash) { return core::hex_encode(std::span<const uint8_t>(hash.data(), 8)); }

}  // namespace

AccessPolicy::AccessPolicy(AccessSettings settings, std::shared_ptr<CounterStore> store, std::function<int64_t()> now_s)
    : settings_(std::move(settings)), store_(std::move(store)), now_s_(std::move(now_s)) {}

int64_t AccessPolicy::now() const { return now_s_ ? now_s_() : epoch_seconds(Clock::now()); }

bool AccessPolicy::active() const {
  const Plan& a = settings_.anonymous;
  return requires_keys() || !settings_.signing_keys.empty() || a.cpu_per_minute > 0 || a.ai_per_minute > 0 ||
         a.images_per_month > 0 || a.max_upload_mb > 0;
}

const Plan* AccessPolicy::plan_named(const std::string& name) const {
  if (settings_.keys) return settings_.keys->plan(name);
  auto it = settings_.plans.find(name);
  return it == settings_.plans.end() ? nullptr : &it->second;
}

std::variant<AccessPolicy::Caller, Error> AccessPolicy::identify(http::Request& request, bool verify_signature) const {
  if (verify_signature && !settings_.signing_keys.empty()) {
    SignatureResult sig = verify_signed_request(request, settings_.signing_keys, now());
    switch (sig.check) {
      case SignatureCheck::Valid:
        if (const Plan* plan = plan_named(sig.key->plan)) return Caller{"s:" + sig.key->id, plan};
        return unauthorized("the signing key's plan does not exist");
      case SignatureCheck::Expired: return unauthorized("signed URL has expired");
      case SignatureCheck::UnknownKey: return unauthorized("signed URL names an unknown key");
      case SignatureCheck::Invalid: return unauthorized("signed URL signature is invalid");
      case SignatureCheck::Absent: break;
    }
  }
  if (settings_.keys) {
    const std::string_view presented = presented_key(request);
    if (presented.empty()) return unauthorized("missing API key: send Authorization: Bearer <key> or X-API-Key");
    const ApiKey* key = settings_.keys->find(presented);
    if (key == nullptr) return unauthorized("invalid API key");
    return Caller{"k:" + hex_prefix(key->sha256), settings_.keys->plan(key->plan)};
  }
  return Caller{"ip:" + request.client_ip, &settings_.anonymous};
}

std::optional<Error> AccessPolicy::authorize(const http::Request& request, http::AccessClass access) const {
  if (access == http::AccessClass::Public || !settings_.keys) return std::nullopt;
  const std::string_view presented = presented_key(request);
  if (presented.empty()) return unauthorized("missing API key: send Authorization: Bearer <key> or X-API-Key");
  if (settings_.keys->find(presented) == nullptr) return unauthorized("invalid API key");
  return std::nullopt;
}

void AccessPolicy::warn_store_down(const Error& e) {
  // One line per ten seconds at most: a dead Redis must not flood the log.
  const int64_t t = now();
  int64_t last = last_warning_s_.load();
  if (t - last < 10 || !last_warning_s_.compare_exchange_strong(last, t)) return;
  std::string line = std::string("{\"level\":\"warn\",\"msg\":\"rate-limit store unavailable\",\"failMode\":\"") +
                     (settings_.fail_open ? "open" : "closed") + "\",\"error\":\"";
  for (char c : e.message) line += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  line += "\"}\n";
  std::fputs(line.c_str(), stderr);
}

AccessDecision AccessPolicy::admit(http::Request& request, http::AccessClass access) { return admit(request, access, {}); }

AccessDecision AccessPolicy::admit(http::Request& request, http::AccessClass route_class,
                                   const std::function<http::AccessClass()>& classify) {
  AccessDecision d;
  AccessStats& stats = access_stats_counters();
  if (route_class == http::AccessClass::Public) return d;

  auto who = identify(request, request.method == "GET" || request.method == "HEAD");
  if (auto* e = std::get_if<Error>(&who)) {
    ++stats.unauthorized;
    d.headers.emplace_back("WWW-Authenticate", "Bearer");
    d.refusal = *e;
    return d;
  }
  const Caller& caller = std::get<Caller>(who);
  const http::AccessClass access = classify ? classify() : route_class;
  const Plan& plan = *caller.plan;
  const size_t body_bytes = std::max(request.body.size(), request.received_bytes);
  if (plan.max_upload_mb > 0 && body_bytes > (plan.max_upload_mb << 20)) {
    d.refusal = make_error(ErrorCode::FileTooLarge, "file exceeds the plan's limit of " + std::to_string(plan.max_upload_mb) + " MB");
    return d;
  }

  const int64_t now_s = now();
  const bool ai = access == http::AccessClass::Ai;
  const int64_t per_minute = ai ? plan.ai_per_minute : plan.cpu_per_minute;
  const Window minute = minute_window(now_s);
  const Window month = month_window(now_s);
  std::vector<CounterCheck> checks;
  int minute_index = -1, month_index = -1;
  // The quota first: when both are spent, the answer names the one that lasts longer.
  if (plan.images_per_month > 0) {
    // One image per request: every dialect takes exactly one image per call.
    month_index = static_cast<int>(checks.size());
    checks.push_back({"q:" + caller.identity + ":" + month.id, 1, plan.images_per_month, month.seconds_left(now_s) + 86400});
  }
  if (per_minute > 0) {
    minute_index = static_cast<int>(checks.size());
    checks.push_back({std::string(ai ? "rl:ai:" : "rl:cpu:") + caller.identity + ":" + minute.id, 1, per_minute,
                      minute.seconds_left(now_s) + 1});
  }
  if (checks.empty()) {
    ++stats.admitted;
    return d;
  }

  auto outcome = store_->consume(checks);
  if (!outcome) {
    ++stats.store_errors;
    warn_store_down(outcome.error());
    if (settings_.fail_open) {
      ++stats.failed_open;
      ++stats.admitted;
      return d;
    }
    ++stats.failed_closed;
    d.headers.emplace_back("Retry-After", "1");
    d.refusal = make_error(ErrorCode::Overloaded, "rate limiting is unavailable, retry shortly");
    return d;
  }
  auto remaining = [&](int i) { return std::max<int64_t>(0, checks[i].limit - outcome->values[i]); };
  if (minute_index >= 0) {
    d.headers.emplace_back("X-RateLimit-Limit", std::to_string(per_minute));
    d.headers.emplace_back("X-RateLimit-Remaining", std::to_string(remaining(minute_index)));
    d.headers.emplace_back("X-RateLimit-Reset", std::to_string(minute.reset_epoch_s));
  }
  if (month_index >= 0) {
    d.headers.emplace_back("X-Quota-Limit", std::to_string(plan.images_per_month));
    d.headers.emplace_back("X-Quota-Remaining", std::to_string(remaining(month_index)));
    d.headers.emplace_back("X-Quota-Reset", std::to_string(month.reset_epoch_s));
  }
  if (outcome->allowed) {
    ++stats.admitted;
    return d;
  }
  if (outcome->refused == month_index) {
    ++stats.quota_exceeded;
    d.headers.emplace_back("Retry-After", std::to_string(month.seconds_left(now_s)));
    d.refusal = make_error(ErrorCode::QuotaExceeded, kQuotaMessage);
  } else {
    ++stats.rate_limited;
    d.headers.emplace_back("Retry-After", std::to_string(minute.seconds_left(now_s)));
    d.refusal = make_error(ErrorCode::RateLimited, "rate limit exceeded: " + std::to_string(per_minute) +
                                                       (ai ? " background removals" : " requests") + " per minute");
  }
  return d;
}

}  // namespace pixmill::policy
