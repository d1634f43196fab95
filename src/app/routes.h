#pragma once
// The route table of the whole service, in one place.

#include <functional>
#include <memory>

#include "ai/segmenter.h"
#include "app/config.h"
#include "dialects/url_input.h"
#include "http/router.h"
#include "metrics/metrics.h"

namespace pixmill::app {

// The background-removal segmenter of this configuration (loaded now with MODEL_PRELOAD).
// Its stats() are the inference counters for metrics.
std::shared_ptr<ai::Segmenter> make_segmenter(const Config& config, std::function<void(double seconds)> on_inference = nullptr);

// The fetcher settings for image URLs (and watermark URLs) of this configuration.
dialects::UrlInput url_input_from(const Config& config);

// `metrics` backs GET /metrics; when null, the router gets metrics of its own.
http::Router build_router(const Config& config, std::shared_ptr<metrics::Metrics> metrics = nullptr);

}  // namespace pixmill::app
