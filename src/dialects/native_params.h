#pragma once
// The native (TheGlitch-style, /api/v1/*) parameter vocabulary. Also used by the
// `pixmill process` command line, so the CLI and the API cannot disagree.

#include "dialects/param_table.h"

namespace pixmill::dialects {

// The full native table. Effects use TheGlitch's -100..100 style scales.
const ParamTable& native_params();

// Native scale (-100..100) to the recipe's multiplier (0.1..2): 0 is unchanged.
double native_level_to_multiplier(double level);

// A gravity value of the table ("northeast", "top", "smart", …); anything else is centre.
recipe::Gravity gravity_from(const std::string& value);

// Native sharpen level (0..100) to an unsharp-mask sigma; 0 is off.
double native_sharpen_to_sigma(double level);

// ---- compositing, frame and colour tools (native_compositing_params.cpp) ----

// Appends the watermark, text, frame and colour-tool fields and `operations` to the table.
void add_compositing_params(ParamTable& table);

// A layer modifier without its layer (watermarkGravity but no watermark) is an error once
// all parameters are read. Checks the operations too.
Status check_layers_complete(const recipe::Recipe& recipe);

// The `operations` JSON array (native_operations.cpp): each entry a parameter object,
// parsed into its own recipe and appended to recipe.operations.
Status parse_operations(const std::string& json_text, recipe::Recipe& recipe);

}  // namespace pixmill::dialects
