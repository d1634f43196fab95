#pragma once
// The plain values that cross between the pipeline and a segmentation backend: no
// libvips, no OpenCV, so either side can change without the other noticing.

#include <cstdint>
#include <vector>

namespace pixmill::ai {

// 8-bit sRGB, interleaved R,G,B, rows top to bottom without padding.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 3
};

// Foreground probability per pixel, 0 (background) .. 1 (subject), at the model's
// output resolution; the pipeline resamples it to the image.
struct Mask {
  int width = 0;
  int height = 0;
  std::vector<float> values;  // width * height
};

}  // namespace pixmill::ai
