#pragma once
// The route table of the whole service, in one place.

#include <memory>

#include "app/config.h"
#include "http/router.h"
#include "metrics/metrics.h"

namespace pixmill::app {

// `metrics` backs GET /metrics; when null, the router gets metrics of its own.
http::Router build_router(const Config& config, std::shared_ptr<metrics::Metrics> metrics = nullptr);

}  // namespace pixmill::app
