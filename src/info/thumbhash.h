#pragma once
// ThumbHash (https://evanw.github.io/thumbhash/, Evan Wallace's published algorithm): the
// image's average colour, aspect ratio and alpha, plus a few DCT terms of its luminance
// and two colour-opponent channels, in about 25 bytes.

#include <cstdint>
#include <optional>
#include <vector>

#include "info/pixels.h"

namespace pixmill::info {

// The image must be at most 100 x 100 (the algorithm's own bound: more pixels add
// nothing to ~7 x 7 terms); nullopt otherwise or for an invalid view.
std::optional<std::vector<uint8_t>> thumbhash_encode(const RgbaView& image);

inline constexpr int kThumbHashMaxSide = 100;

}  // namespace pixmill::info
