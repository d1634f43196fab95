#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// Removes a uniform border: libvips find_trim median-filters the image, then finds the
// box of pixels further than `threshold` from the background. Auto background is the
// top-left pixel (after flattening alpha onto white, as find_trim itself flattens).
// find_trim reads every pixel before the crop reads them again: the caller loads with
// random access. An image that is all background is left as it is.
VImage trim(VImage image, const Trim& trim) {
  if (!trim.enabled) return image;
  std::vector<double> background;
  if (trim.background) {
    background = background_for(image, *trim.background);
    if (image.has_alpha()) background.pop_back();
  } else {
    VImage opaque = image.has_alpha() ? image.flatten(VImage::option()->set("background", 255.0)) : image;
    background = opaque.getpoint(0, 0);
  }
  int top = 0, width = 0, height = 0;
  const int left = image.find_trim(&top, &width, &height,
                                   VImage::option()->set("threshold", trim.threshold)->set("background", background));
  if (width <= 0 || height <= 0) return image;
  if (width == image.width() && height == image.height()) return image;
  return image.extract_area(left, top, width, height);
}

}  // namespace pixmill::pipeline::steps
