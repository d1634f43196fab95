#pragma once
// A view of 8-bit RGBA pixels, row-major, 4 bytes a pixel: what the placeholder and hash
// encoders read. Plain memory so that they can be fuzzed and tested without libvips.

#include <cstddef>
#include <cstdint>
#include <span>

namespace pixmill::info {

struct RgbaView {
  int width = 0;
  int height = 0;
  std::span<const uint8_t> pixels;  // width * height * 4 bytes

  bool valid() const {
    return width > 0 && height > 0 && pixels.size() == static_cast<size_t>(width) * static_cast<size_t>(height) * 4;
  }
  const uint8_t* at(int x, int y) const { return pixels.data() + (static_cast<size_t>(y) * width + x) * 4; }
};

}  // namespace pixmill::info
