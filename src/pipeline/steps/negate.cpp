#include "pipeline/steps/alpha.h"
#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// Inverts the colour bands over the format's range; transparency is not inverted.
VImage negate(VImage image, const ColourTools& tools) {
  if (!tools.negate) return image;
  return on_colour_bands(image, [](VImage colour) { return colour.invert(); });
}

}  // namespace pixmill::pipeline::steps
