// libFuzzer target for the animated AVIF entry (codecs/avif_sequence.cpp): our loop
// around Debian's libavif that counts a sequence's frames, checks the frame size before
// decoding, and lays the frames out as a strip with their durations, on arbitrary bytes.
//
// Invariants: a rejection is a client-facing type with a message; a decoded animation is
// within the pixel bound, RGB or RGBA, exactly width x height x bands bytes per frame,
// one delay per frame, of the size the header declared, no more frames than it counted or
// the cap allows, and all of them within the pixel budget.

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
  auto header = avif_sequence_header(bytes);
  if (!header) {
    fuzz::check_refusal(header.error(), {ErrorCode::InvalidImage});
    return 0;
  }
  fuzz::check(header->frames >= 1);
  auto decoded = avif_sequence_decode(bytes, kMaxPixels, kMaxFrames);
  if (!decoded) {
    fuzz::check_refusal(decoded.error(), {ErrorCode::InvalidImage, ErrorCode::TooManyPixels});
    return 0;
  }
  // The frames are of the size the header declared, never more than it counted or the cap.
  PixelHeader expected = *header;
  expected.frames = std::min(header->frames, kMaxFrames);
  expected.bits = 8;
  fuzz::check_decoded(Result<PixelHeader>(expected), *decoded, kMaxPixels, 3, 4);
  fuzz::check(static_cast<uint64_t>(decoded->width) * decoded->height * decoded->timeline.frames <= kMaxPixels);
  return 0;
}
