#pragma once
// Decoding a watermark image: the same loaders and limits as the main input (its own
// pixel limit, Limits::max_overlay_pixels), first frame only, as 8-bit sRGB with alpha.

#include <cstdint>
#include <span>

#include <vips/vips8>

#include "core/result.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

// Errors name the field "watermark": UnsupportedFormat, InvalidImage, TooManyPixels.
// The result is in memory and owns its pixels (it is reused for every frame and tile).
Result<vips::VImage> decode_overlay(std::span<const uint8_t> bytes, const Limits& limits);

}  // namespace pixmill::pipeline
