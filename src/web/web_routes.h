#pragma once
// The service's own pages: the playground at /, its assets, the API reference at
// /docs and the OpenAPI document at /openapi.json. All public, answered on the I/O
// thread from memory.

#include <memory>
#include <string>

#include "http/router.h"

namespace pixmill::web {

// `openapi_json` is filled in once the whole route table exists (it describes itself).
std::vector<http::RouteSpec> web_routes(std::shared_ptr<const std::string> openapi_json);

}  // namespace pixmill::web
