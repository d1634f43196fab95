#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

VImage blur(VImage image, const Effects& fx) {
  if (fx.blur_sigma <= 0.0) return image;
  return image.gaussblur(fx.blur_sigma).cast(image.format());
}

}  // namespace pixmill::pipeline::steps
