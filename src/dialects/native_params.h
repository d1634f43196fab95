#pragma once
// The native (TheGlitch-style, /api/v1/*) parameter vocabulary. Also used by the
// `pixmill process` command line, so the CLI and the API cannot disagree.

#include "dialects/param_table.h"

namespace pixmill::dialects {

// The full native table. Effects use TheGlitch's -100..100 style scales.
const ParamTable& native_params();

// Native scale (-100..100) to the recipe's multiplier (0.1..2): 0 is unchanged.
double native_level_to_multiplier(double level);

// Native sharpen level (0..100) to an unsharp-mask sigma; 0 is off.
double native_sharpen_to_sigma(double level);

}  // namespace pixmill::dialects
