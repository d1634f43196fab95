#pragma once
// JPEG XL encoding through Debian's libjxl (0.7). That version has no chunked
// (streaming) encoder: the whole frame and the encoder's working set live in memory,
// about 90 bytes per pixel at effort 7 (1.05 GiB for 12 MP, bench/RESULTS.md), so
// callers bound the pixels (JXL_MAX_PIXELS) before asking.

#include <cstdint>
#include <string>
#include <vector>

#include "codecs/pixel_buffer.h"
#include "core/result.h"

namespace pixmill::codecs {

struct JxlEncodeOptions {
  int quality = 80;        // 1..100, mapped onto butteraugli distance as libjxl's cjxl does
  bool lossless = false;   // modular, mathematically lossless
  int effort = 7;          // libjxl's 1 (fastest) .. 9
  uint64_t max_pixels = 16'000'000;
  int bits = 8;            // per input sample: 8, or 16 (native-endian uint16)
  Timeline timeline;       // more than one frame: an animation, the frames one under the other
};

// libjxl's quality -> distance mapping (JxlEncoderDistanceFromQuality, added after 0.7):
// q90 = d1.0 (visually lossless), q80 = d1.9, q30 = d6.4.
float jxl_distance_for_quality(int quality);

// Encodes interleaved pixels of options.bits per sample: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA bands. An
// empty icc_profile means sRGB. TooManyPixels when one frame is over options.max_pixels. An
// animation's frames go to libjxl one at a time, each encoded before the next is copied in,
// so the working set is one frame's, whatever the frame count. Identical consecutive frames
// are written once, shown for their summed delays; a later frame codes only the box that
// changed since the one before.
Result<std::string> jxl_encode(const FrameSource& frames, int width, int height, int bands, const std::string& icc_profile,
                               const JxlEncodeOptions& options);
// The same for pixels already in memory (one frame, or the frames one under the other).
Result<std::string> jxl_encode(const uint8_t* pixels, int width, int height, int bands, const std::string& icc_profile,
                               const JxlEncodeOptions& options);

}  // namespace pixmill::codecs
