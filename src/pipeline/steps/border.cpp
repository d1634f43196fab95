#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {
namespace {

bool shaped(const Frame& frame) { return frame.radius > 0 || frame.mask != MaskShape::None; }

// A solid canvas of the border colour in the image's colour bands, with the given alpha.
VImage solid(const VImage& like, int width, int height, Colour colour, VImage alpha) {
  std::vector<double> values = background_for(like, colour);
  if (like.has_alpha()) values.pop_back();
  VImage fill = VImage::black(width, height, VImage::option()->set("bands", static_cast<int>(values.size()))).new_from_image(values);
  return fill.bandjoin(alpha).copy(VImage::option()->set("interpretation", like.interpretation()));
}

}  // namespace

// A border of `border` pixels on every side (the image grows by twice the width). Around
// a mask the border follows the shape: the image, already masked, sits on the same shape
// grown by the border width and filled with the border colour.
VImage border(VImage image, const Frame& frame) {
  const int b = frame.border;
  if (b <= 0) return image;
  const int width = image.width() + 2 * b, height = image.height() + 2 * b;
  const Colour colour = frame.border_colour;
  if (!shaped(frame)) {
    if (colour.a < 255 && !image.has_alpha()) image = image.bandjoin_const({255});
    return image.embed(b, b, width, height,
                       VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", background_for(image, colour)));
  }
  VImage coverage = shape_coverage(width, height, frame, b);
  VImage alpha = (coverage.cast(VIPS_FORMAT_FLOAT) * (colour.a / 255.0) + 0.5).cast(VIPS_FORMAT_UCHAR);
  VImage ring = solid(image, width, height, colour, alpha);
  VImage out = ring.composite2(image, VIPS_BLEND_MODE_OVER, VImage::option()->set("x", b)->set("y", b));
  return out.format() == VIPS_FORMAT_UCHAR ? out : out.cast(VIPS_FORMAT_UCHAR);
}

}  // namespace pixmill::pipeline::steps
