#pragma once
// The server's policy chain built from configuration, in the order its steps run: the
// client's address (TRUST_PROXY), CORS, access control (API keys, plans, signed URLs,
// per-minute limits and monthly quotas, counted in memory or in Redis), metrics, and the
// access log.

#include <memory>

#include "app/config.h"
#include "core/result.h"
#include "http/policy.h"
#include "metrics/metrics.h"

namespace pixmill::app {

// Fails (naming the variable) on a bad KEYS_FILE, REDIS_URL, SIGNING_KEYS or TRUST_PROXY.
Result<http::PolicyChain> build_policy_chain(const Config& config, const std::shared_ptr<metrics::Metrics>& metrics);

}  // namespace pixmill::app
