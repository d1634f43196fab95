#include "pipeline/steps/alpha.h"
#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {
namespace {

// A 256-entry sRGB lookup table from grey level to tinted colour: the grey's own L*, with
// the tint's a*/b* weighted by 1 - (2 L - 1)^2 (L in 0..1), so that black and white stay
// neutral and the mid-tones take the full tint.
VImage tint_table(Colour colour) {
  const std::vector<double> tint_lab = lab_of(colour);
  const double a = tint_lab[1], b = tint_lab[2];
  VImage grey = VImage::identity().copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
  VImage lightness = grey.colourspace(VIPS_INTERPRETATION_LAB).extract_band(0);
  VImage l01 = lightness / 100.0;
  VImage weight = 1.0 - 4.0 * (l01 - 0.5) * (l01 - 0.5);
  VImage lab = VImage::bandjoin({lightness, weight * a, weight * b}).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_LAB));
  return lab.colourspace(VIPS_INTERPRETATION_sRGB).cast(VIPS_FORMAT_UCHAR);
}

}  // namespace

// Tint: the image's luminance mapped through a table that keeps each grey's lightness and
// gives it the tint's hue (as a tinted photographic print).
VImage tint(VImage image, const ColourTools& tools) {
  if (!tools.tint) return image;
  VImage table = tint_table(*tools.tint);
  return on_colour_bands(image, [&](VImage colour) {
    return colour.colourspace(VIPS_INTERPRETATION_B_W).cast(VIPS_FORMAT_UCHAR).maplut(table)
        .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  });
}

}  // namespace pixmill::pipeline::steps
