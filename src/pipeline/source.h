#pragma once
// Opening the input: the header first (limits are checked before a pixel is
// decoded), then the pixels through exactly the loader the sniffed format names.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include <vips/vips8>

#include "core/result.h"
#include "pipeline/decode_watch.h"
#include "pipeline/recipe_names.h"

namespace pixmill::codecs {
struct PixelBuffer;  // codecs/pixel_buffer.h (a private dependency of this library)
}  // namespace pixmill::codecs

namespace pixmill::pipeline {

struct SourceHeader {
  InputFormat format = InputFormat::Unknown;
  int width = 0;         // stored width (before EXIF orientation)
  int height = 0;        // stored height of one frame
  int frames = 1;        // frames/pages in the file (animations)
  int orientation = 1;   // EXIF orientation 1-8, 1 when absent
  bool has_alpha = false;
  bool has_icc = false;
  int bits_per_sample = 8;
  std::string colour_space;  // libvips interpretation nick: srgb, b-w, cmyk, rgb16, …

  Size oriented() const;  // width/height after EXIF orientation
};

struct LoadOptions {
  double scale = 1.0;       // acceptable shrink-on-load, as a scale <= 1
  bool all_frames = false;  // load every frame of an animation
  bool sequential = true;   // top-to-bottom reads only; rotations and flips need random access
  int frame_cap = 0;        // with all_frames: load at most this many (0: every frame)
};

// A decoded (lazily, for libvips formats) source image. Owns every byte the image
// may still read from, so it must outlive the encode.
struct Source {
  vips::VImage image;
  SourceHeader header;
  int frames = 1;          // frames loaded (image is a vertical strip of them)
  int frame_height = 0;    // height of one loaded frame
  std::shared_ptr<const void> keep_alive;
  DecodeWatch decode;      // sees every pixel request to the loader (see decode_watch.h)
};

// Reads only the header and enforces pixel and frame limits.
Result<SourceHeader> read_header(std::span<const uint8_t> bytes, const Limits& limits);

// Opens the pixels with the header's loader; the input bytes must outlive the Source.
Result<Source> open_source(std::span<const uint8_t> bytes, const SourceHeader& header, const LoadOptions& options,
                           const Limits& limits);

// Rasterises an SVG in the sandboxed helper, then opens the PNG it returns. The hint
// is the size the recipe will resize to, so vectors are rendered near their final size.
Result<Source> open_svg_source(std::span<const uint8_t> bytes, std::optional<Size> hint, const Limits& limits);

// Pixels from a codec that libvips' build lacks (JPEG XL, HEVC HEIF, BMP), 8 or 16 bits,
// as a libvips image over their memory (sRGB/B_W or RGB16/GREY16, with their ICC
// profile; an animation as libvips' own loaders give one: the strip of frames with
// "page-height", "delay" and "loop"): the caller keeps `pixels` alive while the image is read.
vips::VImage pixels_as_image(const codecs::PixelBuffer& pixels);

}  // namespace pixmill::pipeline
