#pragma once
// The route table of the whole service, in one place.

#include "app/config.h"
#include "http/router.h"

namespace pixmill::app {

http::Router build_router(const Config& config);

}  // namespace pixmill::app
