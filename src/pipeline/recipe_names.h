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
using recipe::AutoQuality;
using recipe::BlendMode;
using recipe::Colour;
using recipe::Cutout;
using recipe::FaceOptions;
using recipe::FaceRedaction;
using recipe::ColourTools;
using recipe::CropRect;
using recipe::Effects;
using recipe::FitMode;
using recipe::Frame;
using recipe::Gravity;
using recipe::InputFormat;
using recipe::kMaxOperations;
using recipe::kMaxOutputDimension;
using recipe::kMaxOverlays;
using recipe::kMaxTextBytes;
using recipe::kMaxTextLayers;
using recipe::kMaxTextSize;
using recipe::kUploadedPartPrefix;
using recipe::Limits;
using recipe::MaskShape;
using recipe::ModulateSpace;
using recipe::OutputFormat;
using recipe::OutputSpec;
using recipe::Overlay;
using recipe::OverlaySource;
using recipe::parse_colour;
using recipe::parse_output_format;
using recipe::Placement;
using recipe::Recipe;
using recipe::ResizeSpec;
using recipe::Sides;
using recipe::Size;
using recipe::recipe_uses_ai;
using recipe::TextAlign;
using recipe::TextLayer;
using recipe::Trim;
using recipe::Unsharp;

}  // namespace pixmill::pipeline
