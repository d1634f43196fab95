#pragma once
// The OpenAPI 3.1 document of the service, generated from what the server runs: the
// router's route list, the dialects' parameter tables, the preset table and the error
// map. A route added without documentation still appears (with a generic entry), and
// tests/unit/web/openapi_test.cpp fails until it is described in route_docs.cpp.

#include <nlohmann/json.hpp>

#include <string>

#include "http/router.h"

namespace pixmill::web {

nlohmann::ordered_json openapi_document(const http::Router& router, const std::string& version);

// "/api/v1/preset/*" -> "/api/v1/preset/{name}" (the wildcard's parameter name comes from
// the route's documentation).
std::string openapi_path(const http::RouteSpec& route);

}  // namespace pixmill::web
