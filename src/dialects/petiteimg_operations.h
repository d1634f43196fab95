#pragma once
// petiteimg's `operations` field: a JSON array of {op, settings} turned into a
// Recipe. The pipeline order is fixed (resize -> crop -> compress -> convert), so the
// array order does not matter; a repeated op's last settings win.

#include <string_view>

#include "core/result.h"
#include "recipe/recipe.h"

namespace pixmill::dialects {

Result<recipe::Recipe> parse_petiteimg_operations(std::string_view operations_json);

}  // namespace pixmill::dialects
