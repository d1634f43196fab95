// libFuzzer target for the JPEG XL decoder entry (codecs/jxl_decoder.cpp): our event
// loop around Debian's libjxl, the pixel bound checked before any frame buffer, and
// the orientation-aware header and the frame count of animations, on arbitrary bytes.
//
// Invariants: a rejection is a client-facing type with a message; a decoded image is
// within the pixel bound, has 1 to 4 bands, exactly width x height x bands bytes per
// frame, no more frames than the header counted, and the size the header read promised.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "codecs/jxl_decoder.h"
#include "decoder_checks.h"

using namespace pixmill;
using namespace pixmill::codecs;

namespace {

// Small enough that a claimed large canvas stays cheap to decode.
constexpr uint64_t kMaxPixels = 1u << 20;
// A few frames, so the animation path (frame events, strip offsets, durations) is reached.
constexpr int kMaxFrames = 4;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  auto header = jxl_read_header(bytes);
  if (!header) fuzz::check_refusal(header.error(), {ErrorCode::InvalidImage, ErrorCode::TooManyPixels});
  // As the pipeline does: never more frames than the header counted.
  auto decoded = jxl_decode(bytes, kMaxPixels, header ? std::min(header->frames, kMaxFrames) : 1);
  if (!decoded) {
    fuzz::check_refusal(decoded.error(), {ErrorCode::InvalidImage, ErrorCode::TooManyPixels});
    return 0;
  }
  fuzz::check_decoded(header, *decoded, kMaxPixels, 1, 4);
  return 0;
}
