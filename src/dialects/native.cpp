// The native dialect, TheGlitch-style: /api/v1/{process,resize,convert,effects,
// optimize,preset/{name},remove-bg}. GET with query parameters, or POST with the same
// parameters plus the image (multipart `file`, raw body, or JSON base64). Unknown
// parameters are refused by name: this is our own, strict API.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "core/bytes.h"
#include "api/error_map.h"
#include "core/digest.h"
#include "dialects/dialect.h"
#include "dialects/native_compositing.h"
#include "dialects/native_params.h"
#include "dialects/presets.h"
#include "dialects/result_headers.h"
#include "dialects/upload.h"
#include "http/accept.h"
#include "http/stages.h"
#include "pipeline/process.h"
#include "recipe/overlay_source.h"

namespace pixmill::dialects {

http::Response native_error(const Error& e) {
  auto mapped = api::map_error(e.code, api::Dialect::Native);
  nlohmann::json body = {{"error", {{"code", mapped.code}, {"message", e.message}}}};
  if (!e.field.empty()) body["error"]["field"] = e.field;
  return http::json_response(mapped.status, body.dump());
}

namespace {

using http::Request;
using http::Response;

const std::vector<std::string> kGeometry = {"width", "height", "fit", "gravity", "withoutEnlargement", "crop", "cropX",
                                            "cropY", "cropWidth", "cropHeight", "rotate", "flip", "flop", "background"};
const std::vector<std::string> kEffects = {"brightness", "contrast", "saturation", "blur", "sharpen", "grayscale", "sepia"};
const std::vector<std::string> kOutput = {"format", "quality", "progressive", "effort", "lossless", "stripMetadata",
                                          "targetKb", "targetBytes", "preview", "background", "redactFaces", "redactStrength"};
// What a cut-out becomes (besides format=mask and crop=subject, which are values of format and crop).
const std::vector<std::string> kCutout = {"subjectMargin", "shadow", "shadowOpacity", "shadowBlur", "shadowX", "shadowY",
                                          "refineEdges"};

// Which parameters an endpoint accepts (canonical names; aliases resolve to them).
struct Endpoint {
  std::string name;
  std::vector<std::string> accepts;  // empty = everything
  void (*defaults)(recipe::Recipe&);         // applied before the parameters
  bool needs_format = false;
};

std::vector<std::string> join(std::initializer_list<std::vector<std::string>> lists) {
  std::vector<std::string> out;
  for (const auto& l : lists) out.insert(out.end(), l.begin(), l.end());
  return out;
}

Status check_allowed(const Endpoint& endpoint, const Params& params) {
  if (endpoint.accepts.empty()) return ok_status();
  for (const auto& [name, value] : params) {
    const ParamSpec* spec = find_param(native_params(), name);
    if (!spec) continue;  // reported as unknown by apply_params
    if (std::find(endpoint.accepts.begin(), endpoint.accepts.end(), spec->name) == endpoint.accepts.end()) {
      return make_error(ErrorCode::InvalidInput, "parameter " + name + " is not accepted by /api/v1/" + endpoint.name, name);
    }
  }
  return ok_status();
}

// bgImage given as text (query, form field or JSON string) is an http(s) URL, fetched like
// a watermark URL; a file part or a base64 data URL arrives in upload.background_image.
Status take_background_url(Params& params, const Upload& upload, recipe::Recipe& recipe) {
  for (const std::string& value : take_params(params, "bgImage")) {
    if (!recipe::is_http_url(value)) {
      return make_error(ErrorCode::InvalidInput, "bgImage must be an http(s) URL, an uploaded part named bgImage or a base64 data URL", "bgImage");
    }
    if (!recipe.cutout.background_url.empty() || !upload.background_image.empty()) {
      return make_error(ErrorCode::InvalidInput, "bgImage was given more than once", "bgImage");
    }
    recipe.cutout.background_url = value;
  }
  return ok_status();
}

// What a native request asks for, parsed once: the image, the other parameters and the
// recipe they make (compositing layers are completed later, on the worker).
struct NativeParsed {
  Upload upload;
  Params params;
  std::vector<std::string> operations;
  recipe::Recipe recipe;
  std::string fetched_url;  // where the fetch stage found the image; empty for an upload
  const Preset* preset = nullptr;  // /api/v1/preset/{name}: the preset the path names
};

Error no_image(const Request& request) {
  return make_error(ErrorCode::InvalidInput,
                    request.method == "GET" ? "GET needs url=<image URL>; or POST the image as multipart file, raw body or JSON base64"
                                            : "no image in the request: send multipart file, a raw image body or JSON {\"image\": base64}",
                    "file");
}

// The parse stage. A request that names a URL gets its image in the fetch stage.
Result<NativeParsed> parse_native(Request& request, const DialectContext& context, const Endpoint& endpoint, const Preset* preset) {
  const bool image_by_url = wants_url_input(request);
  UploadOptions upload_options;
  upload_options.max_image_bytes = context.max_upload_bytes;
  upload_options.attachment_fields = kNativeAttachmentFields;
  NativeParsed job;
  job.preset = preset;
  auto request_fields = request_params(request, upload_options, job.upload);
  if (!request_fields) return request_fields.error();
  job.params = std::move(*request_fields);
  if (!image_by_url && !job.upload.has_image()) return no_image(request);
  Params& params = job.params;
  drop_url_fields(params);
  if (auto s = check_allowed(endpoint, params); !s) return s.error();

  recipe::Recipe& recipe = job.recipe;
  recipe.output.auto_allow_avif = http::accepts_media_type(request, "image/avif");
  recipe.output.auto_allow_jxl = http::accepts_media_type(request, "image/jxl");
  if (endpoint.defaults) endpoint.defaults(recipe);
  if (preset) {
    recipe.resize = recipe::ResizeSpec{preset->width, preset->height, recipe::FitMode::Fill, recipe::Gravity::Centre, false};
  }
  job.operations = take_params(params, "operations");
  if (auto s = take_background_url(params, job.upload, recipe); !s) return s.error();
  if (auto s = apply_params(native_params(), params, recipe, true); !s) return s.error();
  return job;
}

// The work stage.
Result<Response> process_request(NativeParsed& job, const Request& request, const core::Deadline& deadline, const DialectContext& context,
                                 const Endpoint& endpoint) {
  const Preset* preset = job.preset;
  Upload& upload = job.upload;
  if (!upload.has_image()) return no_image(request);
  Params& params = job.params;
  recipe::Recipe& recipe = job.recipe;
  const std::vector<std::string>& operations = job.operations;
  if (auto s = complete_compositing(recipe, operations, upload, context, deadline); !s) return native_error(s.error());
  const bool explicit_enlarge = std::any_of(params.begin(), params.end(), [](const auto& p) { return p.first == "withoutEnlargement"; });
  // An explicit background (bgColor) on a cut-out composites onto that colour.
  const bool explicit_background = std::any_of(params.begin(), params.end(), [](const auto& p) {
    const ParamSpec* spec = find_param(native_params(), p.first);
    return spec && spec->name == "background";
  });
  if (recipe.remove_background && explicit_background) recipe.cutout_background = recipe.background;
  if (!upload.background_image.empty()) {
    recipe.cutout.background_image = std::make_shared<const std::string>(std::move(upload.background_image));
  }
  if (endpoint.name == "optimize" && recipe.resize && !explicit_enlarge) recipe.resize->without_enlargement = true;
  if (endpoint.needs_format && recipe.output.format == recipe::OutputFormat::Original) {
    return native_error(make_error(ErrorCode::InvalidInput, "format is required: jpeg, png, webp, avif, gif, tiff, bmp or auto", "format"));
  }
  // Answers made from a URL are cacheable by a CDN: a strong ETag over the source bytes
  // and everything that shapes the result (the parameters and, for auto, Accept).
  std::string etag;
  if (!job.fetched_url.empty()) {
    std::string shape = endpoint.name + (preset ? preset->id : "") + "|avif=" + (recipe.output.auto_allow_avif ? "1" : "0") +
                        "|jxl=" + (recipe.output.auto_allow_jxl ? "1" : "0");
    Params sorted = params;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [n, v] : sorted) shape += "|" + n + "=" + v;
    for (const auto& list : operations) shape += "|operations=" + list;
    etag = "\"" + core::sha256_hex(upload.image).substr(0, 32) + "-" + core::sha256_hex(shape).substr(0, 16) + "\"";
    const std::string_view if_none_match = request.header("if-none-match");
    if (!if_none_match.empty() && (if_none_match == etag || if_none_match == "*" ||
                                   if_none_match.find(etag) != std::string_view::npos)) {
      Response not_modified;
      not_modified.status = 304;
      not_modified.set("ETag", etag);
      not_modified.set("Cache-Control", "public, max-age=" + std::to_string(context.url_input.cache_max_age_s));
      if (recipe.output.format == recipe::OutputFormat::Auto) not_modified.set("Vary", "Accept");
      return not_modified;
    }
  }
  auto result = pipeline::process_image(core::as_bytes(upload.image),
                              recipe, context.limits, deadline, context.segmenter.get());
  if (!result) {
    Response refused = native_error(result.error());
    // The AI queue is full: tell the client when an AI worker is likely free.
    if (result.error().code == ErrorCode::Overloaded && context.segmenter) {
      refused.set("Retry-After", std::to_string(context.segmenter->retry_after_s()));
    }
    return refused;
  }
  const recipe::OutputFormat format = result->format;
  Response response = image_response(std::move(*result));
  response.set("Content-Disposition", "inline; filename=\"" + base_name(upload.filename) + "." +
                                          std::string(output_format_extension(format)) + "\"");
  if (recipe.output.format == recipe::OutputFormat::Auto) response.set("Vary", "Accept");
  if (!etag.empty()) {
    response.set("ETag", etag);
    response.set("Cache-Control", "public, max-age=" + std::to_string(context.url_input.cache_max_age_s));
  }
  return response;
}

const std::vector<Endpoint>& endpoints() {
  static const std::vector<Endpoint> list = {
      {"process", {}, nullptr, false},
      {"resize", join({kGeometry, kOutput}), nullptr, false},
      {"convert", kOutput, nullptr, true},
      {"effects", join({kEffects, kOutput}), nullptr, false},
      {"optimize", join({kOutput, {"width", "height", "withoutEnlargement"}}),
       [](recipe::Recipe& r) {
         r.output.format = recipe::OutputFormat::Webp;
         r.output.strip_metadata = true;
       },
       false},
      {"remove-bg", join({kGeometry, kOutput, kCutout}),
       [](recipe::Recipe& r) {
         r.remove_background = true;
         r.output.format = recipe::OutputFormat::Png;
       },
       false},
  };
  return list;
}

}  // namespace

std::vector<std::string> native_endpoint_params(std::string_view endpoint) {
  static const Endpoint preset_endpoint{"preset", join({kOutput, {"gravity", "fit", "background"}}), nullptr, false};
  const Endpoint* found = endpoint == "preset" ? &preset_endpoint : nullptr;
  for (const auto& e : endpoints()) {
    if (e.name == endpoint) found = &e;
  }
  if (!found) return {};
  if (!found->accepts.empty()) return found->accepts;
  std::vector<std::string> all;
  for (const auto& spec : native_params()) all.push_back(spec.name);
  return all;
}

// The stages of one native endpoint (a preset's is named by the path's last segment).
http::WorkStages native_stages(const DialectContext& context, const Endpoint& endpoint, bool by_preset_name) {
  auto preset_of = [by_preset_name](const Request& r) -> Result<const Preset*> {
    if (!by_preset_name) return nullptr;
    const std::string name = r.path.substr(std::string("/api/v1/preset/").size());
    if (const Preset* preset = find_preset(name)) return preset;
    return make_error(ErrorCode::NotFound, "unknown preset: " + name.substr(0, 64) + " (GET /v1/presets lists them)", "name");
  };
  return http::stages<NativeParsed>({
      .parse = [context, &endpoint, preset_of](Request& r) -> Result<NativeParsed> {
        auto preset = preset_of(r);
        if (!preset) return preset.error();
        return parse_native(r, context, endpoint, *preset);
      },
      .classify = [](const NativeParsed& job) { return recipe_uses_ai(job.recipe) ? http::AccessClass::Ai : http::AccessClass::Cpu; },
      .wants_fetch = wants_url_input,
      .fetch = url_fetch_stage<NativeParsed>(context.url_input),
      .work = [context, &endpoint](NativeParsed& job, const Request& r, const core::Deadline& d) {
        return process_request(job, r, d, context, endpoint);
      },
  });
}

http::RouteGroup native_routes(const DialectContext& context) {
  http::RouteGroup group{.error_prefix = "/api/v1/", .render_error = native_error, .routes = native_info_routes(context)};
  for (const auto& endpoint : endpoints()) {
    // remove-bg always runs the model; the other endpoints do when their recipe asks.
    const bool always_ai = endpoint.name == "remove-bg";
    for (const char* method : {"GET", "POST"}) {
      group.routes.push_back({
          .method = method,
          .pattern = "/api/v1/" + endpoint.name,
          .name = "native." + endpoint.name,
          .access = always_ai ? http::AccessClass::Ai : http::AccessClass::Cpu,
          .stages = native_stages(context, endpoint, false),
          .render_error = native_error,
      });
    }
  }
  static const Endpoint preset_endpoint{"preset", native_endpoint_params("preset"), nullptr, false};
  for (const char* method : {"GET", "POST"}) {
    group.routes.push_back({
        .method = method,
        .pattern = "/api/v1/preset/*",
        .name = "native.preset",
        .stages = native_stages(context, preset_endpoint, true),
        .render_error = native_error,
    });
  }
  return group;
}

}  // namespace pixmill::dialects
