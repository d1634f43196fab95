#include "web/openapi.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "api/error_map.h"
#include "dialects/dialect.h"
#include "dialects/feather_params.h"
#include "dialects/native_params.h"
#include "dialects/presets.h"
#include "web/embedded_assets.h"
#include "web/openapi_components.h"
#include "web/route_docs.h"

namespace pixmill::web {
namespace {

using dialects::ParamSpec;
using dialects::ParamType;

// Every error code, to derive each dialect's possible statuses from the error map.
constexpr ErrorCode kAllErrors[] = {
    ErrorCode::InvalidInput,  ErrorCode::FileTooLarge,     ErrorCode::UnsupportedFormat, ErrorCode::InvalidImage,
    ErrorCode::TooManyPixels, ErrorCode::TooManyFrames,    ErrorCode::Timeout,           ErrorCode::ProcessingFailed,
    ErrorCode::Internal,      ErrorCode::Unauthorized,     ErrorCode::RateLimited,       ErrorCode::Overloaded,
    ErrorCode::ModelUnavailable, ErrorCode::NotFound,      ErrorCode::MethodNotAllowed,  ErrorCode::FetchFailed,
    ErrorCode::UrlNotAllowed, ErrorCode::ModelFetchFailed,
};


std::optional<double> number_of(const std::string& text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

// JSON Schema of one table entry, with the bounds and default the parser enforces.
json param_schema(const ParamSpec& spec) {
  json s = json::object();
  switch (spec.type) {
    case ParamType::Integer:
      s["type"] = "integer";
      s["minimum"] = static_cast<long long>(spec.min);
      s["maximum"] = static_cast<long long>(spec.max);
      // A number or a word (quality: 80 or auto:eco).
      if (!spec.choices.empty()) {
        s = json{{"oneOf", json::array({s, json{{"type", "string"}, {"enum", spec.choices}}})}};
      }
      break;
    case ParamType::Number:
      s["type"] = "number";
      s["minimum"] = spec.min;
      s["maximum"] = spec.max;
      break;
    case ParamType::Boolean:
      s["type"] = "boolean";
      break;
    case ParamType::Enum:
      s["type"] = "string";
      s["enum"] = spec.choices;
      break;
    case ParamType::Colour:
      s["type"] = "string";
      s["examples"] = json::array({"#ffffff", "#00000080", "255,255,255", "transparent"});
      break;
    case ParamType::Text:
      s["type"] = "string";
      s["maxLength"] = 4096;
      break;
  }
  if (!spec.default_text.empty()) {
    if (spec.type == ParamType::Boolean && (spec.default_text == "true" || spec.default_text == "false")) {
      s["default"] = spec.default_text == "true";
    } else if (spec.type == ParamType::Integer || spec.type == ParamType::Number) {
      if (auto v = number_of(spec.default_text)) s["default"] = *v;
    } else {
      s["default"] = spec.default_text;
    }
  }
  return s;
}

std::string param_description(const ParamSpec& spec) {
  std::string d = spec.doc;
  if (!spec.aliases.empty()) {
    d += " (also: ";
    for (size_t i = 0; i < spec.aliases.size(); ++i) d += (i ? ", " : "") + spec.aliases[i];
    d += ")";
  }
  if (!spec.default_text.empty() && spec.type != ParamType::Boolean) d += ". Default: " + spec.default_text;
  return d;
}

json query_parameter(const ParamSpec& spec) {
  return json{{"name", spec.name}, {"in", "query"}, {"required", false}, {"description", param_description(spec)},
              {"schema", param_schema(spec)}};
}

json url_parameter() {
  return json{{"name", "url"},
              {"in", "query"},
              {"required", false},
              {"description", "Fetch the image from this http(s) URL instead of the body (SSRF-checked; FETCH_* settings)"},
              {"schema", {{"type", "string"}, {"format", "uri"}}}};
}

json error_ref(api::Dialect dialect) {
  const char* name = dialect == api::Dialect::Native ? "NativeError" : dialect == api::Dialect::Petite ? "PetiteError" : "FeatherError";
  return json{{"$ref", std::string("#/components/schemas/") + name}};
}

// One response per status the error map can give in this dialect.
void add_error_responses(json& responses, api::Dialect dialect) {
  std::map<int, std::set<std::string>> by_status;
  for (ErrorCode code : kAllErrors) {
    auto mapped = api::map_error(code, dialect);
    by_status[mapped.status].insert(std::string(mapped.code));
  }
  for (const auto& [status, codes] : by_status) {
    std::string description = "Error:";
    for (const auto& c : codes) description += " " + c;
    responses[std::to_string(status)] = {{"description", description},
                                         {"content", {{"application/json", {{"schema", error_ref(dialect)}}}}}};
  }
}

json image_ok_response() {
  json headers = json::object();
  for (const auto& [name, doc] : image_headers()) headers[name] = {{"$ref", "#/components/headers/" + name}};
  return json{{"description", "The processed image; its type is the output format"},
              {"headers", headers},
              {"content",
               {{"image/jpeg", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                {"image/png", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                {"image/webp", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                {"image/avif", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                {"image/gif", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                {"image/tiff", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                {"image/bmp", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                {"image/jxl", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                {"image/heic", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
}

// A form (or JSON) body: the image plus the given table fields.
json form_schema(const std::vector<const ParamSpec*>& specs, bool json_body, std::vector<std::string> required = {}) {
  json properties = json::object();
  if (json_body) {
    properties["image"] = {{"type", "string"}, {"description", "The image, base64 or a data: URL"}};
  } else {
    properties["file"] = {{"type", "string"}, {"format", "binary"}, {"description", "The image"}};
  }
  properties["url"] = {{"type", "string"}, {"format", "uri"}, {"description", "Or: fetch the image from this URL"}};
  for (const ParamSpec* spec : specs) {
    json s = param_schema(*spec);
    s["description"] = param_description(*spec);
    properties[spec->name] = s;
  }
  json schema = {{"type", "object"}, {"properties", properties}};
  if (!required.empty()) schema["required"] = required;
  return schema;
}

// bgImage, the cut-out's replacement background: not a table parameter (it may be an image).
json background_url_parameter() {
  return {{"name", "bgImage"},
          {"in", "query"},
          {"required", false},
          {"description", "With background removal: an http(s) URL of the image to put under the subject (also a form or JSON field)"},
          {"schema", {{"type", "string"}, {"format", "uri"}}}};
}

json with_background(json schema, bool cuts_out, bool json_body) {
  if (!cuts_out) return schema;
  schema["properties"]["bgImage"] =
      json_body ? json{{"type", "string"}, {"description", "With background removal: the new background, base64, a data: URL or an http(s) URL"}}
                : json{{"type", "string"}, {"format", "binary"}, {"description", "With background removal: the new background (a file part, or an http(s) URL)"}};
  return schema;
}

std::vector<const ParamSpec*> native_specs(std::string_view endpoint) {
  std::vector<const ParamSpec*> specs;
  for (const auto& name : dialects::native_endpoint_params(endpoint)) {
    if (const ParamSpec* spec = dialects::find_param(dialects::native_params(), name)) specs.push_back(spec);
  }
  return specs;
}

json native_operation(const RouteDoc& doc, const std::string& method) {
  json op;
  const auto specs = native_specs(doc.endpoint);
  json parameters = json::array();
  if (doc.kind == RouteKind::NativePreset) {
    std::vector<std::string> names;
    for (const auto& p : dialects::presets()) {
      names.push_back(p.id);
      names.insert(names.end(), p.aliases.begin(), p.aliases.end());
    }
    parameters.push_back({{"name", "name"}, {"in", "path"}, {"required", true}, {"description", "Preset id or alias"},
                          {"schema", {{"type", "string"}, {"enum", names}}}});
  }
  parameters.push_back(url_parameter());
  for (const ParamSpec* spec : specs) parameters.push_back(query_parameter(*spec));
  const bool cuts_out = doc.endpoint == "process" || doc.endpoint == "remove-bg";
  if (cuts_out) parameters.push_back(background_url_parameter());
  op["parameters"] = parameters;
  if (method == "post") {
    std::vector<std::string> required;
    if (doc.endpoint == "convert") required.push_back("format");
    op["requestBody"] = {
        {"required", false},
        {"description", "The image as a multipart file, the raw body, or JSON with base64; parameters may also be form or JSON fields"},
        {"content",
         {{"multipart/form-data", {{"schema", with_background(form_schema(specs, false, required), cuts_out, false)}}},
          {"application/json", {{"schema", with_background(form_schema(specs, true, required), cuts_out, true)}}},
          {"image/*", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
          {"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  }
  json responses = {{"200", image_ok_response()},
                    {"304", {{"description", "Not modified (If-None-Match on an answer made from a URL)"}}}};
  add_error_responses(responses, api::Dialect::Native);
  op["responses"] = responses;
  op["security"] = json::array({json::object(), {{"ApiKey", json::array()}}});
  return op;
}

json petite_operation() {
  json op;
  json body = {{"type", "object"},
               {"required", json::array({"file"})},
               {"properties",
                {{"file", {{"type", "string"}, {"format", "binary"}}},
                 {"url", {{"type", "string"}, {"format", "uri"}}},
                 {"operations",
                  {{"type", "string"},
                   {"description", "JSON array of {op, settings}; see PetiteOperation"},
                   {"contentMediaType", "application/json"},
                   {"contentSchema", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/PetiteOperation"}}}}}}}}}};
  op["requestBody"] = {{"required", true}, {"content", {{"multipart/form-data", {{"schema", body}}}}}};
  json ok = image_ok_response();
  ok["headers"]["X-Process-Results"] = {
      {"description", "JSON: [{filename, input_size, output_size, savings_percent}]"}, {"schema", {{"type", "string"}}}};
  json responses = {{"200", ok}};
  add_error_responses(responses, api::Dialect::Petite);
  op["responses"] = responses;
  op["security"] = json::array({json::object(), {{"Bearer", json::array()}}});
  return op;
}

json feather_operation(const std::string& route_name) {
  json op;
  std::vector<const ParamSpec*> specs;
  for (const auto& spec : dialects::feather_params()) {
    if (route_name == "feather.convert" && spec.name == "targetMB") continue;
    specs.push_back(&spec);
  }
  std::vector<std::string> required = {"file"};
  if (route_name == "feather.convert") required.push_back("outputFormat");
  op["requestBody"] = {{"required", true}, {"content", {{"multipart/form-data", {{"schema", form_schema(specs, false, required)}}}}}};
  json responses = {{"200", image_ok_response()}};
  add_error_responses(responses, api::Dialect::Feather);
  op["responses"] = responses;
  return op;
}

json simple_operation(const RouteDoc* doc, const std::string& path) {
  json op;
  const RouteKind kind = doc ? doc->kind : RouteKind::Json;
  json content;
  switch (kind) {
    case RouteKind::Text:
      content = {{"text/plain", {{"schema", {{"type", "string"}}}}}};
      break;
    case RouteKind::Html:
      content = {{"text/html", {{"schema", {{"type", "string"}}}}}};
      break;
    case RouteKind::Asset:
      content = {{"text/javascript", {{"schema", {{"type", "string"}}}}}, {"text/css", {{"schema", {{"type", "string"}}}}}};
      break;
    case RouteKind::UrlImage:
      content = {{"image/*", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
      break;
    case RouteKind::NativeInfo:
      content = {{"application/json", {{"schema", {{"type", "object"}, {"required", json::array({"format", "width", "height"})}}}}}};
      op["parameters"] = json::array({url_parameter(), {{"name", "gps"}, {"in", "query"}, {"required", false},
                                                        {"description", "Add the GPS coordinates to the EXIF summary"},
                                                        {"schema", {{"type", "boolean"}, {"default", false}}}},
                                       {{"name", "faces"}, {"in", "query"}, {"required", false},
                                        {"description", "Add the face boxes ({x, y, width, height, score}, best first); runs the face detector and counts as AI work"},
                                        {"schema", {{"type", "boolean"}, {"default", false}}}}});
      break;
    case RouteKind::FeatherModel:
      content = {{"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
      op["parameters"] = json::array({{{"name", "variant"}, {"in", "query"}, {"required", false},
                                       {"schema", {{"type", "string"}, {"enum", json::array({"full", "quantized"})}, {"default", "full"}}}}});
      break;
    default:
      content = {{"application/json", {{"schema", {{"type", "object"}}}}}};
  }
  if (doc && kind == RouteKind::Asset) {
    // The files actually compiled in.
    const std::string prefix = path.substr(0, path.find('{'));
    std::vector<std::string> names;
    for (const auto& asset : embedded_assets()) {
      if (asset.path.substr(0, prefix.size()) == prefix && asset.path.find('/', prefix.size()) == std::string_view::npos) {
        names.emplace_back(asset.path.substr(prefix.size()));
      }
    }
    op["parameters"] = json::array({{{"name", std::string(doc->wildcard)}, {"in", "path"}, {"required", true},
                                     {"schema", {{"type", "string"}, {"enum", names}}}}});
  }
  json responses = {{"200", {{"description", "OK"}, {"content", content}}}};
  if (kind == RouteKind::Asset || kind == RouteKind::Html) responses["304"] = {{"description", "Not modified (ETag)"}};
  if (kind == RouteKind::Asset) responses["404"] = {{"description", "No such file"}};
  if (kind == RouteKind::FeatherModel) add_error_responses(responses, api::Dialect::Feather);
  if (kind == RouteKind::NativeInfo) add_error_responses(responses, api::Dialect::Native);
  op["responses"] = responses;
  return op;
}

}  // namespace

std::string openapi_path(const http::RouteSpec& route) {
  if (route.pattern.empty() || route.pattern.back() != '*') return route.pattern;
  const RouteDoc* doc = find_route_doc(route.name);
  const std::string name = doc && !doc->wildcard.empty() ? std::string(doc->wildcard) : "path";
  return route.pattern.substr(0, route.pattern.size() - 1) + "{" + name + "}";
}

json openapi_document(const http::Router& router, const std::string& version) {
  json doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = {{"title", "pixmill"},
                 {"version", version},
                 {"summary", "Stateless image processing over HTTP"},
                 {"description",
                  "One pipeline, three request dialects: native /api/v1/* (TheGlitch-style), petiteimg-compatible /v1/* and "
                  "Feather-compatible /api/*. Each dialect answers errors in its own shape. HEAD works on every GET route."}};
  doc["tags"] = json::array({{{"name", "native"}, {"description", "Our own API: /api/v1/*"}},
                             {{"name", "petiteimg"}, {"description", "petiteimg-compatible: /v1/*"}},
                             {{"name", "feather"}, {"description", "Feather-compatible: /api/*"}},
                             {{"name", "grammars"}, {"description", "URL grammars of imgproxy, thumbor/imagor and Cloudflare Images"}},
                             {{"name", "service"}, {"description", "Health and monitoring"}},
                             {{"name", "web"}, {"description", "Playground and this reference"}}});
  json paths = json::object();
  for (const auto& route : router.routes()) {
    const std::string path = openapi_path(route);
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const RouteDoc* rd = find_route_doc(route.name);
    json op;
    if (rd && (rd->kind == RouteKind::NativeImage || rd->kind == RouteKind::NativePreset)) {
      op = native_operation(*rd, method);
    } else if (rd && rd->kind == RouteKind::PetiteProcess) {
      op = petite_operation();
    } else if (rd && rd->kind == RouteKind::FeatherImage) {
      op = feather_operation(route.name);
    } else {
      op = simple_operation(rd, path);
    }
    json full;
    full["tags"] = json::array({rd ? std::string(rd->tag) : std::string("service")});
    full["summary"] = rd ? std::string(rd->summary) : route.name;
    if (rd && !rd->description.empty()) full["description"] = std::string(rd->description);
    std::string id = route.name + "_" + method;
    std::replace(id.begin(), id.end(), '.', '_');
    std::replace(id.begin(), id.end(), '-', '_');
    full["operationId"] = id;
    for (auto& [key, value] : op.items()) full[key] = value;
    if (!route.pattern.empty() && route.pattern.back() == '*' && !full.contains("parameters")) {
      full["parameters"] = json::array({{{"name", path.substr(path.rfind('{') + 1, path.size() - path.rfind('{') - 2)},
                                         {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}});
    }
    paths[path][method] = full;
  }
  doc["paths"] = paths;
  doc["components"] = openapi_components();
  return doc;
}

}  // namespace pixmill::web
