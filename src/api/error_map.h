#pragma once
// The one place where an ErrorCode becomes an HTTP status and a code string, for
// each dialect side by side (petiteimg answers an oversized upload with 400, Feather
// with 413: the table makes such differences visible). The URL grammars (imgproxy,
// thumbor, imagor, Cloudflare) answer with their peer's status and public message.

#include <string_view>

#include "core/error.h"

namespace pixmill::api {

enum class Dialect { Native, Petite, Feather, Imgproxy, Thumbor, Imagor, Cloudflare };

struct HttpError {
  int status;
  std::string_view code;
  // The peer's own public text for this failure: imgproxy's "Invalid URL", imagor's
  // "url signature mismatch", Cloudflare's error number ("9401"). Empty for our dialects.
  std::string_view peer_message = {};
};

HttpError map_error(ErrorCode code, Dialect dialect);

}  // namespace pixmill::api
