#include "pipeline/steps/steps.h"

#include <algorithm>
#include <cmath>

namespace pixmill::pipeline::steps {

// Resizes to the plan's exact size. Alpha is premultiplied first so that transparent
// pixels' colours do not bleed into the edges (libvips issue 291, as vips_thumbnail).
VImage resize(VImage image, const GeometryPlan& plan) {
  if (!plan.resize_to) return image;
  const int w = plan.resize_to->width, h = plan.resize_to->height;
  if (w == image.width() && h == image.height()) return image;
  const double hscale = static_cast<double>(w) / image.width();
  const double exact_vscale = static_cast<double>(h) / image.height();
  // When one scale gives both sides (the aspect is kept, as it is unless fit=stretch), use
  // it for both, as vips_thumbnail and sharp do: a vertical scale a hair off the horizontal
  // one (683/1067 against 1024/1600) shifts the kernel's phase and changes every row.
  // libvips rounds each side to the nearest integer; stay clear of the .5 edge.
  const double vscale = std::abs(image.height() * hscale - h) < 0.45 ? hscale : exact_vscale;
  const bool alpha = image.has_alpha();
  const VipsBandFormat format = image.format();
  if (alpha) image = image.premultiply().cast(format);
  VImage resized = image.resize(hscale, VImage::option()->set("vscale", vscale));
  // libvips shrinks by whole factors before the kernel and rounds at each stage; should
  // the one scale land a row off, take the exact scales (nothing is computed yet).
  if (resized.width() != w || resized.height() != h) {
    resized = image.resize(hscale, VImage::option()->set("vscale", exact_vscale));
  }
  image = resized;
  if (alpha) image = image.unpremultiply().cast(format);
  return image;
}

// An animation is one tall strip of equal frames: each frame is scaled to the same whole
// number of rows, so that page-height still divides the strip and no frame drifts.
VImage scale(VImage image, double factor) {
  // libvips' own reading: page-height when it divides the strip, else the whole height.
  const int page_height = vips_image_get_page_height(image.get_image());
  const int frames = image.height() / page_height;
  const int frame_height = std::max(1, static_cast<int>(std::lround(page_height * factor)));
  GeometryPlan plan;
  plan.resize_to = Size{std::max(1, static_cast<int>(std::lround(image.width() * factor))), frame_height * frames};
  VImage scaled = resize(image, plan);
  if (frames > 1 && scaled.height() != image.height()) scaled.set("page-height", frame_height);
  return scaled;
}

}  // namespace pixmill::pipeline::steps
