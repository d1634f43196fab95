#include "pipeline/steps/steps.h"

#include <algorithm>

namespace pixmill::pipeline::steps {

VImage crop(VImage image, const GeometryPlan& plan) {
  if (!plan.crop) return image;
  const CropRect& c = *plan.crop;
  return image.extract_area(c.x, c.y, std::min(c.width, image.width() - c.x), std::min(c.height, image.height() - c.y));
}

namespace {

// Offsets of a w×h window inside the image for a compass gravity.
std::pair<int, int> gravity_offset(Gravity g, int image_w, int image_h, int w, int h) {
  const int free_x = image_w - w, free_y = image_h - h;
  int x = free_x / 2, y = free_y / 2;
  switch (g) {
    case Gravity::North: y = 0; break;
    case Gravity::South: y = free_y; break;
    case Gravity::East: x = free_x; break;
    case Gravity::West: x = 0; break;
    case Gravity::NorthEast: x = free_x; y = 0; break;
    case Gravity::NorthWest: x = 0; y = 0; break;
    case Gravity::SouthEast: x = free_x; y = free_y; break;
    case Gravity::SouthWest: x = 0; y = free_y; break;
    default: break;
  }
  return {x, y};
}

}  // namespace

VImage cover_crop(VImage image, const GeometryPlan& plan, Gravity gravity) {
  if (!plan.cover_crop) return image;
  const int w = std::min(plan.cover_crop->width, image.width());
  const int h = std::min(plan.cover_crop->height, image.height());
  if (w == image.width() && h == image.height()) return image;
  if (gravity == Gravity::Attention || gravity == Gravity::Entropy) {
    return image.smartcrop(w, h, VImage::option()->set(
        "interesting", gravity == Gravity::Attention ? VIPS_INTERESTING_ATTENTION : VIPS_INTERESTING_ENTROPY));
  }
  auto [x, y] = gravity_offset(gravity, image.width(), image.height(), w, h);
  return image.extract_area(x, y, w, h);
}

VImage centre_crop(VImage image, const GeometryPlan& plan) {
  if (!plan.centre_crop) return image;
  const int w = std::min(plan.centre_crop->width, image.width());
  const int h = std::min(plan.centre_crop->height, image.height());
  if (w == image.width() && h == image.height()) return image;
  return image.extract_area((image.width() - w) / 2, (image.height() - h) / 2, w, h);
}

}  // namespace pixmill::pipeline::steps
