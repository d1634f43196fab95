// GET|POST /api/v1/info: the facts of an image as JSON (info/describe.h). The image comes
// as for /api/v1/process (multipart file, raw body, JSON base64, or url=). Parameters:
// gps=true adds the GPS coordinates to the EXIF summary; faces=true adds the face boxes
// (the detector on the AI pool; metered in the AI bucket).

#include "core/bytes.h"
#include "core/text.h"
#include "dialects/dialect.h"
#include "dialects/param_table.h"
#include "dialects/upload.h"
#include "http/stages.h"
#include "info/describe.h"
#include "pipeline/face_report.h"

namespace pixmill::dialects {
namespace {

using http::Request;
using http::Response;

struct InfoOptions {
  info::DescribeOptions describe;
  bool faces = false;
};

Result<InfoOptions> info_options(const Params& params) {
  InfoOptions options;
  for (const auto& [name, value] : params) {
    if (name == "url") continue;
    if (name != "gps" && name != "faces") {
      const std::string shown = name.size() > 64 ? name.substr(0, 64) + "..." : name;
      return make_error(ErrorCode::InvalidInput, "unknown parameter: " + shown + " (/api/v1/info takes gps and faces)", shown);
    }
    auto on = core::parse_bool(value);
    if (!on) return make_error(ErrorCode::InvalidInput, name + " must be true or false", name);
    (name == "gps" ? options.describe.gps_position : options.faces) = *on;
  }
  return options;
}

// An info request's image and parameters (the parse stage's value).
struct InfoParsed {
  Upload upload;
  Params params;
  std::string fetched_url;  // where the fetch stage found the image; empty for an upload
};

Result<InfoParsed> parse_info(Request& request, const DialectContext& context) {
  UploadOptions upload_options;
  upload_options.max_image_bytes = context.max_upload_bytes;
  InfoParsed parsed;
  auto params = request_params(request, upload_options, parsed.upload);
  if (!params) return params.error();
  parsed.params = std::move(*params);
  return parsed;
}

// faces=true runs the detector: AI work, wherever the parameter is (query, form, JSON).
http::AccessClass classify_info(const InfoParsed& parsed) {
  auto options = info_options(parsed.params);
  return options && options->faces ? http::AccessClass::Ai : http::AccessClass::Cpu;
}

nlohmann::json face_boxes(const pipeline::FaceReport& report) {
  nlohmann::json faces = nlohmann::json::array();
  for (const auto& f : report.faces) {
    faces.push_back({{"x", f.x}, {"y", f.y}, {"width", f.width}, {"height", f.height}, {"score", f.score}});
  }
  return faces;
}

Response info_request(InfoParsed& parsed, const core::Deadline& deadline, const DialectContext& context) {
  Upload& upload = parsed.upload;
  auto options = info_options(parsed.params);
  if (!options) return native_error(options.error());
  if (!upload.has_image()) {
    return native_error(make_error(ErrorCode::InvalidInput, "no image: GET with url=<image URL>, or POST the image", "file"));
  }
  auto facts = info::describe_image(core::as_bytes(upload.image), context.limits, options->describe, deadline);
  if (!facts) return native_error(facts.error());
  nlohmann::json body = info::facts_json(*facts);
  if (options->faces) {
    if (!context.segmenter) return native_error(make_error(ErrorCode::ModelUnavailable, "face detection is not available on this server", "faces"));
    auto report = pipeline::find_faces_in_image(core::as_bytes(upload.image), context.limits, deadline, *context.segmenter);
    if (!report) return native_error(report.error());
    body["faces"] = face_boxes(*report);
  }
  Response response = http::json_response(200, body.dump());
  // Facts are a property of the bytes: an answer made from a URL is as cacheable as an image.
  if (!parsed.fetched_url.empty()) {
    response.set("Cache-Control", "public, max-age=" + std::to_string(context.url_input.cache_max_age_s));
  }
  return response;
}

}  // namespace

std::vector<http::RouteSpec> native_info_routes(const DialectContext& context) {
  std::vector<http::RouteSpec> routes;
  for (const char* method : {"GET", "POST"}) {
    routes.push_back({
        .method = method,
        .pattern = "/api/v1/info",
        .name = "native.info",
        .stages = http::stages<InfoParsed>({
            .parse = [context](Request& r) { return parse_info(r, context); },
            .classify = classify_info,
            .wants_fetch = wants_url_input,
            .fetch = url_fetch_stage<InfoParsed>(context.url_input),
            .work = [context](InfoParsed& parsed, const Request&, const core::Deadline& d) -> Result<Response> {
              return info_request(parsed, d, context);
            },
        }),
        .render_error = native_error,
    });
  }
  return routes;
}

}  // namespace pixmill::dialects
