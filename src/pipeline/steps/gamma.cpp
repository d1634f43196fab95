#include "pipeline/steps/alpha.h"
#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// libvips gamma raises each colour band to 1/exponent over the format's range (a lookup
// table for 8-bit images): gamma 2.2 lifts the mid-tones, 0.5 darkens them.
VImage gamma(VImage image, const ColourTools& tools) {
  if (tools.gamma == 1.0) return image;
  const VipsBandFormat format = image.format();
  return on_colour_bands(image, [&](VImage colour) {
    return colour.gamma(VImage::option()->set("exponent", tools.gamma)).cast(format);
  });
}

}  // namespace pixmill::pipeline::steps
