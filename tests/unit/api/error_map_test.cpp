#include "api/error_map.h"

#include <gtest/gtest.h>

namespace pixmill::api {
namespace {

constexpr ErrorCode kAll[] = {
    ErrorCode::InvalidInput, ErrorCode::FileTooLarge,     ErrorCode::UnsupportedFormat, ErrorCode::InvalidImage,
    ErrorCode::TooManyPixels, ErrorCode::TooManyFrames,   ErrorCode::Timeout,           ErrorCode::ProcessingFailed,
    ErrorCode::Internal,     ErrorCode::Unauthorized,     ErrorCode::RateLimited,       ErrorCode::QuotaExceeded,
    ErrorCode::Overloaded,   ErrorCode::ModelUnavailable, ErrorCode::NotFound,          ErrorCode::MethodNotAllowed,
    ErrorCode::FetchFailed,  ErrorCode::UrlNotAllowed,    ErrorCode::ModelFetchFailed,  ErrorCode::SignatureInvalid,
    ErrorCode::Expired,      ErrorCode::UnsupportedOption};
constexpr Dialect kDialects[] = {Dialect::Native,  Dialect::Petite, Dialect::Feather,   Dialect::Imgproxy,
                                 Dialect::Thumbor, Dialect::Imagor, Dialect::Cloudflare};

TEST(ErrorMap, EveryCodeHasAStatusInEveryDialect) {
  for (Dialect d : kDialects) {
    for (ErrorCode c : kAll) {
      const HttpError e = map_error(c, d);
      EXPECT_GE(e.status, 400) << error_code_name(c);
      EXPECT_LT(e.status, 600) << error_code_name(c);
    }
  }
}

// A client's bytes are never our fault: damaged or unsupported input is a 4xx everywhere.
TEST(ErrorMap, ClientFaultsAre4xxAndOursAre5xx) {
  for (Dialect d : kDialects) {
    for (ErrorCode c : {ErrorCode::InvalidInput, ErrorCode::FileTooLarge, ErrorCode::UnsupportedFormat, ErrorCode::InvalidImage,
                        ErrorCode::TooManyPixels, ErrorCode::TooManyFrames, ErrorCode::Unauthorized, ErrorCode::RateLimited}) {
      EXPECT_LT(map_error(c, d).status, 500) << error_code_name(c);
    }
    EXPECT_GE(map_error(ErrorCode::Internal, d).status, 500);
  }
  // Our dialects say "busy" with 503; imgproxy and imagor answer their own 429.
  for (Dialect d : {Dialect::Native, Dialect::Petite, Dialect::Feather}) EXPECT_EQ(map_error(ErrorCode::Overloaded, d).status, 503);
}

TEST(ErrorMap, TheSeedsDifferencesAreKept) {
  // petiteimg answers an oversized upload with 400, Feather and the native API with 413.
  EXPECT_EQ(map_error(ErrorCode::FileTooLarge, Dialect::Petite).status, 400);
  EXPECT_EQ(map_error(ErrorCode::FileTooLarge, Dialect::Feather).status, 413);
  EXPECT_EQ(map_error(ErrorCode::FileTooLarge, Dialect::Native).status, 413);
  EXPECT_EQ(map_error(ErrorCode::RateLimited, Dialect::Native).status, 429);
  EXPECT_EQ(map_error(ErrorCode::InvalidImage, Dialect::Native).status, 422);
  EXPECT_EQ(map_error(ErrorCode::Timeout, Dialect::Native).status, 504);
  EXPECT_EQ(map_error(ErrorCode::NotFound, Dialect::Native).code, "NOT_FOUND");
}

}  // namespace
}  // namespace pixmill::api
