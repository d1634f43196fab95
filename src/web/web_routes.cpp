#include "web/web_routes.h"

#include "web/embedded_assets.h"

namespace pixmill::web {
namespace {

// The playground talks only to this server: scripts, styles and connections stay on
// this origin; the before/after previews are blob: URLs.
constexpr const char* kPageCsp =
    "default-src 'self'; img-src 'self' blob: data: https: http:; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

http::Response not_found() {
  return http::json_response(404, R"({"error":{"code":"NOT_FOUND","message":"no such file"}})");
}

// Serves an embedded file; ETag revalidation keeps browsers from refetching megabytes.
http::Response serve_asset(const http::Request& request, std::string_view asset_path, bool page) {
  const EmbeddedAsset* asset = find_embedded_asset(asset_path);
  if (!asset) return not_found();
  http::Response response;
  const std::string etag = "\"" + std::string(asset->etag) + "\"";
  response.set("ETag", etag);
  response.set("Cache-Control", "no-cache");
  response.set("X-Content-Type-Options", "nosniff");
  if (page) {
    response.set("Content-Security-Policy", kPageCsp);
    response.set("Referrer-Policy", "no-referrer");
  }
  if (request.header("if-none-match") == etag) {
    response.status = 304;
    return response;
  }
  response.set("Content-Type", std::string(content_type_for(asset_path)));
  response.body.assign(asset->bytes.data(), asset->bytes.size());
  return response;
}

}  // namespace

std::vector<http::RouteSpec> web_routes(std::shared_ptr<const std::string> openapi_json) {
  auto page = [](std::string method, std::string pattern, std::string name, http::InlineHandler handler) {
    return http::RouteSpec{.method = std::move(method), .pattern = std::move(pattern), .name = std::move(name),
                           .access = http::AccessClass::Public, .inline_handler = std::move(handler)};
  };
  return {
      page("GET", "/", "web.playground", [](const http::Request& r) { return serve_asset(r, "/assets/index.html", true); }),
      page("GET", "/assets/*", "web.assets", [](const http::Request& r) { return serve_asset(r, r.path, false); }),
      // Swagger UI sets inline styles, so the strict page policy is not applied here.
      page("GET", "/docs", "web.docs", [](const http::Request& r) { return serve_asset(r, "/assets/docs.html", false); }),
      page("GET", "/docs/assets/*", "web.docs_assets", [](const http::Request& r) { return serve_asset(r, r.path, false); }),
      page("GET", "/openapi.json", "web.openapi",
           [openapi_json](const http::Request&) {
             http::Response response = http::json_response(200, *openapi_json);
             response.set("Cache-Control", "no-cache");
             return response;
           }),
  };
}

}  // namespace pixmill::web
