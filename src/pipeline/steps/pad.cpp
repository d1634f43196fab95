#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// Centres the image on a canvas of the plan's size, filled with the background.
VImage pad(VImage image, const GeometryPlan& plan, Colour background) {
  if (!plan.pad_to) return image;
  const int w = plan.pad_to->width, h = plan.pad_to->height;
  if (w == image.width() && h == image.height()) return image;
  if (background.a < 255 && !image.has_alpha()) image = image.bandjoin_const({255});
  return image.embed((w - image.width()) / 2, (h - image.height()) / 2, w, h,
                     VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", background_for(image, background)));
}

}  // namespace pixmill::pipeline::steps
