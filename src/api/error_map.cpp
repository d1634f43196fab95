#include "api/error_map.h"

namespace pixmill::api {
namespace {

struct Row {
  ErrorCode code;
  int native;
  int petite;   // petiteimg documents 400, 401, 429, 500; transport limits keep their own status
  int feather;
  int imgproxy;  // imgproxy 3/4 (errctx status codes in its source)
  int thumbor;   // thumbor answers 400 with an empty body for every URL problem
  int imagor;
  int cloudflare;
};

// clang-format off
constexpr Row kRows[] = {
    //  code                          native petite feather imgproxy thumbor imagor cloudflare
    {ErrorCode::InvalidInput,          400,   400,   400,    404,     400,    400,   400},
    {ErrorCode::FileTooLarge,          413,   400,   413,    422,     400,    400,   413},
    {ErrorCode::UnsupportedFormat,     415,   400,   415,    422,     400,    406,   415},
    {ErrorCode::InvalidImage,          422,   400,   422,    422,     400,    406,   415},
    {ErrorCode::TooManyPixels,         422,   400,   422,    422,     400,    422,   413},
    {ErrorCode::TooManyFrames,         422,   400,   422,    422,     400,    422,   413},
    {ErrorCode::Timeout,               504,   504,   504,    503,     504,    408,   504},
    {ErrorCode::ProcessingFailed,      500,   500,   500,    500,     500,    500,   500},
    {ErrorCode::Internal,              500,   500,   500,    500,     500,    500,   500},
    {ErrorCode::Unauthorized,          401,   401,   401,    403,     401,    401,   401},
    {ErrorCode::RateLimited,           429,   429,   429,    429,     429,    429,   429},
    {ErrorCode::QuotaExceeded,         429,   429,   429,    429,     429,    429,   429},
    {ErrorCode::Overloaded,            503,   503,   503,    429,     503,    429,   503},
    {ErrorCode::ModelUnavailable,      503,   503,   503,    503,     503,    503,   503},
    {ErrorCode::NotFound,              404,   404,   404,    404,     404,    404,   404},
    {ErrorCode::MethodNotAllowed,      405,   405,   405,    405,     405,    405,   405},
    {ErrorCode::FetchFailed,           502,   400,   502,    404,     502,    502,   502},
    {ErrorCode::UrlNotAllowed,         400,   400,   400,    404,     400,    403,   400},
    {ErrorCode::ModelFetchFailed,      502,   502,   502,    502,     502,    502,   502},
    {ErrorCode::SignatureInvalid,      401,   401,   401,    403,     400,    403,   403},
    {ErrorCode::Expired,               401,   401,   401,    404,     400,    410,   403},
    {ErrorCode::UnsupportedOption,     400,   400,   400,    404,     400,    400,   400},
};

// The peers' public texts. imgproxy: errctx PublicMessage; imagor: its Error.Message;
// Cloudflare: the error number it puts in Cf-Resized (developers.cloudflare.com/images
// reference/troubleshooting). thumbor sends no text.
struct PeerText {
  ErrorCode code;
  std::string_view imgproxy;
  std::string_view imagor;
  std::string_view cloudflare;
};

constexpr PeerText kPeerTexts[] = {
    //  code                          imgproxy                        imagor                        cloudflare
    {ErrorCode::InvalidInput,          "Invalid URL",                  "invalid",                    "9401"},
    {ErrorCode::FileTooLarge,          "Invalid source image",         "maximum size exceeded",      "9402"},
    {ErrorCode::UnsupportedFormat,     "Invalid URL",                  "unsupported format",         "9412"},
    {ErrorCode::InvalidImage,          "Broken or unsupported image",  "unsupported format",         "9412"},
    {ErrorCode::TooManyPixels,         "Invalid source image",         "maximum resolution exceeded", "9413"},
    {ErrorCode::TooManyFrames,         "Invalid source image",         "maximum resolution exceeded", "9413"},
    {ErrorCode::Timeout,               "Timeout",                      "timeout",                    "9402"},
    {ErrorCode::ProcessingFailed,      "Internal error",               "internal error",             "9500"},
    {ErrorCode::Internal,              "Internal error",               "internal error",             "9500"},
    {ErrorCode::Unauthorized,          "Forbidden",                    "unauthorized",               "9403"},
    {ErrorCode::RateLimited,           "Too many requests",            "too many requests",          "9429"},
    {ErrorCode::QuotaExceeded,         "Too many requests",            "too many requests",          "9429"},
    {ErrorCode::Overloaded,            "Too many requests",            "too many requests",          "9503"},
    {ErrorCode::ModelUnavailable,      "Service unavailable",          "service unavailable",        "9503"},
    {ErrorCode::NotFound,              "Not found",                    "not found",                  "9404"},
    {ErrorCode::MethodNotAllowed,      "Method not allowed",           "method not allowed",         "9401"},
    {ErrorCode::FetchFailed,           "Source is unreachable",        "bad gateway",                "9509"},
    {ErrorCode::UrlNotAllowed,         "Invalid source URL",           "http source not allowed",    "9406"},
    {ErrorCode::ModelFetchFailed,      "Internal error",               "internal error",             "9500"},
    {ErrorCode::SignatureInvalid,      "Forbidden",                    "url signature mismatch",     "9403"},
    {ErrorCode::Expired,               "Invalid URL",                  "expired",                    "9403"},
    {ErrorCode::UnsupportedOption,     "Invalid URL",                  "invalid",                    "9401"},
};
// clang-format on

int status_of(const Row& row, Dialect dialect) {
  switch (dialect) {
    case Dialect::Native: return row.native;
    case Dialect::Petite: return row.petite;
    case Dialect::Feather: return row.feather;
    case Dialect::Imgproxy: return row.imgproxy;
    case Dialect::Thumbor: return row.thumbor;
    case Dialect::Imagor: return row.imagor;
    case Dialect::Cloudflare: return row.cloudflare;
  }
  return 500;
}

std::string_view peer_text(ErrorCode code, Dialect dialect) {
  for (const PeerText& t : kPeerTexts) {
    if (t.code != code) continue;
    if (dialect == Dialect::Imgproxy) return t.imgproxy;
    if (dialect == Dialect::Imagor) return t.imagor;
    if (dialect == Dialect::Cloudflare) return t.cloudflare;
  }
  return {};
}

}  // namespace

HttpError map_error(ErrorCode code, Dialect dialect) {
  for (const Row& row : kRows) {
    if (row.code != code) continue;
    return {status_of(row, dialect), error_code_name(code), peer_text(code, dialect)};
  }
  return {500, "INTERNAL_ERROR", peer_text(ErrorCode::Internal, dialect)};
}

}  // namespace pixmill::api
