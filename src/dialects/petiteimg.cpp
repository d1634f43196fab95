// The petiteimg-compatible dialect: POST /v1/process with `file` and `operations`
// (a JSON array of {op, settings}) executed in the fixed order resize -> crop ->
// compress -> convert whatever the array order; GET /v1/presets; GET /v1/health.
// Errors are {"error": "message"}.

#include <nlohmann/json.hpp>

#include <cmath>

#include "core/bytes.h"
#include "api/error_map.h"
#include "dialects/dialect.h"
#include "dialects/petiteimg_operations.h"
#include "dialects/presets.h"
#include "dialects/result_headers.h"
#include "dialects/upload.h"
#include "http/stages.h"
#include "pipeline/process.h"

namespace pixmill::dialects {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

Response petite_error(const Error& e) {
  auto mapped = api::map_error(e.code, api::Dialect::Petite);
  return http::json_response(mapped.status, json{{"error", e.message}}.dump());
}

// What /v1/process parses: the upload (its image may come by URL instead).
struct PetiteParsed {
  Upload upload;
  std::string fetched_url;
};

Result<PetiteParsed> parse_upload(Request& request, const DialectContext& context) {
  UploadOptions options;
  options.file_fields = {"file"};
  options.max_image_bytes = context.max_upload_bytes;
  auto upload = extract_upload(request, options);
  if (!upload) {
    Error e = upload.error();
    if (e.code == ErrorCode::FileTooLarge) {
      e.message = "File too large. Maximum size is " + std::to_string(context.max_upload_bytes >> 20) + " MB.";
    }
    return e;
  }
  return PetiteParsed{std::move(*upload), {}};
}

Response process(PetiteParsed& parsed, const Request& request, const core::Deadline& deadline, const DialectContext& context) {
  const Upload* upload = &parsed.upload;
  if (!upload->has_image()) return petite_error(make_error(ErrorCode::InvalidInput, "No file provided. Send the image as the 'file' field.", "file"));

  std::string operations = "[]";
  for (const auto* list : {&request.query, &upload->fields}) {
    for (const auto& [name, value] : *list) {
      if (name == "operations") operations = value;
    }
  }
  auto recipe = parse_petiteimg_operations(operations);
  if (!recipe) return petite_error(recipe.error());

  auto result = pipeline::process_image(core::as_bytes(upload->image),
                              *recipe, context.limits, deadline);
  if (!result) {
    Error e = result.error();
    if (e.code == ErrorCode::ProcessingFailed || e.code == ErrorCode::Internal) e.message = "Processing failed.";
    return petite_error(e);
  }
  const std::string name = base_name(upload->filename.empty() ? "image" : upload->filename);
  const std::string filename = name + "_compressed." + std::string(output_format_extension(result->format));
  const double input_size = static_cast<double>(result->bytes_in);
  const double output_size = static_cast<double>(result->bytes.size());
  const double savings = input_size > 0 ? std::round((1.0 - output_size / input_size) * 1000.0) / 10.0 : 0.0;
  json results = json::array({{{"filename", filename},
                               {"input_size", result->bytes_in},
                               {"output_size", result->bytes.size()},
                               {"savings_percent", savings}}});
  const recipe::OutputFormat format = result->format;
  Response response = image_response(std::move(*result));
  response.set("Content-Disposition", attachment(name, "_compressed", format));
  response.set("X-Process-Results", results.dump());
  return response;
}

Response presets_response(const Request&) {
  json groups = json::array();
  for (const auto& group : preset_groups()) {
    json items = json::array();
    for (const auto& p : presets()) {
      if (p.group == group) items.push_back({{"id", p.id}, {"name", p.name}, {"width", p.width}, {"height", p.height}});
    }
    groups.push_back({{"group", group}, {"presets", items}});
  }
  return http::json_response(200, groups.dump());
}

}  // namespace

http::RouteGroup petiteimg_routes(const DialectContext& context) {
  // petiteimg runs no model: its /v1/process is plain CPU work.
  return {.error_prefix = "/v1/",
          .render_error = petite_error,
          .routes = {
              {.method = "POST",
               .pattern = "/v1/process",
               .name = "petiteimg.process",
               .stages = http::stages<PetiteParsed>({
                   .parse = [context](Request& r) { return parse_upload(r, context); },
                   .wants_fetch = wants_url_input,
                   .fetch = url_fetch_stage<PetiteParsed>(context.url_input),
                   .work = [context](PetiteParsed& p, const Request& r, const core::Deadline& d) -> Result<Response> { return process(p, r, d, context); },
               }),
               .render_error = petite_error},
              {.method = "GET", .pattern = "/v1/presets", .name = "petiteimg.presets", .access = http::AccessClass::Public,
               .inline_handler = presets_response, .render_error = petite_error},
              {.method = "GET", .pattern = "/v1/health", .name = "petiteimg.health", .access = http::AccessClass::Public,
               .inline_handler = [](const Request&) { return http::json_response(200, R"({"status":"ok"})"); },
               .render_error = petite_error},
          }};
}

}  // namespace pixmill::dialects
