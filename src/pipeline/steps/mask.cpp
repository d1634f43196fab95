#include <algorithm>
#include <cmath>

#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {
namespace {

// Coverage from a signed distance d (pixels, negative inside): 1 inside, 0 outside, a
// one-pixel linear ramp across the edge (antialiasing).
VImage coverage_from_distance(VImage distance) { return ((0.5 - distance) * 255.0 + 0.5).cast(VIPS_FORMAT_UCHAR); }

// libvips' sdf samples at whole pixel coordinates, i.e. pixel centres; a box covering
// every pixel runs from -0.5 to size - 0.5.
VImage rounded_box(int width, int height, double radius) {
  const double r = std::min({radius, width / 2.0, height / 2.0});
  return VImage::sdf(width, height, VIPS_SDF_SHAPE_ROUNDED_BOX,
                     VImage::option()
                         ->set("a", std::vector<double>{-0.5, -0.5})
                         ->set("b", std::vector<double>{width - 0.5, height - 0.5})
                         ->set("corners", std::vector<double>{r, r, r, r}));
}

VImage circle(int width, int height) {
  return VImage::sdf(width, height, VIPS_SDF_SHAPE_CIRCLE,
                     VImage::option()
                         ->set("a", std::vector<double>{(width - 1) / 2.0, (height - 1) / 2.0})
                         ->set("r", std::min(width, height) / 2.0));
}

// libvips has no ellipse SDF. With k = |((x - cx) / rx, (y - cy) / ry)| the boundary is
// k = 1, and (k - 1) / |grad k| is the distance to it to first order: exact on the axes,
// and well within the one-pixel ramp near the edge, which is all the coverage needs.
VImage ellipse(int width, int height) {
  const double rx = width / 2.0, ry = height / 2.0;
  VImage xy = VImage::xyz(width, height).cast(VIPS_FORMAT_FLOAT);
  VImage u = (xy.extract_band(0) - (width - 1) / 2.0) / rx;
  VImage v = (xy.extract_band(1) - (height - 1) / 2.0) / ry;
  VImage k = (u * u + v * v).pow(0.5);
  VImage gradient = ((u / rx) * (u / rx) + (v / ry) * (v / ry)).pow(0.5) / (k + 1e-9);
  return (k - 1.0) / (gradient + 1e-9);
}

}  // namespace

VImage shape_coverage(int width, int height, const Frame& frame, int grow) {
  switch (frame.mask) {
    case MaskShape::Circle: return coverage_from_distance(circle(width, height));
    case MaskShape::Ellipse: return coverage_from_distance(ellipse(width, height));
    case MaskShape::None: break;
  }
  return coverage_from_distance(rounded_box(width, height, frame.radius + grow));
}

// Rounded corners or a circle/ellipse: the shape's coverage becomes (or multiplies) the
// alpha band. Outside the shape is transparent; formats without alpha get the recipe's
// background when the pipeline flattens.
VImage mask(VImage image, const Frame& frame) {
  if (frame.radius <= 0 && frame.mask == MaskShape::None) return image;
  const VipsInterpretation interpretation = image.interpretation();
  VImage coverage = shape_coverage(image.width(), image.height(), frame);
  VImage out;
  if (image.has_alpha()) {
    VImage colour = image.extract_band(0, VImage::option()->set("n", image.bands() - 1));
    VImage alpha = (image.extract_band(image.bands() - 1).cast(VIPS_FORMAT_FLOAT) * coverage / 255.0 + 0.5).cast(VIPS_FORMAT_UCHAR);
    out = colour.bandjoin(alpha);
  } else {
    out = image.bandjoin(coverage);
  }
  return out.copy(VImage::option()->set("interpretation", interpretation));
}

}  // namespace pixmill::pipeline::steps
