#pragma once
// HEIC (HEVC) encoding through Debian's libheif and its x265 encoder: the libvips
// build we link encodes only AV1 (AVIF).

#include <cstdint>
#include <string>

#include "core/result.h"

namespace pixmill::codecs {

struct HeicEncodeOptions {
  int quality = 50;      // 1..100, x265's lossy quality through libheif
  bool lossless = false;
  // x265's preset. libheif's default ("slow") takes seconds for a small image; "medium"
  // is several times faster for a few percent more bytes.
  std::string preset = "medium";
};

// Whether this libheif has an HEVC encoder at all.
bool heic_encoder_available();

// Encodes 8-bit interleaved RGB (3 bands) or RGBA (4 bands). UnsupportedFormat (415)
// naming x265 when libheif has no HEVC encoder.
Result<std::string> heic_encode(const uint8_t* pixels, int width, int height, int bands, const std::string& icc_profile,
                                const HeicEncodeOptions& options);

}  // namespace pixmill::codecs
