#pragma once
// The route table of the whole service, in one place.

#include <memory>

#include "ai/segmenter.h"
#include "app/config.h"
#include "http/router.h"

namespace pixmill::app {

// The background-removal segmenter of this configuration (loaded now with MODEL_PRELOAD).
// Its stats() are the inference counters for metrics.
std::shared_ptr<ai::Segmenter> make_segmenter(const Config& config);

http::Router build_router(const Config& config);

}  // namespace pixmill::app
