#pragma once
// Run-length encoded BMPs (BI_RLE8, BI_RLE4), which Windows tools still write and
// stb_image refuses. No library in Debian 12 decodes them for us at a sensible cost:
// stb_image 2.27 has no RLE; libvips has no BMP loader; Debian does not package
// NetSurf's libnsbmp; OpenCV's imgcodecs would bring GDAL; libgd and gdk-pixbuf are
// whole graphics stacks (gdk-pixbuf with a second GLib beside the one in our
// libvips); FreeImage is unmaintained. The header, palette and every other variant stay
// with stb (bmp_codec.cpp); this is only the run expansion, and it is fuzzed
// (fuzz/bmp_fuzzer.cpp).

#include <cstdint>
#include <span>

#include "codecs/pixel_buffer.h"
#include "core/result.h"

namespace pixmill::codecs {

struct BmpRle {
  int width = 0;
  int height = 0;                    // rows, stored bottom-up (RLE bitmaps cannot be top-down)
  int bits = 8;                      // 8 for BI_RLE8, 4 for BI_RLE4
  std::span<const uint8_t> palette;  // BGRX entries of 4 bytes; indices past its end are black
  std::span<const uint8_t> data;     // the run stream, from the bitmap's pixel offset
};

// Expands the runs into top-down pixels. Pixels the stream skips (a delta, an early
// end of line or of bitmap) are transparent, as browsers show them: the result is
// RGBA if any was skipped, RGB otherwise. Runs past the end of a row are clipped.
// A stream that ends before its end-of-bitmap and before the last row is truncated:
// INVALID_IMAGE. The caller bounds width x height (the buffer is 4 bytes a pixel).
Result<PixelBuffer> bmp_rle_decode(const BmpRle& rle);

}  // namespace pixmill::codecs
