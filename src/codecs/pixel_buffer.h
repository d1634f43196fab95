#pragma once
// Plain decoded pixels, the hand-over between the codecs that libvips does not
// carry (HEVC HEIF through Debian's libheif, BMP through stb) and the pipeline.
// Deliberately free of libvips types: these files build against Debian's headers,
// which must not meet the headers of the libvips distribution we link.

#include <cstdint>
#include <string>
#include <vector>

namespace pixmill::codecs {

struct PixelHeader {
  int width = 0;
  int height = 0;
  bool has_alpha = false;
  int bits = 8;  // per sample as decoded: 8 or 16
};

struct PixelBuffer {
  int width = 0;
  int height = 0;
  int bands = 0;                // 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
  int bits = 8;                 // per sample: 8, or 16 (native-endian uint16, two bytes each)
  std::vector<uint8_t> pixels;  // row-major, interleaved
  std::string icc_profile;      // embedded ICC profile, if any
};

}  // namespace pixmill::codecs
