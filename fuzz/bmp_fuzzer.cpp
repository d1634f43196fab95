// libFuzzer target for the BMP decoder: our header dispatch (bmp_codec.cpp) and the
// hand-written run expansion of RLE8/RLE4 bitmaps (bmp_rle.cpp), on arbitrary bytes.
//
// Invariants: a rejection is a client-facing type with a message; a decoded bitmap is
// within the pixel bound, has 3 or 4 bands and exactly width x height x bands bytes.

#include <cstddef>
#include <cstdint>

#include "codecs/bmp_codec.h"
#include "decoder_checks.h"

using namespace pixmill;
using namespace pixmill::codecs;

namespace {

// Small enough that a claimed 2000x2000 canvas (16 MB of RGBA) stays cheap.
constexpr uint64_t kMaxPixels = 1u << 22;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  auto header = bmp_read_header(bytes);
  auto decoded = bmp_decode(bytes, kMaxPixels);
  if (!decoded) {
    fuzz::check_refusal(decoded.error(), {ErrorCode::InvalidImage, ErrorCode::UnsupportedFormat,
                                          ErrorCode::TooManyPixels, ErrorCode::FileTooLarge});
    return 0;
  }
  fuzz::check_decoded(header, *decoded, kMaxPixels, 3, 4);
  return 0;
}
