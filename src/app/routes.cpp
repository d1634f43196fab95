#include "app/routes.h"

#include <iostream>

#include "ai/model_spec.h"
#include "ai/opencv_backend.h"
#include "app/access_classes.h"
#include "core/text.h"
#include "dialects/dialect.h"
#include "metrics/instrument.h"
#include "web/openapi.h"
#include "web/web_routes.h"

namespace pixmill::app {

dialects::UrlInput url_input_from(const Config& config) {
  dialects::UrlInput input;
  input.enabled = config.fetch_enabled;
  input.cache_max_age_s = config.cache_max_age_s;
  fetch::FetchOptions& f = input.fetch;
  f.policy.allow_private = config.fetch_allow_private;
  f.policy.allow_http = config.fetch_allow_http;
  f.policy.allow_hosts = core::split_comma_list(config.fetch_allow_hosts);
  f.policy.deny_hosts = core::split_comma_list(config.fetch_deny_hosts);
  for (const auto& cidr : core::split_comma_list(config.fetch_allow_cidrs)) {
    if (auto parsed = net::parse_cidr(cidr)) f.policy.allow_cidrs.push_back(*parsed);
  }
  f.max_redirects = config.fetch_max_redirects;
  f.timeout_ms = config.fetch_timeout_ms;
  f.max_bytes = config.fetch_max_mb << 20;
  f.user_agent = "pixmill/" PIXMILL_VERSION;
  return input;
}

std::shared_ptr<ai::Segmenter> make_segmenter(const Config& config, std::function<void(double)> on_inference) {
  ai::SegmenterOptions options;
  options.model.path = config.model_path;
  options.model.input_size = config.model_input_size;
  options.model.normalization = ai::normalization_named(config.model_normalize).value_or(ai::Normalization{});
  options.model.threads = config.ai_threads;
  options.workers = config.ai_workers;
  options.queue_max = config.ai_queue_max;
  options.on_inference = std::move(on_inference);
  // The one place a backend is chosen: a CUDA / ONNX Runtime backend plugs in here.
  auto segmenter = std::make_shared<ai::Segmenter>(options, ai::opencv_backend_factory());
  if (config.model_preload) {
    if (auto loaded = segmenter->preload(); !loaded) {
      // Not fatal: the rest of the service works, and remove-bg answers 503 naming the fix.
      std::cerr << "pixmill: MODEL_PRELOAD: " << loaded.error().message << "\n";
    }
  }
  return segmenter;
}

http::Router build_router(const Config& config, std::shared_ptr<metrics::Metrics> metrics) {
  http::Router router;
  dialects::DialectContext context;
  context.limits = config.limits;
  context.max_upload_bytes = config.max_upload_mb << 20;
  context.env = config.app_env;
  context.version = PIXMILL_VERSION;
  context.url_input = url_input_from(config);
  context.watermarks_dir = config.watermarks_dir;
  fetch::ModelProxyConfig model;
  model.full_url = config.model_full_url;
  model.quantized_url = config.model_quantized_url;
  model.cache_dir = config.model_cache_dir;
  model.local_full_path = config.model_path;
  model.token = config.huggingface_token;
  model.timeout_ms = config.model_fetch_timeout_ms;
  model.fetch = context.url_input.fetch;
  model.fetch.max_bytes = uint64_t{1} << 30;  // models are far larger than images
  context.model_proxy = std::make_shared<fetch::ModelProxy>(model);
  if (!metrics) metrics = std::make_shared<metrics::Metrics>(PIXMILL_VERSION);
  context.segmenter = make_segmenter(config, [observe = metrics->inference_observer()](double seconds) {
    observe("isnet", seconds);
  });

  // Liveness for orchestrators: answered on the I/O thread, never waits for a worker.
  router.add(http::Route{"GET", "/healthz", "healthz",
                         [](const http::Request&) { return http::json_response(200, R"({"status":"ok"})"); }, nullptr, nullptr});
  dialects::register_native_routes(router, context);   // /api/v1/* (before /api/*: longer prefix)
  dialects::register_petiteimg_routes(router, context);
  dialects::register_feather_routes(router, context);

  // The service's own pages and monitoring (public). The OpenAPI document describes the
  // finished table, itself included.
  metrics->set_model_proxy_stats([proxy = context.model_proxy] { return proxy->stats(); });
  router.add(metrics::metrics_route(metrics));
  auto openapi_json = std::make_shared<std::string>();
  web::register_web_routes(router, openapi_json);
  *openapi_json = web::openapi_document(router, PIXMILL_VERSION).dump();
  router.classify(access_class_for);
  return router;
}

}  // namespace pixmill::app
