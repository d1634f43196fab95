#pragma once
// JPEG XL decoding through Debian's libjxl (0.7): the libvips build we link has no
// JXL loader. An animation decodes to a strip of frames with their durations.

#include <cstdint>
#include <span>

#include "codecs/pixel_buffer.h"
#include "core/result.h"

namespace pixmill::codecs {

// The naked codestream (FF 0A) or the ISOBMFF container ("JXL " signature box).
bool is_jxl(std::span<const uint8_t> bytes);

// Dimensions as displayed (orientation applied), alpha, and the number of frames (walking
// the frame headers of an animation without decoding them).
Result<PixelHeader> jxl_read_header(std::span<const uint8_t> bytes);

// Decodes up to max_frames frames to grey/RGB(+alpha), 8 bits or 16 for deeper files,
// orientation applied, refusing a frame over max_pixels before libjxl allocates any frame
// buffer; max_pixels is also the budget of all frames together (a frame past it is not
// decoded). A broken later frame ends the animation before it.
Result<PixelBuffer> jxl_decode(std::span<const uint8_t> bytes, uint64_t max_pixels, int max_frames = 1);

}  // namespace pixmill::codecs
