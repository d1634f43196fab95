#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// Right angles are exact pixel moves; other angles rotate about the centre onto a
// canvas that grows to hold the result, filled with the background.
VImage rotate(VImage image, const GeometryPlan& plan, Colour background) {
  switch (plan.right_angle) {
    case 90: image = image.rot90(); break;
    case 180: image = image.rot180(); break;
    case 270: image = image.rot270(); break;
    default: break;
  }
  if (plan.free_angle == 0.0) return image;
  if (background.a < 255 && !image.has_alpha()) image = image.bandjoin_const({255});
  return image.rotate(plan.free_angle, VImage::option()->set("background", background_for(image, background)));
}

}  // namespace pixmill::pipeline::steps
