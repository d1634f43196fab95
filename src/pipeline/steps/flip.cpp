#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

VImage flip(VImage image, bool flip_vertical, bool flop_horizontal) {
  if (flip_vertical) image = image.flip(VIPS_DIRECTION_VERTICAL);
  if (flop_horizontal) image = image.flip(VIPS_DIRECTION_HORIZONTAL);
  return image;
}

}  // namespace pixmill::pipeline::steps
