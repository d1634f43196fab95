#pragma once
// Taking the image and the text fields out of a request body, whatever its shape:
// multipart/form-data (file part), a raw image/* or octet-stream body, JSON with a
// base64 or data-URL image, or a url-encoded form. Shared by all dialects.

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "dialects/param_table.h"
#include "http/message.h"

namespace pixmill::dialects {

// A second image in the request (a watermark): its label is what the field list carries
// in its place ("part:watermark#1"), so that the layer keeps its position among the fields.
struct Attachment {
  std::string label;  // "watermark#1"
  std::shared_ptr<const std::string> bytes;
};

struct Upload {
  std::string image;     // the image bytes (empty when none was sent)
  std::string filename;  // as the client named it, for Content-Disposition only
  Params fields;         // every other field, in order
  std::string background_image;  // a second image (multipart part or JSON base64 "bgImage"): a cut-out's new background
  std::vector<Attachment> attachments;  // parts named in UploadOptions::attachment_fields
  bool has_image() const { return !image.empty(); }
};

struct UploadOptions {
  std::vector<std::string> file_fields = {"file", "image"};  // multipart / JSON names of the image
  std::string background_field = "bgImage";                 // ... and of the background image (empty: none)
  // Names of further image parts (multipart files, or base64 data: URLs in JSON and
  // multipart text fields), kept as attachments. Empty: such parts are not images.
  std::vector<std::string> attachment_fields;
  size_t max_attachments = 16;
  size_t max_image_bytes = 25u << 20;
};

// The body is moved from (no copy of a raw image body).
Result<Upload> extract_upload(http::Request& request, const UploadOptions& options);

// The request's parameters: its query, then the body's fields (the body is extracted into
// `upload` when there is one). The body is moved from.
Result<Params> request_params(http::Request& request, const UploadOptions& options, Upload& upload);

// Decodes standard or URL-safe base64, with or without a data: URL prefix.
Result<std::string> decode_base64_image(std::string_view text);

// "photo.jpg" -> "photo"; anything odd becomes "image". Safe inside a quoted header value.
std::string base_name(std::string_view filename);

}  // namespace pixmill::dialects
