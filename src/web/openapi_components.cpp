#include "web/openapi_components.h"

#include "recipe/recipe.h"

namespace pixmill::web {

// The response headers every image answer carries (src/dialects/result_headers.cpp).
const std::vector<std::pair<std::string, std::string>>& image_headers() {
  static const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Original-Bytes", "Size of the input image in bytes"},
      {"X-Output-Bytes", "Size of the output image in bytes"},
      {"X-Output-Format", "Format written: jpeg, png, webp, avif, gif, tiff, bmp, jxl or heic"},
      {"X-Output-Quality", "Encoder quality used (lossy formats)"},
      {"X-Output-Width", "Output width in pixels"},
      {"X-Output-Height", "Output height in pixels"},
      {"X-Compression-Ratio", "Input bytes / output bytes, two decimals"},
      {"X-Processing-Time-Ms", "Time spent processing, in milliseconds"},
      {"X-Target-Met", "Whether the output fits the target size (true when there is none)"},
      {"X-Resized", "Whether the image was resized"},
      {"X-Iterations", "Encodes made (targetKb and quality=auto search over several; a default AVIF takes one or two)"},
      {"X-Request-Id", "The request's id, echoed or generated; it is in the logs"},
  };
  return headers;
}

namespace {

// One petiteimg operation: {"op": NAME, "settings": {...}}.
json petite_op(const char* name, const json& settings_properties) {
  json settings = {{"type", "object"}, {"properties", settings_properties}};
  json properties = {{"op", {{"const", name}}}, {"settings", settings}};
  return {{"type", "object"}, {"properties", properties}, {"required", json::array({"op"})}};
}

// `{"error": {"code", "message", <where>}}`: the native and Feather shapes differ only
// in where they name the field at fault.
json coded_error_schema(const std::string& where_name, const json& where_schema) {
  const json string = {{"type", "string"}};
  const json error = {{"type", "object"},
                      {"required", json::array({"code", "message"})},
                      {"properties", {{"code", string}, {"message", string}, {where_name, where_schema}}}};
  return {{"type", "object"}, {"required", json::array({"error"})}, {"properties", {{"error", error}}}};
}

}  // namespace

json openapi_components() {
  const json dimension = {{"type", "integer"}, {"minimum", 1}, {"maximum", recipe::kMaxOutputDimension}};
  const json size_settings = {{"width", dimension}, {"height", dimension}};
  const json compress_settings = {{"quality", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}, {"super_saver", {{"type", "boolean"}}}};
  const json convert_settings = {{"format", {{"type", "string"}, {"enum", json::array({"jpeg", "png", "webp"})}}}};
  json headers = json::object();
  for (const auto& [name, doc] : image_headers()) headers[name] = {{"description", doc}, {"schema", {{"type", "string"}}}};
  json schemas = {
      {"NativeError", coded_error_schema("field", {{"type", "string"}})},
      {"PetiteError", {{"type", "object"}, {"required", json::array({"error"})}, {"properties", {{"error", {{"type", "string"}}}}}}},
      {"FeatherError", coded_error_schema("details", {{"type", "object"}, {"properties", {{"field", {{"type", "string"}}}}}})},
      {"PetiteOperation", {{"oneOf", json::array({petite_op("resize", size_settings), petite_op("crop", size_settings),
                                                  petite_op("compress", compress_settings),
                                                  petite_op("convert", convert_settings)})}}},
  };
  json security = {{"ApiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}},
                   {"Bearer", {{"type", "http"}, {"scheme", "bearer"}}}};
  return json{{"schemas", schemas}, {"headers", headers}, {"securitySchemes", security}};
}

}  // namespace pixmill::web
