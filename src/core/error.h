#pragma once
// The one error vocabulary of pixmill. Every layer returns these as values; the
// HTTP status and each dialect's code string are chosen in src/api/error_map.cpp.
// Declared in pixmill::core and re-exported into pixmill: every folder names them
// unqualified (Error, ErrorCode, make_error), as the root vocabulary of the project.

#include <string>
#include <string_view>

namespace pixmill::core {

enum class ErrorCode {
  InvalidInput,       // a parameter is missing, malformed or out of range
  FileTooLarge,       // the upload or fetched body exceeds its byte limit
  UnsupportedFormat,  // the bytes are not a format we accept
  InvalidImage,       // the bytes claim a format we accept but do not decode
  TooManyPixels,      // header dimensions over MAX_PIXELS (decompression bomb)
  TooManyFrames,      // animation over the frame limit
  Timeout,            // the work ran past REQUEST_TIMEOUT_MS
  ProcessingFailed,   // libvips or an encoder failed on a valid image
  Internal,           // our own bug or an unexpected condition
  Unauthorized,       // missing or invalid API key
  RateLimited,        // a per-minute limit is spent
  QuotaExceeded,      // the key's monthly image quota is spent
  Overloaded,         // the work queue is full
  ModelUnavailable,   // background removal asked for but no model loaded
  NotFound,           // unknown route or preset
  MethodNotAllowed,   // known route, wrong method
  FetchFailed,        // an image URL could not be fetched
  UrlNotAllowed,      // an image URL points somewhere we refuse to go
  ModelFetchFailed,   // the model proxy could not get the model from its upstream
};

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string field;    // the parameter at fault, if any
  std::string message;  // safe to show to a client: never internal library text
};

inline Error make_error(ErrorCode code, std::string message, std::string field = {}) {
  return Error{code, std::move(field), std::move(message)};
}

// Stable SCREAMING_CASE name, used in logs, the CLI and Feather's error codes.
std::string_view error_code_name(ErrorCode code);

}  // namespace pixmill::core

namespace pixmill {
using core::Error;
using core::ErrorCode;
using core::error_code_name;
using core::make_error;
}  // namespace pixmill
