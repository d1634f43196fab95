#pragma once
// The server's cross-cutting policies built from configuration: CORS and the
// embedded per-IP rate limit, wired into the server's hooks.

#include <memory>

#include "app/config.h"
#include "http/server.h"

namespace pixmill::app {

// Installs decorate/preflight/admit on the options; the returned object owns the state.
std::shared_ptr<void> install_policies(const Config& config, http::ServerOptions& options);

}  // namespace pixmill::app
