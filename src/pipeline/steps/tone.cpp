#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {
namespace {

// Brightness scales lightness and saturation scales chroma in LCh, as sharp's
// modulate() does, so neither shifts hue. Contrast stretches around mid-grey.
VImage tone_colour(VImage image, const Effects& fx) {
  const bool colour = image.bands() >= 3;
  if (fx.brightness != 1.0 || (colour && fx.saturation != 1.0)) {
    if (colour) {
      image = image.colourspace(VIPS_INTERPRETATION_LCH)
                  .linear({fx.brightness, fx.saturation, 1.0}, {0.0, 0.0, 0.0})
                  .colourspace(VIPS_INTERPRETATION_sRGB);
    } else {
      image = image.linear(fx.brightness, 0.0);
    }
  }
  if (fx.contrast != 1.0) image = image.linear(fx.contrast, 128.0 * (1.0 - fx.contrast));
  return image.cast(VIPS_FORMAT_UCHAR);
}

}  // namespace

VImage tone(VImage image, const Effects& fx) {
  if (fx.brightness == 1.0 && fx.saturation == 1.0 && fx.contrast == 1.0) return image;
  return with_alpha_split(image, tone_colour, fx);
}

}  // namespace pixmill::pipeline::steps
