#include "core/error.h"

namespace pixmill::core {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput: return "INVALID_INPUT";
    case ErrorCode::FileTooLarge: return "FILE_TOO_LARGE";
    case ErrorCode::UnsupportedFormat: return "UNSUPPORTED_FORMAT";
    case ErrorCode::InvalidImage: return "INVALID_IMAGE";
    case ErrorCode::TooManyPixels: return "TOO_MANY_PIXELS";
    case ErrorCode::TooManyFrames: return "TOO_MANY_FRAMES";
    case ErrorCode::Timeout: return "TIMEOUT";
    case ErrorCode::ProcessingFailed: return "PROCESSING_FAILED";
    case ErrorCode::Internal: return "INTERNAL_ERROR";
    case ErrorCode::Unauthorized: return "UNAUTHORIZED";
    case ErrorCode::RateLimited: return "RATE_LIMIT_EXCEEDED";
    case ErrorCode::QuotaExceeded: return "QUOTA_EXCEEDED";
    case ErrorCode::Overloaded: return "SERVER_BUSY";
    case ErrorCode::ModelUnavailable: return "MODEL_UNAVAILABLE";
    case ErrorCode::NotFound: return "NOT_FOUND";
    case ErrorCode::MethodNotAllowed: return "METHOD_NOT_ALLOWED";
    case ErrorCode::FetchFailed: return "FETCH_FAILED";
    case ErrorCode::UrlNotAllowed: return "URL_NOT_ALLOWED";
    case ErrorCode::ModelFetchFailed: return "MODEL_FETCH_FAILED";
  }
  return "INTERNAL_ERROR";
}

}  // namespace pixmill::core
