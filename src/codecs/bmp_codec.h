#pragma once
// BMP through stb_image / stb_image_write (Debian's libstb): the libvips build we
// link has no BMP support.

#include <cstdint>
#include <span>
#include <vector>

#include "codecs/pixel_buffer.h"
#include "core/result.h"

namespace pixmill::codecs {

Result<PixelHeader> bmp_read_header(std::span<const uint8_t> bytes);
Result<PixelBuffer> bmp_decode(std::span<const uint8_t> bytes, uint64_t max_pixels);

// Encodes 8-bit interleaved pixels with 3 (RGB) or 4 (RGBA) bands.
Result<std::vector<uint8_t>> bmp_encode(const uint8_t* pixels, int width, int height, int bands);

}  // namespace pixmill::codecs
