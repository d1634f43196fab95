// The Feather-compatible dialect (/api/*): health, formats, compress, convert, model.
// Multipart fields as the seed documents them; unknown fields are ignored, as a
// form-handling Node service would. Errors are {"error": {code, message, details?}}.

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>

#include "core/bytes.h"
#include "api/error_map.h"
#include "dialects/dialect.h"
#include "dialects/feather_params.h"
#include "dialects/result_headers.h"
#include "dialects/upload.h"
#include "http/stages.h"
#include "pipeline/process.h"

namespace pixmill::dialects {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

Response feather_error(const Error& e) {
  auto mapped = api::map_error(e.code, api::Dialect::Feather);
  json error = {{"code", mapped.code}, {"message", e.message}};
  if (!e.field.empty()) error["details"] = {{"field", e.field}};
  return http::json_response(mapped.status, json{{"error", error}}.dump());
}

std::string iso_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03lldZ", buf, static_cast<long long>(ms));
  return out;
}

// What compress and convert parse: the upload (its image may come by URL instead).
struct FeatherParsed {
  Upload upload;
  std::string fetched_url;
};

Result<FeatherParsed> parse_upload(Request& request, const DialectContext& context) {
  UploadOptions options;
  options.file_fields = {"file"};
  options.max_image_bytes = context.max_upload_bytes;
  auto upload = extract_upload(request, options);
  if (!upload) return upload.error();
  return FeatherParsed{std::move(*upload), {}};
}

Response compress(FeatherParsed& parsed, const Request& request, const core::Deadline& deadline, const DialectContext& context, bool convert) {
  Upload& upload = parsed.upload;
  if (!upload.has_image()) return feather_error(make_error(ErrorCode::InvalidInput, "Missing file", "file"));
  // Fields may also come in the query string.
  Params fields = request.query;
  fields.insert(fields.end(), upload.fields.begin(), upload.fields.end());
  drop_url_fields(fields);
  auto recipe = parse_feather_fields(fields, convert);
  if (!recipe) return feather_error(recipe.error());
  auto result = pipeline::process_image(core::as_bytes(upload.image),
                              *recipe, context.limits, deadline);
  if (!result) return feather_error(result.error());
  const recipe::OutputFormat format = result->format;
  Response response = image_response(std::move(*result));
  response.set("Content-Disposition", attachment(base_name(upload.filename), "-compressed", format));
  return response;
}

}  // namespace

http::RouteGroup feather_routes(const DialectContext& context) {
  // The model proxy waits on its upstream in the fetch stage (never on an image
  // worker); the work stage then serves it from memory.
  auto proxy = context.model_proxy;
  auto variant_of = [](const Request& r) {
    for (const auto& [name, value] : r.query) {
      if (name == "variant") return value;
    }
    return std::string("full");
  };
  http::RouteGroup group{.error_prefix = "/api/", .render_error = feather_error};
  group.routes.push_back({.method = "GET", .pattern = "/api/health", .name = "feather.health", .access = http::AccessClass::Public,
                          .inline_handler =
                              [context](const Request&) {
                                json body = {{"ok", true}, {"version", context.version}, {"env", context.env}, {"timestamp", iso_now()}};
                                return http::json_response(200, body.dump());
                              },
                          .render_error = feather_error});
  group.routes.push_back({.method = "GET", .pattern = "/api/formats", .name = "feather.formats", .access = http::AccessClass::Public,
                          .inline_handler =
                              [](const Request&) {
                                json body = {{"input", {"jpeg", "jpg", "png", "webp", "avif", "svg", "heic", "heif", "jxl", "tiff", "gif", "bmp"}},
                                             {"output", {"jpeg", "png", "webp", "avif"}}};
                                return http::json_response(200, body.dump());
                              },
                          .render_error = feather_error});
  // Feather's compress and convert run no model.
  for (const bool convert : {false, true}) {
    group.routes.push_back({.method = "POST",
                            .pattern = convert ? "/api/convert" : "/api/compress",
                            .name = convert ? "feather.convert" : "feather.compress",
                            .stages = http::stages<FeatherParsed>({
                                .parse = [context](Request& r) { return parse_upload(r, context); },
                                .wants_fetch = wants_url_input,
                                .fetch = url_fetch_stage<FeatherParsed>(context.url_input),
                                .work = [context, convert](FeatherParsed& p, const Request& r, const core::Deadline& d) -> Result<Response> {
                                  return compress(p, r, d, context, convert);
                                },
                            }),
                            .render_error = feather_error});
  }
  // The model download is public, as in Feather: the browser fetches it before any image work.
  group.routes.push_back({.method = "GET",
                          .pattern = "/api/model",
                          .name = "feather.model",
                          .access = http::AccessClass::Public,
                          .stages = http::stages<std::string>({
                              .parse = [variant_of](Request& r) -> Result<std::string> { return variant_of(r); },
                              .fetch = [proxy](std::string& variant, const Request&, const core::Deadline&) -> std::optional<Error> {
                                auto model = proxy->get(variant);
                                if (!model) return model.error();
                                return std::nullopt;
                              },
                              .work = [proxy](std::string& variant, const Request&, const core::Deadline&) -> Result<Response> {
                                auto model = proxy->get(variant);
                                if (!model) return model.error();
                                Response response;
                                response.set("Content-Type", "application/octet-stream");
                                response.set("Cache-Control", "public, max-age=31536000, immutable");
                                response.body = **model;
                                return response;
                              },
                          }),
                          .render_error = feather_error,
                          .fetch_kind = "model"});
  return group;
}

}  // namespace pixmill::dialects
