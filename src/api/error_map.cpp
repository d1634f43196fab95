#include "api/error_map.h"

namespace pixmill::api {
namespace {

struct Row {
  ErrorCode code;
  int native;
  int petite;   // petiteimg documents 400, 401, 429, 500; transport limits keep their own status
  int feather;
};

// clang-format off
constexpr Row kRows[] = {
    //  code                          native petite feather
    {ErrorCode::InvalidInput,          400,   400,   400},
    {ErrorCode::FileTooLarge,          413,   400,   413},
    {ErrorCode::UnsupportedFormat,     415,   400,   415},
    {ErrorCode::InvalidImage,          422,   400,   422},
    {ErrorCode::TooManyPixels,         422,   400,   422},
    {ErrorCode::TooManyFrames,         422,   400,   422},
    {ErrorCode::Timeout,               504,   504,   504},
    {ErrorCode::ProcessingFailed,      500,   500,   500},
    {ErrorCode::Internal,              500,   500,   500},
    {ErrorCode::Unauthorized,          401,   401,   401},
    {ErrorCode::RateLimited,           429,   429,   429},
    {ErrorCode::QuotaExceeded,         429,   429,   429},
    {ErrorCode::Overloaded,            503,   503,   503},
    {ErrorCode::ModelUnavailable,      503,   503,   503},
    {ErrorCode::NotFound,              404,   404,   404},
    {ErrorCode::MethodNotAllowed,      405,   405,   405},
    {ErrorCode::FetchFailed,           502,   400,   502},
    {ErrorCode::UrlNotAllowed,         400,   400,   400},
    {ErrorCode::ModelFetchFailed,      502,   502,   502},
};
// clang-format on

}  // namespace

HttpError map_error(ErrorCode code, Dialect dialect) {
  for (const Row& row : kRows) {
    if (row.code != code) continue;
    const int status = dialect == Dialect::Native ? row.native : dialect == Dialect::Petite ? row.petite : row.feather;
    return {status, error_code_name(code)};
  }
  return {500, "INTERNAL_ERROR"};
}

}  // namespace pixmill::api
