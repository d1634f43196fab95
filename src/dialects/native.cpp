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
#include "pipeline/process.h"

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
const std::vector<std::string> kCutout = {"subjectMargin", "shadow", "shadowOpacity", "shadowBlur", "shadowX", "shadowY"};

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

bool accepts_type(const Request& request, std::string_view mime) {
  return request.header("accept").find(mime) != std::string_view::npos;
}

// What a native request asks for, parsed once: the image, the other parameters and the
// recipe they make (compositing layers are completed later, on the worker).
struct NativeParsed {
  Upload upload;
  Params params;
  std::vector<std::string> operations;
  recipe::Recipe recipe;
};

// `need_image` is false when classifying a URL request before its image is fetched.
Result<NativeParsed> parse_native(Request& request, const DialectContext& context, const Endpoint& endpoint, const Preset* preset,
                                  bool need_image) {
  UploadOptions upload_options;
  upload_options.max_image_bytes = context.max_upload_bytes;
  upload_options.attachment_fields = kNativeAttachmentFields;
  NativeParsed job;
  auto request_fields = request_params(request, upload_options, job.upload);
  if (!request_fields) return request_fields.error();
  job.params = std::move(*request_fields);
  if (need_image && !job.upload.has_image()) {
    return make_error(ErrorCode::InvalidInput,
                      request.method == "GET" ? "GET needs url=<image URL>; or POST the image as multipart file, raw body or JSON base64"
                                              : "no image in the request: send multipart file, a raw image body or JSON {\"image\": base64}",
                      "file");
  }
  Params& params = job.params;
  params.erase(std::remove_if(params.begin(), params.end(), [](const auto& p) { return p.first == "url"; }), params.end());
  if (auto s = check_allowed(endpoint, params); !s) return s.error();

  recipe::Recipe& recipe = job.recipe;
  recipe.output.auto_allow_avif = accepts_type(request, "image/avif");
  recipe.output.auto_allow_jxl = accepts_type(request, "image/jxl");
  if (endpoint.defaults) endpoint.defaults(recipe);
  if (preset) {
    recipe.resize = recipe::ResizeSpec{preset->width, preset->height, recipe::FitMode::Fill, recipe::Gravity::Centre, false};
  }
  job.operations = take_operations(params);
  if (auto s = apply_params(native_params(), params, recipe, true); !s) return s.error();
  return job;
}

// A parse made by the classifier, handed to the work stage (its error too: the body is gone).
using StashedParse = std::shared_ptr<Result<NativeParsed>>;

// The access class of one request, from the recipe its parameters make (every spelling and
// place the parser accepts). A URL request's fields are small and its image not fetched
// yet: it is parsed from a copy and parsed again after the fetch.
http::AccessClass classify_native(Request& request, const DialectContext& context, const Endpoint& endpoint, const Preset* preset) {
  Result<NativeParsed> parsed = make_error(ErrorCode::InvalidInput, "unparsed");
  if (wants_url_input(request)) {
    Request copy = request;
    parsed = parse_native(copy, context, endpoint, preset, false);
  } else {
    parsed = parse_native(request, context, endpoint, preset, true);
    auto stash = std::make_shared<Result<NativeParsed>>(std::move(parsed));
    request.parsed = stash;
    return *stash && recipe_uses_ai((*stash)->recipe) ? http::AccessClass::Ai : http::AccessClass::Cpu;
  }
  return parsed && recipe_uses_ai(parsed->recipe) ? http::AccessClass::Ai : http::AccessClass::Cpu;
}

Response process_request(Request& request, const core::Deadline& deadline, const DialectContext& context,
                         const Endpoint& endpoint, const Preset* preset) {
  Result<NativeParsed> parsed = make_error(ErrorCode::InvalidInput, "unparsed");
  if (auto* stash = std::any_cast<StashedParse>(&request.parsed)) {
    parsed = std::move(**stash);
    request.parsed.reset();
  } else {
    parsed = parse_native(request, context, endpoint, preset, true);
  }
  if (!parsed) return native_error(parsed.error());
  NativeParsed& job = *parsed;
  Upload& upload = job.upload;
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
  if (!request.fetched_url.empty()) {
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
          .work_handler = [&endpoint, context](Request& r, const core::Deadline& d) { return process_request(r, d, context, endpoint, nullptr); },
          .render_error = native_error,
          .prepare = url_stage(context),
          .wants_prepare = wants_url_input,
          .classify = always_ai ? http::WorkClassifier{}
                                : [&endpoint, context](Request& r) { return classify_native(r, context, endpoint, nullptr); },
      });
    }
  }
  static const Endpoint preset_endpoint{"preset", native_endpoint_params("preset"), nullptr, false};
  for (const char* method : {"GET", "POST"}) {
    group.routes.push_back({
        .method = method,
        .pattern = "/api/v1/preset/*",
        .name = "native.preset",
        .work_handler =
            [context](Request& r, const core::Deadline& d) {
              const std::string name = r.path.substr(std::string("/api/v1/preset/").size());
              const Preset* preset = find_preset(name);
              if (!preset) {
                return native_error(make_error(ErrorCode::NotFound, "unknown preset: " + name.substr(0, 64) + " (GET /v1/presets lists them)", "name"));
              }
              return process_request(r, d, context, preset_endpoint, preset);
            },
        .render_error = native_error,
        .prepare = url_stage(context),
        .wants_prepare = wants_url_input,
        .classify =
            [context](Request& r) {
              const Preset* preset = find_preset(r.path.substr(std::string("/api/v1/preset/").size()));
              return preset ? classify_native(r, context, preset_endpoint, preset) : http::AccessClass::Cpu;
            },
    });
  }
  return group;
}

}  // namespace pixmill::dialects
