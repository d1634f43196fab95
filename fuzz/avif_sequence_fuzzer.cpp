// libFuzzer target for the animated AVIF entry (codecs/avif_sequence.cpp): our loop
// around Debian's libavif that counts a sequence's frames, checks the frame size before
// decoding, and lays the frames out as a strip with their durations, on arbitrary bytes.
//
// Invariants: a rejection is a client-facing type with a message; a decoded animation is
// within the pixel bound, RGB or RGBA, exactly width x height x bands bytes per frame,
// one delay per frame, and no more frames than the count said or the cap allows.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "codecs/avif_sequence.h"
#include "decoder_checks.h"

using namespace pixmill;
using namespace pixmill::codecs;

namespace {

constexpr uint64_t kMaxPixels = 1u << 20;
constexpr int kMaxFrames = 4;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  auto frames = avif_sequence_frames(bytes);
  if (!frames) {
    fuzz::check_refusal(frames.error(), {ErrorCode::InvalidImage});
    return 0;
  }
  fuzz::check(*frames >= 1);
  auto decoded = avif_sequence_decode(bytes, kMaxPixels, kMaxFrames);
  if (!decoded) {
    fuzz::check_refusal(decoded.error(), {ErrorCode::InvalidImage, ErrorCode::TooManyPixels});
    return 0;
  }
  PixelHeader header;
  header.width = decoded->width;
  header.height = decoded->height;
  header.frames = std::min(*frames, kMaxFrames);
  fuzz::check_decoded(header, *decoded, kMaxPixels, 3, 4);
  return 0;
}
