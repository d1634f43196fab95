#pragma once
// What every dialect gets from the application: limits and identity. A dialect only
// parses requests into a Recipe and formats results; it never touches libvips.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ai/segmenter.h"
#include "dialects/url_input.h"
#include "fetch/model_proxy.h"
#include "http/router.h"
#include "recipe/recipe.h"

namespace pixmill::dialects {

struct DialectContext {
  recipe::Limits limits;
  uint64_t max_upload_bytes = 25ull << 20;
  std::string version = "0.1.0";
  std::string env = "production";
  UrlInput url_input;
  std::shared_ptr<fetch::ModelProxy> model_proxy;  // Feather's /api/model
  std::shared_ptr<ai::Segmenter> segmenter;        // background removal (null: MODEL_UNAVAILABLE)
  std::string watermarks_dir;                      // named watermarks (empty: off)
};

// Each dialect's routes, joined in app/routes.cpp.
http::RouteGroup native_routes(const DialectContext& context);                     // /api/v1/*
std::vector<http::RouteSpec> native_info_routes(const DialectContext& context);  // /api/v1/info (native_info.cpp)
// The native dialect's error body: {"error": {"code", "message", "field"}}.
http::Response native_error(const Error& e);
// The canonical parameter names a native endpoint ("process", "preset", …) accepts, for
// the API reference; empty for an unknown endpoint.
std::vector<std::string> native_endpoint_params(std::string_view endpoint);
http::RouteGroup petiteimg_routes(const DialectContext& context);  // /v1/*
http::RouteGroup feather_routes(const DialectContext& context);    // /api/*

}  // namespace pixmill::dialects
