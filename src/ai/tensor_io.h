#pragma once
// Pixels in, mask out, the same way for every backend: the image becomes the model's
// 1x3xNxN planar float input, and the model's first output becomes a Mask. One copy of
// this, so that switching runtimes (OpenCV DNN, ONNX Runtime) cannot change a cut-out.

#include <cstddef>
#include <vector>

#include "ai/backend.h"

namespace pixmill::ai {

// True when `image` has a size and exactly width x height x 3 bytes.
bool well_formed(const RgbImage& image);

// Stretched to size x size with bilinear interpolation (IMG.LY's tensorResizeBilinear:
// the aspect ratio is not kept; the mask is stretched back the same way), normalised
// per channel, planar R, G, B.
std::vector<float> input_tensor(const RgbImage& image, int size, const Normalization& normalization);

// The last two dimensions of `shape` are the mask's height and width; `values` holds at
// least that many floats (the first channel is the final mask). Logits (any value
// outside 0..1) pass through a sigmoid; NaN becomes 0.
Result<Mask> mask_from_output(const float* values, size_t available, const std::vector<int64_t>& shape);

}  // namespace pixmill::ai
