// libFuzzer target for the JPEG XL decoder entry (codecs/jxl_decoder.cpp): our event
// loop around Debian's libjxl, the pixel bound checked before any frame buffer, and
// the orientation-aware header, on arbitrary bytes.
//
// Invariants: a rejection is a client-facing type with a message; a decoded image is
// within the pixel bound, has 1 to 4 bands, exactly width x height x bands bytes, and
// the size the header read promised.

#include <cstddef>
#include <cstdint>

#include "codecs/jxl_decoder.h"
#include "fuzz_check.h"

using namespace pixmill;
using namespace pixmill::codecs;

namespace {

// Small enough that a claimed large canvas stays cheap to decode.
constexpr uint64_t kMaxPixels = 1u << 20;

bool client_facing(ErrorCode code) { return code == ErrorCode::InvalidImage || code == ErrorCode::TooManyPixels; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  auto header = jxl_read_header(bytes);
  if (!header) {
    fuzz::check(client_facing(header.error().code));
    fuzz::check(!header.error().message.empty());
  }
  auto decoded = jxl_decode(bytes, kMaxPixels);
  if (!decoded) {
    fuzz::check(client_facing(decoded.error().code));
    fuzz::check(!decoded.error().message.empty());
    return 0;
  }
  fuzz::check(header.ok());
  fuzz::check(header->width == decoded->width && header->height == decoded->height);
  fuzz::check(decoded->bands >= 1 && decoded->bands <= 4);
  fuzz::check(static_cast<uint64_t>(decoded->width) * static_cast<uint64_t>(decoded->height) <= kMaxPixels);
  fuzz::check(decoded->pixels.size() ==
              static_cast<size_t>(decoded->width) * static_cast<size_t>(decoded->height) * decoded->bands);
  return 0;
}
