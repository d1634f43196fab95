#pragma once
// The one place where an ErrorCode becomes an HTTP status and a code string, for
// each dialect side by side (petiteimg answers an oversized upload with 400, Feather
// with 413: the table makes such differences visible).

#include <string_view>

#include "core/error.h"

namespace pixmill::api {

enum class Dialect { Native, Petite, Feather };

struct HttpError {
  int status;
  std::string_view code;
};

HttpError map_error(ErrorCode code, Dialect dialect);

}  // namespace pixmill::api
