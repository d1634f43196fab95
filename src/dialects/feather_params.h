#pragma once
// Feather's /api/compress and /api/convert fields, as one table (seed ranges).

#include "core/result.h"
#include "dialects/param_table.h"

namespace pixmill::dialects {

const ParamTable& feather_params();

// Builds the recipe; `convert` applies /api/convert's rules (outputFormat required and
// not auto; targetMB ignored).
Result<recipe::Recipe> parse_feather_fields(const Params& fields, bool convert);

}  // namespace pixmill::dialects
