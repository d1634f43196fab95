#pragma once
// The pipeline runs recipes: inside pixmill::pipeline the recipe's vocabulary and the
// core's byte and deadline types are named unqualified, through this one list.
// (Functions that take recipe types are found by argument-dependent lookup.)

#include "core/bytes.h"
#include "core/deadline.h"
#include "recipe/recipe.h"

namespace pixmill::pipeline {

using core::as_bytes;
using core::Deadline;
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
using recipe::parse_output_format;
using recipe::Recipe;
using recipe::ResizeSpec;
using recipe::Size;

}  // namespace pixmill::pipeline
