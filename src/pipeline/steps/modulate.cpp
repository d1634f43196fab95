#include "pipeline/steps/alpha.h"
#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// Hue rotation and lightness/chroma multipliers in a perceptual polar space: Oklch by
// default (even hue steps look even, blues do not drift to purple), or CIE LCh. In RGB
// (HSV) the same rotation changes lightness as it goes. Grey input stays grey, with only
// lightness applied.
VImage modulate(VImage image, const ColourTools& tools) {
  if (tools.hue == 0.0 && tools.lightness == 1.0 && tools.chroma == 1.0) return image;
  const VipsInterpretation space =
      tools.space == ModulateSpace::Oklch ? VIPS_INTERPRETATION_OKLCH : VIPS_INTERPRETATION_LCH;
  const VipsInterpretation original = image.interpretation();
  const bool grey = image.bands() - (image.has_alpha() ? 1 : 0) < 3;
  return on_colour_bands(image, [&](VImage colour) {
    VImage polar = colour.colourspace(space).linear({tools.lightness, tools.chroma, 1.0}, {0.0, 0.0, tools.hue});
    VImage out = polar.colourspace(grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB);
    if (out.interpretation() != original && !grey) out = out.colourspace(original);
    return out.cast(VIPS_FORMAT_UCHAR);
  });
}

}  // namespace pixmill::pipeline::steps
