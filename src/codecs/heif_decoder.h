#pragma once
// HEIC/HEIF (HEVC) decoding through Debian's libheif: the libvips build we link has
// no HEVC decoder. AVIF stays with libvips.

#include <cstdint>
#include <span>

#include "codecs/pixel_buffer.h"
#include "core/result.h"

namespace pixmill::codecs {

// Dimensions of the primary image as displayed (after irot/imir), without decoding.
Result<PixelHeader> heif_read_header(std::span<const uint8_t> bytes);

// Decodes the primary image to 8-bit RGB(A), transformations applied, refusing
// images over max_pixels before any pixel is decoded.
Result<PixelBuffer> heif_decode(std::span<const uint8_t> bytes, uint64_t max_pixels);

}  // namespace pixmill::codecs
