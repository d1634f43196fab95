#pragma once
// Taking the image and the text fields out of a request body, whatever its shape:
// multipart/form-data (file part), a raw image/* or octet-stream body, JSON with a
// base64 or data-URL image, or a url-encoded form. Shared by all dialects.

#include <string>
#include <vector>

#include "core/result.h"
#include "dialects/param_table.h"
#include "http/message.h"

namespace pixmill::dialects {

struct Upload {
  std::string image;     // the image bytes (empty when none was sent)
  std::string filename;  // as the client named it, for Content-Disposition only
  Params fields;         // every other field, in order
  std::string background_image;  // a second image (multipart part or JSON base64 "bgImage"): a cut-out's new background
  bool has_image() const { return !image.empty(); }
};

struct UploadOptions {
  std::vector<std::string> file_fields = {"file", "image"};  // multipart / JSON names of the image
  std::string background_field = "bgImage";                 // ... and of the background image (empty: none)
  size_t max_image_bytes = 25u << 20;
};

// The body is moved from (no copy of a raw image body).
Result<Upload> extract_upload(http::Request& request, const UploadOptions& options);

// Decodes standard or URL-safe base64, with or without a data: URL prefix.
Result<std::string> decode_base64_image(std::string_view text);

// "photo.jpg" -> "photo"; anything odd becomes "image". Safe inside a quoted header value.
std::string base_name(std::string_view filename);

}  // namespace pixmill::dialects
