#pragma once
// Perceptual distance between two images by libjxl's butteraugli (Debian's libjxl 0.7
// exports it as a library). 0 is identical; about 1 is the threshold of a visible
// difference at normal viewing; the p-norm summarises the whole map rather than
// its single worst pixel.

#include <cstdint>

#include "core/result.h"

namespace pixmill::codecs {

// Both images 8-bit sRGB RGB (3 bands), the same width and height. Returns the
// 3-norm of the distance map (as libjxl's butteraugli_main reports).
Result<double> butteraugli_distance(const uint8_t* reference, const uint8_t* candidate, int width, int height);

}  // namespace pixmill::codecs
