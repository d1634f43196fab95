#include "pipeline/steps/cutout.h"

#include <algorithm>
#include <cmath>

#include "pipeline/source.h"

namespace pixmill::pipeline::steps {
namespace {

using vips::VImage;

VImage alpha_of(const VImage& image) { return image.extract_band(image.bands() - 1); }
VImage colour_of(const VImage& image) { return image.extract_band(0, VImage::option()->set("n", image.bands() - 1)); }

}  // namespace

VImage crop_to_subject(VImage cut, double margin) {
  int top = 0, width = 0, height = 0;
  // find_trim: the box of pixels differing from the background (0) by more than the
  // threshold, after a 3x3 median that drops specks.
  const int left = alpha_of(cut).find_trim(&top, &width, &height, VImage::option()->set("background", std::vector<double>{0})->set("threshold", 127.0));
  if (width <= 0 || height <= 0) return cut;
  const int grow = static_cast<int>(std::lround(margin * std::max(width, height)));
  const int x0 = std::max(0, left - grow), y0 = std::max(0, top - grow);
  const int x1 = std::min(cut.width(), left + width + grow), y1 = std::min(cut.height(), top + height + grow);
  return cut.extract_area(x0, y0, x1 - x0, y1 - y0);
}

VImage alpha_as_grey(VImage cut) {
  return alpha_of(cut).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
}

VImage drop_shadow(VImage cut, const Cutout& options) {
  VImage shadow = alpha_of(cut).cast(VIPS_FORMAT_FLOAT) * options.shadow_opacity;
  if (options.shadow_blur > 0.0) shadow = shadow.gaussblur(options.shadow_blur, VImage::option()->set("min_ampl", 0.01));
  // Shifted on a canvas of the same size: what moves out of the frame is cut off.
  shadow = shadow.embed(options.shadow_dx, options.shadow_dy, cut.width(), cut.height(),
                        VImage::option()->set("extend", VIPS_EXTEND_BLACK));
  const VImage black = VImage::black(cut.width(), cut.height(), VImage::option()->set("bands", cut.bands() - 1));
  VImage layer = black.bandjoin((shadow + 0.5).cast(VIPS_FORMAT_UCHAR)).cast(VIPS_FORMAT_UCHAR);
  layer = layer.copy(VImage::option()->set("interpretation", cut.interpretation()));
  // The subject over its shadow: where both are transparent the result stays so.
  return layer.composite2(cut, VIPS_BLEND_MODE_OVER).cast(VIPS_FORMAT_UCHAR).copy(VImage::option()->set("interpretation", cut.interpretation()));
}

Result<VImage> over_background_image(VImage cut, const std::string& encoded, const Limits& limits) {
  const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(encoded.data()), encoded.size());
  auto header = read_header(bytes, limits);
  if (!header) {
    Error e = header.error();
    e.message = "bgImage: " + e.message;
    e.field = "bgImage";
    return e;
  }
  VImage background = VImage::thumbnail_buffer(const_cast<char*>(encoded.data()), encoded.size(), cut.width(),
                                               VImage::option()
                                                   ->set("height", cut.height())
                                                   ->set("crop", VIPS_INTERESTING_CENTRE)
                                                   ->set("size", VIPS_SIZE_FORCE));
  background = background.colourspace(VIPS_INTERPRETATION_sRGB);
  if (background.has_alpha()) background = background.flatten();
  background = background.extract_band(0, VImage::option()->set("n", 3)).cast(VIPS_FORMAT_UCHAR);
  VImage subject = cut;
  if (subject.bands() < 4) subject = colour_of(cut).colourspace(VIPS_INTERPRETATION_sRGB).bandjoin(alpha_of(cut));
  VImage out = background.composite2(subject, VIPS_BLEND_MODE_OVER);
  return colour_of(out).cast(VIPS_FORMAT_UCHAR).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

}  // namespace pixmill::pipeline::steps
