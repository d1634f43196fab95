// GET|POST /api/v1/info: the facts of an image as JSON (info/describe.h). The image comes
// as for /api/v1/process (multipart file, raw body, JSON base64, or url=); the only
// parameter is gps=true, which adds the GPS coordinates to the EXIF summary.

#include "core/bytes.h"
#include "core/text.h"
#include "dialects/dialect.h"
#include "dialects/param_table.h"
#include "dialects/upload.h"
#include "info/describe.h"

namespace pixmill::dialects {
namespace {

using http::Request;
using http::Response;

Result<info::DescribeOptions> info_options(const Params& params) {
  info::DescribeOptions options;
  for (const auto& [name, value] : params) {
    if (name == "url") continue;
    if (name != "gps") {
      const std::string shown = name.size() > 64 ? name.substr(0, 64) + "..." : name;
      return make_error(ErrorCode::InvalidInput, "unknown parameter: " + shown + " (/api/v1/info takes gps only)", shown);
    }
    auto on = core::parse_bool(value);
    if (!on) return make_error(ErrorCode::InvalidInput, "gps must be true or false", "gps");
    options.gps_position = *on;
  }
  return options;
}

Response info_request(Request& request, const core::Deadline& deadline, const DialectContext& context) {
  UploadOptions upload_options;
  upload_options.max_image_bytes = context.max_upload_bytes;
  Upload upload;
  auto params = request_params(request, upload_options, upload);
  if (!params) return native_error(params.error());
  auto options = info_options(*params);
  if (!options) return native_error(options.error());
  if (!upload.has_image()) {
    return native_error(make_error(ErrorCode::InvalidInput, "no image: GET with url=<image URL>, or POST the image", "file"));
  }
  auto facts = info::describe_image(core::as_bytes(upload.image), context.limits, *options, deadline);
  if (!facts) return native_error(facts.error());
  Response response = http::json_response(200, info::facts_json(*facts).dump());
  // Facts are a property of the bytes: an answer made from a URL is as cacheable as an image.
  if (!request.header(kFetchedHeader).empty()) {
    response.set("Cache-Control", "public, max-age=" + std::to_string(context.url_input.cache_max_age_s));
  }
  return response;
}

}  // namespace

void register_native_info_routes(http::Router& router, const DialectContext& context) {
  for (const char* method : {"GET", "POST"}) {
    router.add(http::Route{method, "/api/v1/info", "native.info", nullptr,
                           [context](Request& r, const core::Deadline& d) { return info_request(r, d, context); }, native_error,
                           url_stage(context), wants_url_input});
  }
}

}  // namespace pixmill::dialects
