// libFuzzer target for the BMP decoder: our header dispatch (bmp_codec.cpp) and the
// hand-written run expansion of RLE8/RLE4 bitmaps (bmp_rle.cpp), on arbitrary bytes.
//
// Invariants: a rejection is a client-facing type with a message; a decoded bitmap is
// within the pixel bound, has 3 or 4 bands and exactly width x height x bands bytes.

#include <cstddef>
#include <cstdint>

#include "codecs/bmp_codec.h"
#include "fuzz_check.h"

using namespace pixmill;
using namespace pixmill::codecs;

namespace {

// Small enough that a claimed 2000x2000 canvas (16 MB of RGBA) stays cheap.
constexpr uint64_t kMaxPixels = 1u << 22;

bool client_facing(ErrorCode code) {
  return code == ErrorCode::InvalidImage || code == ErrorCode::UnsupportedFormat ||
         code == ErrorCode::TooManyPixels || code == ErrorCode::FileTooLarge;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  auto header = bmp_read_header(bytes);
  auto decoded = bmp_decode(bytes, kMaxPixels);
  if (!decoded) {
    fuzz::check(client_facing(decoded.error().code));
    fuzz::check(!decoded.error().message.empty());
    return 0;
  }
  // What decoded had a header that read, of the same size.
  fuzz::check(header.ok());
  fuzz::check(header->width == decoded->width && header->height == decoded->height);
  fuzz::check(decoded->bands == 3 || decoded->bands == 4);
  fuzz::check(static_cast<uint64_t>(decoded->width) * static_cast<uint64_t>(decoded->height) <= kMaxPixels);
  fuzz::check(decoded->pixels.size() ==
              static_cast<size_t>(decoded->width) * static_cast<size_t>(decoded->height) * decoded->bands);
  return 0;
}
