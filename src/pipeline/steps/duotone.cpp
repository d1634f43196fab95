#include "pipeline/steps/alpha.h"
#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {
namespace {

// A 256-entry sRGB table from grey level t to the mix (1 - t) * shadow + t * highlight,
// interpolated in CIE Lab so that the ramp between the two colours looks even.
VImage duotone_table(Colour shadow, Colour highlight) {
  const std::vector<double> dark = lab_of(shadow), light = lab_of(highlight);
  VImage t = VImage::identity().cast(VIPS_FORMAT_FLOAT) / 255.0;
  std::vector<VImage> bands;
  for (int i = 0; i < 3; ++i) bands.push_back(t * (light[i] - dark[i]) + dark[i]);
  VImage lab = VImage::bandjoin(bands).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_LAB));
  return lab.colourspace(VIPS_INTERPRETATION_sRGB).cast(VIPS_FORMAT_UCHAR);
}

}  // namespace

// Duotone: luminance mapped onto a ramp from the shadow colour to the highlight colour.
VImage duotone(VImage image, const ColourTools& tools) {
  if (!tools.duotone_shadow || !tools.duotone_highlight) return image;
  VImage table = duotone_table(*tools.duotone_shadow, *tools.duotone_highlight);
  return on_colour_bands(image, [&](VImage colour) {
    return colour.colourspace(VIPS_INTERPRETATION_B_W).cast(VIPS_FORMAT_UCHAR).maplut(table)
        .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  });
}

}  // namespace pixmill::pipeline::steps
