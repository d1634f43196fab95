#pragma once
// Plain decoded pixels, the hand-over between the codecs that libvips does not
// carry (HEVC HEIF through Debian's libheif, BMP through stb) and the pipeline.
// Deliberately free of libvips types: these files build against Debian's headers,
// which must not meet the headers of the libvips distribution we link.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pixmill::codecs {

struct PixelHeader {
  int width = 0;
  int height = 0;
  bool has_alpha = false;
  int bits = 8;  // per sample as decoded: 8 or 16
  int frames = 1;  // animation frames (JPEG XL and AVIF sequences), 1 for a still
};

// How an animation plays, the way libvips carries one (a strip of frames with "delay"
// and "loop"); a still is one frame.
struct Timeline {
  int frames = 1;
  std::vector<int> delays_ms;  // one per frame when frames > 1
  int loop = 0;                // plays: 0 forever, else this many times
};

// Hands an encoder the pixels of frame `index` (0, 1, … in order); the pointer stays valid
// until the next call. Lets the pipeline render an animation a frame at a time, so no
// encoder needs the whole strip in memory.
using FrameSource = std::function<const uint8_t*(int index)>;

// The frames of a strip already in memory, frame_bytes apart.
inline FrameSource frames_in(const uint8_t* strip, size_t frame_bytes) {
  return [strip, frame_bytes](int index) { return strip + frame_bytes * static_cast<size_t>(index); };
}

struct PixelBuffer {
  int width = 0;
  int height = 0;               // of one frame
  int bands = 0;                // 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
  int bits = 8;                 // per sample: 8, or 16 (native-endian uint16, two bytes each)
  std::vector<uint8_t> pixels;  // row-major, interleaved; an animation's frames one under the other
  std::string icc_profile;      // embedded ICC profile, if any
  Timeline timeline;

  size_t frame_bytes() const { return static_cast<size_t>(width) * height * bands * (bits / 8); }
};

}  // namespace pixmill::codecs
