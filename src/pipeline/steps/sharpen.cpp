#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// libvips' sharpen works on lightness in LabS; it returns the input's colour space.
VImage sharpen(VImage image, const Effects& fx) {
  if (fx.sharpen_sigma <= 0.0) return image;
  VipsInterpretation interp = image.interpretation();
  VImage out = image.sharpen(VImage::option()->set("sigma", fx.sharpen_sigma));
  if (out.interpretation() != interp) out = out.colourspace(interp);
  return out.cast(VIPS_FORMAT_UCHAR);
}

}  // namespace pixmill::pipeline::steps
