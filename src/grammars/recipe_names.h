#pragma once
// The grammars build recipes: inside pixmill::grammars the recipe's vocabulary and the
// core helpers they use are named unqualified, through this one list (as pipeline's).

#include "core/bytes.h"
#include "core/deadline.h"
#include "core/digest.h"
#include "recipe/recipe.h"

namespace pixmill::grammars {

using core::as_bytes;
using core::Deadline;
using core::HmacAlgorithm;
using recipe::Colour;
using recipe::CropRect;
using recipe::Effects;
using recipe::FitMode;
using recipe::Gravity;
using recipe::InputFormat;
using recipe::kMaxOutputDimension;
using recipe::Limits;
using recipe::OutputFormat;
using recipe::OutputSpec;
using recipe::parse_colour;
using recipe::Recipe;
using recipe::ResizeSpec;
using recipe::Size;

}  // namespace pixmill::grammars
