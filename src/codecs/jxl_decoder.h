#pragma once
// JPEG XL decoding through Debian's libjxl (0.7): the libvips build we link has no
// JXL loader. Animated files give their first frame (as a still source).

#include <cstdint>
#include <span>

#include "codecs/pixel_buffer.h"
#include "core/result.h"

namespace pixmill::codecs {

// The naked codestream (FF 0A) or the ISOBMFF container ("JXL " signature box).
bool is_jxl(std::span<const uint8_t> bytes);

// Dimensions as displayed (orientation applied) and alpha, from the basic info only.
Result<PixelHeader> jxl_read_header(std::span<const uint8_t> bytes);

// Decodes the first frame to 8-bit grey/RGB(+alpha), orientation applied, refusing
// images over max_pixels before libjxl allocates any frame buffer.
Result<PixelBuffer> jxl_decode(std::span<const uint8_t> bytes, uint64_t max_pixels);

}  // namespace pixmill::codecs
