#pragma once
// How different an encoded image looks from the processed image it was encoded from:
// butteraugli (codecs/butteraugli_distance.h) on a pair downscaled to at most
// kPerceptualSide, so a probe's cost is bounded whatever the output size. Alpha is flattened onto white first,
// as a browser shows it on a white page.

#include <string>
#include <vector>

#include <vips/vips8>

#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

// The longer side both images are compared at (at most): large enough that JPEG's
// blocking and WebP's blur count as they do at display size, small enough for a probe to
// stay well under a second.
inline constexpr int kPerceptualSide = 1024;

class PerceptualReference {
 public:
  // `image` is the processed image (one frame), in memory; `side` the longer side
  // compared (the benchmark scores at another size than the search judges at).
  explicit PerceptualReference(const vips::VImage& image, int side = kPerceptualSide);

  // Butteraugli 3-norm between the reference and `encoded` (bytes of `format`).
  // Throws vips::VError when the bytes do not decode.
  double distance_to(const std::string& encoded, OutputFormat format) const;

 private:
  std::vector<uint8_t> pixels_;
  double scale_ = 1.0;
  int width_ = 0;
  int height_ = 0;
};

}  // namespace pixmill::pipeline
