#include "core/bytes.h"
#include "pipeline/source.h"

#include <algorithm>
#include <cmath>

#include "codecs/avif_sequence.h"
#include "codecs/bmp_codec.h"
#include "codecs/gzip.h"
#include "codecs/heif_decoder.h"
#include "codecs/jxl_decoder.h"
#include "codecs/svg_rasterizer.h"
#include "pipeline/gain_map.h"
#include "pipeline/geometry_plan.h"
#include "pipeline/sniff.h"
#include "pipeline/tiff_extent.h"
#include "pipeline/vips_runtime.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

// A libvips blob over memory we own; the loader's source keeps its own reference.
class BorrowedBlob {
 public:
  BorrowedBlob(const void* data, size_t size) : blob_(vips_blob_new(nullptr, data, size)) {}
  ~BorrowedBlob() { vips_area_unref(VIPS_AREA(blob_)); }
  BorrowedBlob(const BorrowedBlob&) = delete;
  BorrowedBlob& operator=(const BorrowedBlob&) = delete;
  VipsBlob* get() const { return blob_; }

 private:
  VipsBlob* blob_;
};

vips::VOption* base_options(bool sequential) {
  auto* opts = VImage::option();
  // Truncated and corrupt files fail instead of decoding with grey fill.
  opts->set("fail_on", VIPS_FAIL_ON_ERROR);
  if (sequential) opts->set("access", VIPS_ACCESS_SEQUENTIAL);
  return opts;
}

// Calls the one loader that the sniffed format names.
VImage load_with(InputFormat format, std::span<const uint8_t> bytes, vips::VOption* opts) {
  BorrowedBlob blob(bytes.data(), bytes.size());
  switch (format) {
    case InputFormat::Jpeg: return VImage::jpegload_buffer(blob.get(), opts);
    case InputFormat::Png: return VImage::pngload_buffer(blob.get(), opts);
    case InputFormat::Webp: return VImage::webpload_buffer(blob.get(), opts);
    case InputFormat::Gif: return VImage::gifload_buffer(blob.get(), opts);
    case InputFormat::Tiff: return VImage::tiffload_buffer(blob.get(), opts);
    case InputFormat::Avif: return VImage::heifload_buffer(blob.get(), opts);
    default: break;
  }
  // Unreachable for the formats routed here: the caller dispatches the rest.
  throw vips::VError("no loader for this format");
}

int int_or(const VImage& image, const char* name, int fallback) {
  return image.get_typeof(name) ? image.get_int(name) : fallback;
}

SourceHeader header_from_image(const VImage& image, InputFormat format) {
  SourceHeader h;
  h.format = format;
  h.width = image.width();
  h.frames = std::max(1, int_or(image, "n-pages", 1));
  h.height = int_or(image, "page-height", image.height());
  if (h.height <= 0 || h.height > image.height()) h.height = image.height();
  h.orientation = std::clamp(int_or(image, "orientation", 1), 1, 8);
  h.has_alpha = image.has_alpha();
  h.has_icc = image.get_typeof("icc-profile-data") != 0;
  h.bits_per_sample = (image.format() == VIPS_FORMAT_USHORT || image.format() == VIPS_FORMAT_SHORT) ? 16 : 8;
  h.colour_space = vips_enum_nick(VIPS_TYPE_INTERPRETATION, image.interpretation());
  return h;
}

Status check_pixels(uint64_t width, uint64_t height, uint64_t frames, const Limits& limits) {
  if (width == 0 || height == 0) return make_error(ErrorCode::InvalidImage, "the image has no pixels");
  if (width * height * frames > limits.max_pixels) {
    return make_error(ErrorCode::TooManyPixels,
                      "image is " + std::to_string(width) + "x" + std::to_string(height) +
                          (frames > 1 ? " x " + std::to_string(frames) + " frames" : "") +
                          ", over the limit of " + std::to_string(limits.max_pixels) + " pixels");
  }
  return ok_status();
}

SourceHeader header_from_pixels(InputFormat format, const codecs::PixelHeader& p) {
  SourceHeader h;
  h.format = format;
  h.width = p.width;
  h.height = p.height;
  h.has_alpha = p.has_alpha;
  h.bits_per_sample = p.bits;
  h.frames = std::max(p.frames, 1);
  h.colour_space = "srgb";
  return h;
}

// Wraps decoded pixels as a libvips image that keeps the buffer alive.
Source source_from_pixels(codecs::PixelBuffer pixels, const SourceHeader& header) {
  auto owned = std::make_shared<codecs::PixelBuffer>(std::move(pixels));
  VImage image = pixels_as_image(*owned);
  const codecs::Timeline& timeline = owned->timeline;
  Source source;
  source.image = image;
  source.header = header;
  source.header.width = owned->width;
  source.header.height = owned->height;
  source.frames = std::max(timeline.frames, 1);
  source.frame_height = owned->height;
  source.keep_alive = owned;
  return source;
}

}  // namespace

VImage pixels_as_image(const codecs::PixelBuffer& pixels) {
  const bool deep = pixels.bits == 16;
  const int rows = pixels.height * std::max(pixels.timeline.frames, 1);
  VImage image = VImage::new_from_memory(const_cast<uint8_t*>(pixels.pixels.data()), pixels.pixels.size(), pixels.width, rows,
                                         pixels.bands, deep ? VIPS_FORMAT_USHORT : VIPS_FORMAT_UCHAR);
  const bool colour = pixels.bands >= 3;
  image = image.copy(VImage::option()->set("interpretation", deep ? (colour ? VIPS_INTERPRETATION_RGB16 : VIPS_INTERPRETATION_GREY16)
                                                                  : (colour ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W)));
  if (!pixels.icc_profile.empty()) {
    vips_image_set_blob_copy(image.get_image(), "icc-profile-data", pixels.icc_profile.data(), pixels.icc_profile.size());
  }
  if (pixels.timeline.frames > 1) {
    image.set("page-height", pixels.height);
    image.set("delay", pixels.timeline.delays_ms);
    image.set("loop", pixels.timeline.loop);
  }
  return image;
}

Size SourceHeader::oriented() const {
  return orientation >= 5 ? Size{height, width} : Size{width, height};
}

Result<SourceHeader> read_header(std::span<const uint8_t> bytes, const Limits& limits) {
  if (bytes.empty()) return make_error(ErrorCode::InvalidImage, "the file is empty");
  const InputFormat format = sniff_format(bytes);
  switch (format) {
    case InputFormat::Unknown:
      return make_error(ErrorCode::UnsupportedFormat,
                        "unsupported format: accepted are jpeg, png, webp, avif, heic/heif, jxl, tiff, gif, bmp, svg");
    case InputFormat::Heif: {
      auto p = codecs::heif_read_header(bytes);
      if (!p) return p.error();
      if (auto s = check_pixels(p->width, p->height, 1, limits); !s) return s.error();
      return header_from_pixels(format, *p);
    }
    case InputFormat::Jxl: {
      auto p = codecs::jxl_read_header(bytes);
      if (!p) return p.error();
      if (auto s = check_pixels(p->width, p->height, 1, limits); !s) return s.error();
      return header_from_pixels(format, *p);
    }
    case InputFormat::Bmp: {
      auto p = codecs::bmp_read_header(bytes);
      if (!p) return p.error();
      if (auto s = check_pixels(p->width, p->height, 1, limits); !s) return s.error();
      return header_from_pixels(format, *p);
    }
    case InputFormat::Svg: {
      // The real size is known only after rendering, which open_source does in a sandbox.
      SourceHeader h;
      h.format = format;
      h.has_alpha = true;
      h.colour_space = "srgb";
      return h;
    }
    default: break;
  }
  try {
    VImage image = load_with(format, bytes, base_options(true));
    SourceHeader header = header_from_image(image, format);
    if (auto s = check_pixels(header.width, header.height, 1, limits); !s) return s.error();
    if (format == InputFormat::Avif && lists_isobmff_brand(bytes, "avis")) {
      // libvips reads the still image of an animated AVIF; libavif counts the sequence.
      // Its frames must have the still's size, which the limits and the plan were
      // checked against; a sequence that disagrees (or does not parse) plays as its still.
      auto sequence = codecs::avif_sequence_header(bytes);
      if (sequence && sequence->width == header.width && sequence->height == header.height) {
        header.frames = sequence->frames;
      }
    }
    if (format == InputFormat::Tiff) {
      if (auto s = check_tiff_extent(bytes); !s) return s.error();
    }
    return header;
  } catch (const vips::VError& e) {
    // A header that does not parse is a broken file, whatever libvips calls it.
    Error error = decode_failure(e.what());
    clear_vips_error();
    error.message = "the image header could not be read";
    return error;
  }
}

Result<Source> open_source(std::span<const uint8_t> bytes, const SourceHeader& header, const LoadOptions& options,
                           const Limits& limits) {
  const bool animate = options.all_frames && header.frames > 1 && input_can_animate(header.format);
  const int frames = animate && options.frame_cap > 0 ? std::min(header.frames, options.frame_cap) : header.frames;
  if (animate) {
    if (frames > limits.max_frames) {
      return make_error(ErrorCode::TooManyFrames, "animation has " + std::to_string(frames) +
                                                      " frames, over the limit of " + std::to_string(limits.max_frames));
    }
    if (auto s = check_pixels(header.width, header.height, frames, limits); !s) return s.error();
  }
  switch (header.format) {
    case InputFormat::Heif: {
      auto pixels = codecs::heif_decode(bytes, limits.max_pixels);
      if (!pixels) return pixels.error();
      return source_from_pixels(std::move(*pixels), header);
    }
    case InputFormat::Jxl: {
      auto pixels = codecs::jxl_decode(bytes, limits.max_pixels, animate ? frames : 1);
      if (!pixels) return pixels.error();
      return source_from_pixels(std::move(*pixels), header);
    }
    case InputFormat::Avif: {
      if (!animate) break;  // a still, or the still image of a sequence: libvips
      auto pixels = codecs::avif_sequence_decode(bytes, limits.max_pixels, frames);
      if (!pixels) return pixels.error();
      return source_from_pixels(std::move(*pixels), header);
    }
    case InputFormat::Bmp: {
      auto pixels = codecs::bmp_decode(bytes, limits.max_pixels);
      if (!pixels) return pixels.error();
      return source_from_pixels(std::move(*pixels), header);
    }
    case InputFormat::Svg:
    case InputFormat::Unknown:
      return make_error(ErrorCode::Internal, "open_svg_source handles SVG");
    default: break;
  }

  // libvips' loaders animate GIF and WebP; the sequence decoders above take the rest.
  const bool vips_animates = animate && (header.format == InputFormat::Gif || header.format == InputFormat::Webp);
  try {
    auto* opts = base_options(options.sequential);
    if (vips_animates) opts->set("n", frames);
    if (header.format == InputFormat::Jpeg) {
      const int shrink = jpeg_shrink_for_scale(options.scale, limits.fast_shrink_on_load);
      if (shrink > 1) opts->set("shrink", shrink);
    } else if (header.format == InputFormat::Webp && options.scale < 1.0) {
      opts->set("scale", options.scale);
    }
    Source source;
    VImage loaded = load_with(header.format, bytes, opts);
    if (header.format == InputFormat::Jpeg) loaded = attach_gain_map(loaded, bytes);
    source.image = source.decode.watch(loaded);
    source.header = header;
    source.frames = vips_animates ? frames : 1;
    source.frame_height = vips_animates ? int_or(source.image, "page-height", source.image.height() / frames)
                                  : source.image.height();
    return source;
  } catch (const vips::VError& e) {
    // The header opened a moment ago: a loader that now refuses the same bytes
    // found them broken.
    Error error = decode_failure(e.what());
    clear_vips_error();
    return error;
  }
}

Result<Source> open_svg_source(std::span<const uint8_t> bytes, std::optional<Size> hint, const Limits& limits) {
  // An .svgz is inflated here, bounded, so a gzip bomb stops at the bound and never
  // reaches the rasteriser.
  std::string inflated;
  if (codecs::is_gzip(bytes)) {
    auto svg = codecs::gunzip(bytes, codecs::kSvgzMaxInflatedBytes);
    if (!svg) return svg.error();
    inflated = std::move(*svg);
    bytes = as_bytes(inflated);
  }
  codecs::SvgRenderRequest request;
  if (hint && hint->width > 0) request.hint_width = hint->width;
  if (hint && hint->height > 0) request.hint_height = hint->height;
  request.max_side = limits.max_output_dimension;
  request.max_pixels = limits.max_pixels;
  request.timeout_ms = limits.svg_timeout_ms;
  request.max_memory_mb = limits.svg_max_memory_mb;
  auto png = codecs::rasterize_svg(bytes, request);
  if (!png) return png.error();
  auto owned = std::make_shared<std::string>(std::move(*png));
  try {
    const std::span<const uint8_t> png_bytes = as_bytes(*owned);
    Source source;
    source.image = source.decode.watch(load_with(InputFormat::Png, png_bytes, base_options(false)));
    source.header = header_from_image(source.image, InputFormat::Svg);
    source.frame_height = source.image.height();
    source.keep_alive = owned;
    return source;
  } catch (const vips::VError& e) {
    clear_vips_error();
    return make_error(ErrorCode::InvalidImage, "the SVG could not be rendered");
  }
}

}  // namespace pixmill::pipeline
