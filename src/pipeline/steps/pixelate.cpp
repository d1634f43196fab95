#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {

// Blocks of n x n pixels, each the average of the pixels under it (alpha-weighted: the
// colour of a transparent pixel must not leak into its block). Blocks start at the top
// left; where the last row or column of blocks is cut short by the edge, its block is
// completed by repeating the edge pixels before averaging.
VImage pixelate(VImage image, const ColourTools& tools) {
  const int n = tools.pixelate;
  if (n <= 1) return image;
  const int width = image.width(), height = image.height();
  const VipsBandFormat format = image.format();
  const bool alpha = image.has_alpha();
  VImage work = alpha ? image.premultiply() : image.cast(VIPS_FORMAT_FLOAT);
  const int padded_w = (width + n - 1) / n * n, padded_h = (height + n - 1) / n * n;
  if (padded_w != width || padded_h != height) {
    work = work.embed(0, 0, padded_w, padded_h, VImage::option()->set("extend", VIPS_EXTEND_COPY));
  }
  VImage blocks = work.shrink(n, n);
  VImage out = blocks.zoom(n, n).extract_area(0, 0, width, height);
  if (alpha) out = out.unpremultiply();
  return (out + 0.5).cast(format).copy(VImage::option()->set("interpretation", image.interpretation()));
}

}  // namespace pixmill::pipeline::steps
