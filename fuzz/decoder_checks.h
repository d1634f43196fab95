#pragma once
// The invariants every hand-driven decoder target shares (BMP, JPEG XL): a rejection
// is a client-facing type with a message; a decoded image had a header that read, of
// the same size and depth, stays within the pixel bound and holds exactly width x height
// x bands samples of its depth.

#include <cstdint>
#include <initializer_list>

#include "codecs/pixel_buffer.h"
#include "core/result.h"
#include "fuzz_check.h"

namespace pixmill::fuzz {

inline void check_refusal(const Error& error, std::initializer_list<ErrorCode> client_facing) {
  bool listed = false;
  for (ErrorCode code : client_facing) listed = listed || code == error.code;
  check(listed);
  check(!error.message.empty());
}

inline void check_decoded(const Result<codecs::PixelHeader>& header, const codecs::PixelBuffer& decoded,
                          uint64_t max_pixels, int min_bands, int max_bands) {
  check(header.ok());
  check(header->width == decoded.width && header->height == decoded.height);
  check(header->bits == decoded.bits && (decoded.bits == 8 || decoded.bits == 16));
  check(decoded.bands >= min_bands && decoded.bands <= max_bands);
  check(static_cast<uint64_t>(decoded.width) * static_cast<uint64_t>(decoded.height) <= max_pixels);
  // An animation: every frame whole, one delay each, never more frames than the header counted.
  const int frames = decoded.timeline.frames;
  check(frames >= 1 && frames <= header->frames);
  check(decoded.timeline.delays_ms.size() == (frames > 1 ? static_cast<size_t>(frames) : 0u));
  check(decoded.pixels.size() == static_cast<size_t>(decoded.width) * static_cast<size_t>(decoded.height) *
                                     decoded.bands * (decoded.bits / 8) * static_cast<size_t>(frames));
}

}  // namespace pixmill::fuzz
