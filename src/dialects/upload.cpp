#include "core/bytes.h"
#include "dialects/upload.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/base64.h"
#include "core/text.h"
#include "http/multipart.h"
#include "http/url.h"
#include "pipeline/sniff.h"
#include "recipe/overlay_source.h"

namespace pixmill::dialects {
namespace {

bool is_file_field(const UploadOptions& o, std::string_view name) {
  return std::find(o.file_fields.begin(), o.file_fields.end(), name) != o.file_fields.end();
}

bool is_attachment_field(const UploadOptions& o, std::string_view name) {
  return std::find(o.attachment_fields.begin(), o.attachment_fields.end(), name) != o.attachment_fields.end();
}

// Keeps a second image and puts its label among the fields where the part was.
Status add_attachment(Upload& upload, const UploadOptions& options, const std::string& name, std::string bytes) {
  if (upload.attachments.size() >= options.max_attachments) {
    return make_error(ErrorCode::InvalidInput, "at most " + std::to_string(options.max_attachments) + " " + name + " parts", name);
  }
  if (bytes.size() > options.max_image_bytes) return make_error(ErrorCode::FileTooLarge, name + " is too large", name);
  const std::string label = name + "#" + std::to_string(upload.attachments.size() + 1);
  upload.attachments.push_back({label, std::make_shared<const std::string>(std::move(bytes))});
  upload.fields.emplace_back(name, std::string(recipe::kUploadedPartPrefix) + label);
  return ok_status();
}

// A base64 data: URL in a text field named as an attachment.
Status add_data_url_attachment(Upload& upload, const UploadOptions& options, const std::string& name, std::string_view text) {
  auto decoded = decode_base64_image(text);
  if (!decoded) {
    Error e = decoded.error();
    e.field = name;
    return e;
  }
  return add_attachment(upload, options, name, std::move(*decoded));
}

// The body is split in place: parts are positions in it, small fields are copied out,
// and the image part takes over the body's own buffer, so one copy of the upload (not
// two) lives through the parse and the image work.
Result<Upload> from_multipart(http::Request& request, std::string_view content_type, const UploadOptions& options) {
  auto boundary = http::multipart_boundary(content_type);
  if (!boundary) return make_error(ErrorCode::InvalidInput, "multipart body without a valid boundary");
  http::MultipartLimits limits;
  limits.max_file_bytes = options.max_image_bytes;
  auto parts = http::split_multipart(request.body, *boundary, limits);
  if (!parts) return parts.error();
  const std::string_view body = request.body;
  Upload upload;
  const http::MultipartPart* image_part = nullptr;  // taken last: it moves the body away
  for (const http::MultipartPart& part : *parts) {
    const std::string_view data = body.substr(part.offset, part.size);
    if (is_file_field(options, part.name) && (part.is_file() || !data.empty())) {
      if (upload.has_image() || (image_part && image_part->size > 0)) return make_error(ErrorCode::InvalidInput, "more than one file was sent", part.name);
      // A text field named "image" may carry base64, as in the JSON form.
      if (!part.is_file() && data.rfind("data:", 0) == 0) {
        auto decoded = decode_base64_image(data);
        if (!decoded) return decoded.error();
        upload.image = std::move(*decoded);
        image_part = nullptr;
      } else {
        image_part = &part;
      }
      upload.filename = part.filename;
    } else if (!options.background_field.empty() && part.name == options.background_field) {
      if (!part.is_file() && recipe::is_http_url(data)) {
        upload.fields.emplace_back(part.name, std::string(data));  // a URL: the dialect fetches it
      } else {
        auto background = part.is_file() ? Result<std::string>(std::string(data)) : decode_base64_image(data);
        if (!background) return background.error();
        upload.background_image = std::move(*background);
      }
    } else if (is_attachment_field(options, part.name) && (part.is_file() || data.rfind("data:", 0) == 0)) {
      const Status added = part.is_file() ? add_attachment(upload, options, part.name, std::string(data))
                                          : add_data_url_attachment(upload, options, part.name, data);
      if (!added) return added.error();
    } else if (!part.is_file()) {
      upload.fields.emplace_back(part.name, std::string(data));
    }
  }
  if (image_part) {
    upload.image = std::move(request.body);
    upload.image.erase(0, image_part->offset);  // a memmove within the same buffer
    upload.image.resize(image_part->size);
  } else {
    std::string().swap(request.body);
  }
  return upload;
}

Result<Upload> from_json(const http::Request& request, const UploadOptions& options) {
  nlohmann::json doc = nlohmann::json::parse(request.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return make_error(ErrorCode::InvalidInput, "body is not a JSON object");
  Upload upload;
  for (auto& [key, value] : doc.items()) {
    if (is_file_field(options, key)) {
      if (!value.is_string()) return make_error(ErrorCode::InvalidInput, key + " must be a base64 string or data URL", key);
      auto decoded = decode_base64_image(value.get_ref<const std::string&>());
      if (!decoded) return decoded.error();
      upload.image = std::move(*decoded);
    } else if (!options.background_field.empty() && key == options.background_field && value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      if (recipe::is_http_url(text)) {
        upload.fields.emplace_back(key, text);  // a URL: the dialect fetches it
      } else {
        auto decoded = decode_base64_image(text);
        if (!decoded) return decoded.error();
        upload.background_image = std::move(*decoded);
      }
    } else if (is_attachment_field(options, key) && value.is_string() &&
               value.get_ref<const std::string&>().rfind("data:", 0) == 0) {
      if (auto added = add_data_url_attachment(upload, options, key, value.get_ref<const std::string&>()); !added) {
        return added.error();
      }
    } else if (key == "filename" && value.is_string()) {
      upload.filename = value.get<std::string>();
    } else if (value.is_string()) {
      upload.fields.emplace_back(key, value.get<std::string>());
    } else if (value.is_number() || value.is_boolean()) {
      upload.fields.emplace_back(key, value.dump());
    } else if (value.is_null()) {
      continue;
    } else {
      upload.fields.emplace_back(key, value.dump());  // arrays/objects: the dialect decides (petiteimg operations)
    }
  }
  return upload;
}

}  // namespace

Result<std::string> decode_base64_image(std::string_view text) {
  if (text.rfind("data:", 0) == 0) {
    size_t comma = text.find(',');
    if (comma == std::string_view::npos || text.substr(0, comma).find(";base64") == std::string_view::npos) {
      return make_error(ErrorCode::InvalidInput, "data URL must be base64-encoded", "image");
    }
    text.remove_prefix(comma + 1);
  }
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    const bool valid = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
    if (!valid) return make_error(ErrorCode::InvalidInput, "image is not valid base64", "image");
    clean.push_back(c);
  }
  while (clean.size() % 4 != 0) clean.push_back('=');
  auto decoded = core::base64_decode(clean);
  if (!decoded) return make_error(ErrorCode::InvalidInput, "image is not valid base64", "image");
  return std::move(*decoded);
}

std::string base_name(std::string_view filename) {
  size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  size_t dot = filename.rfind('.');
  if (dot != std::string_view::npos && dot > 0) filename = filename.substr(0, dot);
  std::string out;
  for (char c : filename.substr(0, 100)) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ' ') out.push_back(c);
  }
  return out.empty() ? "image" : out;
}

Result<Params> request_params(http::Request& request, const UploadOptions& options, Upload& upload) {
  Params params = request.query;
  if (request.body.empty()) return params;
  auto extracted = extract_upload(request, options);
  if (!extracted) return extracted.error();
  upload = std::move(*extracted);
  params.insert(params.end(), upload.fields.begin(), upload.fields.end());
  return params;
}

Result<Upload> extract_upload(http::Request& request, const UploadOptions& options) {
  const std::string content_type = core::ascii_lower(request.header("content-type"));
  if (content_type.rfind("multipart/form-data", 0) == 0) {
    const std::string type(request.header("content-type"));
    return from_multipart(request, type, options);
  }
  if (content_type.rfind("application/json", 0) == 0) return from_json(request, options);
  // curl --data-binary labels any body as a url-encoded form; image bytes win over the label.
  const bool image_bytes = pipeline::sniff_format(core::as_bytes(request.body)) != recipe::InputFormat::Unknown;
  if (content_type.rfind("application/x-www-form-urlencoded", 0) == 0 && !image_bytes) {
    auto fields = http::parse_query(request.body);
    if (!fields) return make_error(ErrorCode::InvalidInput, "malformed form body");
    Upload upload;
    for (auto& [name, value] : *fields) {
      if (is_file_field(options, name)) {
        auto decoded = decode_base64_image(value);
        if (!decoded) return decoded.error();
        upload.image = std::move(*decoded);
      } else {
        upload.fields.emplace_back(std::move(name), std::move(value));
      }
    }
    return upload;
  }
  // Anything else is the raw image: image/*, application/octet-stream, or no type at all.
  Upload upload;
  upload.image = std::move(request.body);
  return upload;
}

}  // namespace pixmill::dialects
