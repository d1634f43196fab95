#pragma once
// Connects the server's observers to the metrics: requests, admission decisions
// (wrapping whatever admission policy is installed), fetch outcomes, and the server's
// own counters sampled at scrape time. Call after the policies are installed.

#include <memory>

#include "http/server.h"
#include "metrics/metrics.h"

namespace pixmill::metrics {

void instrument_server(http::ServerOptions& options, const std::shared_ptr<Metrics>& metrics);

// GET /metrics.
http::Route metrics_route(std::shared_ptr<Metrics> metrics);

}  // namespace pixmill::metrics
