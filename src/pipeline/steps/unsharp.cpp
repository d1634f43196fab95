#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// The unsharp mask with its parameters exposed: libvips sharpen blurs lightness with
// `sigma` and adds back the difference with gain m1 where it is small (flat areas) and
// m2 where it is large (edges, jagged), in LabS; it returns the input's colour space.
VImage unsharp(VImage image, const ColourTools& tools) {
  const Unsharp& u = tools.unsharp;
  if (u.sigma <= 0.0) return image;
  const VipsInterpretation interpretation = image.interpretation();
  VImage out = image.sharpen(VImage::option()->set("sigma", u.sigma)->set("m1", u.flat)->set("m2", u.jagged));
  if (out.interpretation() != interpretation) out = out.colourspace(interpretation);
  return out.cast(VIPS_FORMAT_UCHAR);
}

}  // namespace pixmill::pipeline::steps
