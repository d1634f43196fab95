#pragma once
// The server's cross-cutting policies built from configuration: CORS, and access control
// (API keys, plans, signed URLs, per-minute limits and monthly quotas, counted in memory
// or in Redis), wired into the server's hooks.

#include <memory>

#include "app/config.h"
#include "core/result.h"
#include "http/server.h"

namespace pixmill::app {

// Installs decorate/preflight/admit/authorize on the options; the returned object owns
// the state. Fails (naming the variable) on a bad KEYS_FILE, REDIS_URL, SIGNING_KEYS or TRUST_PROXY.
Result<std::shared_ptr<void>> install_policies(const Config& config, http::ServerOptions& options);

}  // namespace pixmill::app
