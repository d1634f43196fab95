#include "pipeline/steps/alpha.h"
#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// Auto-levels: stretches CIE L* so that its 1st percentile becomes black and its 99th
// white, leaving a* and b* (so hue) alone. A flat image (no spread) is left as it is.
// The percentiles read every pixel before the stretch reads them again: the caller loads
// with random access.
VImage normalize(VImage image, const ColourTools& tools) {
  if (!tools.normalize) return image;
  const bool grey = image.bands() - (image.has_alpha() ? 1 : 0) < 3;
  return on_colour_bands(image, [&](VImage colour) {
    VImage lab = colour.colourspace(VIPS_INTERPRETATION_LAB);
    // percent() needs an integer histogram: L* 0..100 in steps of 0.1.
    VImage lightness = (lab.extract_band(0) * 10.0).cast(VIPS_FORMAT_USHORT);
    const double low = lightness.percent(1.0) / 10.0;
    const double high = lightness.percent(99.0) / 10.0;
    if (high - low < 1.0) return colour;
    const double gain = 100.0 / (high - low);
    VImage stretched = lab.linear({gain, 1.0, 1.0}, {-low * gain, 0.0, 0.0});
    return stretched.colourspace(grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB).cast(VIPS_FORMAT_UCHAR);
  });
}

}  // namespace pixmill::pipeline::steps
