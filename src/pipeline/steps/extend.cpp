#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// Padding per side, filled with the extend colour (the recipe's background unless set).
// A transparent colour gives an image without alpha an alpha band first.
VImage extend(VImage image, const Frame& frame, Colour background) {
  const Sides& s = frame.extend;
  if (!s.any()) return image;
  const Colour colour = frame.extend_colour.value_or(background);
  if (colour.a < 255 && !image.has_alpha()) image = image.bandjoin_const({255});
  return image.embed(s.left, s.top, image.width() + s.left + s.right, image.height() + s.top + s.bottom,
                     VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", background_for(image, colour)));
}

}  // namespace pixmill::pipeline::steps
