#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// Applies EXIF orientation exactly once; autorot also removes the tag so that no
// viewer applies it a second time.
VImage auto_orient(VImage image) {
  if (!image.get_typeof("orientation")) return image;
  const int orientation = image.get_int("orientation");
  if (orientation <= 1 || orientation > 8) {
    image = image.copy();
    image.remove("orientation");
    return image;
  }
  return image.autorot();
}

}  // namespace pixmill::pipeline::steps
