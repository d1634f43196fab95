#include "app/routes.h"

#include "dialects/dialect.h"

namespace pixmill::app {

http::Router build_router(const Config& config) {
  http::Router router;
  dialects::DialectContext context;
  context.limits = config.limits;
  context.max_upload_bytes = config.max_upload_mb << 20;
  context.env = config.app_env;
  context.version = PIXMILL_VERSION;

  // Liveness for orchestrators: answered on the I/O thread, never waits for a worker.
  router.add(http::Route{"GET", "/healthz", "healthz",
                         [](const http::Request&) { return http::json_response(200, R"({"status":"ok"})"); }, nullptr, nullptr});
  dialects::register_native_routes(router, context);   // /api/v1/* (before /api/*: longer prefix)
  dialects::register_petiteimg_routes(router, context);
  dialects::register_feather_routes(router, context);
  return router;
}

}  // namespace pixmill::app
