#include "pipeline/steps/steps.h"

namespace pixmill::steps {

// Resizes to the plan's exact size. Alpha is premultiplied first so that transparent
// pixels' colours do not bleed into the edges (libvips issue 291, as vips_thumbnail).
VImage resize(VImage image, const GeometryPlan& plan) {
  if (!plan.resize_to) return image;
  const int w = plan.resize_to->width, h = plan.resize_to->height;
  if (w == image.width() && h == image.height()) return image;
  const double hscale = static_cast<double>(w) / image.width();
  const double vscale = static_cast<double>(h) / image.height();
  const bool alpha = image.has_alpha();
  const VipsBandFormat format = image.format();
  if (alpha) image = image.premultiply().cast(format);
  image = image.resize(hscale, VImage::option()->set("vscale", vscale));
  if (alpha) image = image.unpremultiply().cast(format);
  return image;
}

}  // namespace pixmill::steps
