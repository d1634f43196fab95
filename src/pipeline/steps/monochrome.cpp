#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {
namespace {

VImage monochrome_colour(VImage image, const Effects& fx) {
  if (fx.sepia) {
    // The classic sepia matrix (Microsoft's), on sRGB.
    if (image.bands() < 3) image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    VImage matrix = VImage::new_matrixv(3, 3, 0.393, 0.769, 0.189, 0.349, 0.686, 0.168, 0.272, 0.534, 0.131);
    return image.recomb(matrix).cast(VIPS_FORMAT_UCHAR).copy(
        VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  }
  return image.colourspace(VIPS_INTERPRETATION_B_W);
}

}  // namespace

VImage monochrome(VImage image, const Effects& fx) {
  if (!fx.grayscale && !fx.sepia) return image;
  return with_alpha_split(image, monochrome_colour, fx);
}

}  // namespace pixmill::pipeline::steps
