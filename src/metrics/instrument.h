#pragma once
// The metrics step of the policy chain: every answer (route, status, sizes, time) and
// every fetch stage's outcome; the server's own counters are sampled at scrape time.

#include <memory>

#include "http/policy.h"
#include "http/router.h"
#include "metrics/metrics.h"

namespace pixmill::metrics {

std::shared_ptr<http::Policy> metrics_policy(std::shared_ptr<Metrics> metrics);

// GET /metrics.
http::RouteSpec metrics_route(std::shared_ptr<Metrics> metrics);

}  // namespace pixmill::metrics
