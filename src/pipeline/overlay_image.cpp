#include "pipeline/overlay_image.h"

#include "pipeline/source.h"
#include "pipeline/steps/steps.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

Error as_watermark_error(Error e) {
  e.field = "watermark";
  e.message = "watermark: " + e.message;
  return e;
}

Result<Source> open_overlay(std::span<const uint8_t> bytes, const Limits& limits) {
  auto header = read_header(bytes, limits);
  if (!header) return header.error();
  if (header->format == InputFormat::Svg) return open_svg_source(bytes, std::nullopt, limits);
  LoadOptions options;
  options.sequential = false;
  options.all_frames = false;
  return open_source(bytes, *header, options, limits);
}

}  // namespace

Result<VImage> decode_overlay(std::span<const uint8_t> bytes, const Limits& limits) {
  Limits overlay_limits = limits;
  overlay_limits.max_pixels = limits.max_overlay_pixels;
  auto source = open_overlay(bytes, overlay_limits);
  if (!source) return as_watermark_error(source.error());
  VImage image = source->image;
  if (image.height() > source->frame_height) image = image.extract_area(0, 0, image.width(), source->frame_height);
  image = steps::to_srgb(steps::auto_orient(image));
  if (image.bands() - (image.has_alpha() ? 1 : 0) < 3) image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  if (!image.has_alpha()) image = image.bandjoin_const({255});
  // The pixels, not a pipeline over bytes the caller owns: every frame and tile reads them.
  return image.cast(VIPS_FORMAT_UCHAR).copy_memory();
}

}  // namespace pixmill::pipeline
