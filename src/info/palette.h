#pragma once
// The colours an image is mostly made of, for placeholders and themes: a coarse 3-D
// histogram (8 levels a channel) of a small copy, the fullest bins reported as the mean
// colour of the pixels in them. Mostly transparent pixels are left out.

#include <vector>

#include "info/pixels.h"
#include "recipe/colour.h"

namespace pixmill::info {

struct PaletteEntry {
  recipe::Colour colour;
  double share = 0.0;  // of the counted pixels, 0..1
};

// At most `count` entries, fullest first, each at least `min_share` of the pixels.
std::vector<PaletteEntry> dominant_colours(const RgbaView& image, int count = 5, double min_share = 0.01);

// The alpha-weighted mean colour (sRGB values averaged); opaque, or transparent when
// every pixel is.
recipe::Colour average_colour(const RgbaView& image);

}  // namespace pixmill::info
