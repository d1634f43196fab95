#pragma once
// quality=auto: the lowest encoder quality whose output still looks like the
// processed image. Binary search over the format's useful quality range, judged by
// butteraugli on a downscaled pair (pipeline/perceptual_distance.h), at most
// kMaxAutoQualityEncodes encodes.

#include <functional>
#include <string>

#include <vips/vips8>

#include "pipeline/encode.h"

namespace pixmill::pipeline {

inline constexpr int kMaxAutoQualityEncodes = 6;

struct AutoQualitySearch {
  std::string bytes;
  int quality = 0;
  int encodes = 0;
  double distance = 0.0;  // of the chosen output
  bool met = false;       // the chosen output is within the level's bound
};

// The largest butteraugli 3-norm each level accepts, at the image's own size.
double auto_quality_bound(AutoQuality level);

// Downscaled to kPerceptualSide, a 1600 px photo's distance reads about 1.6 times
// lower than at (near) full size (measured over the photo corpus, 512 against 1024 px):
// the search compares against the bound divided by this when it downscales.
inline constexpr double kDownscaledDistanceRatio = 1.6;

// The bound the search applies to a pair compared at `scale` of the image's size.
double auto_quality_bound(AutoQuality level, double scale);

// Whether quality=auto searches this encode (lossy JPEG, WebP, AVIF, JPEG XL, HEIC);
// other formats encode at their default quality.
bool auto_quality_applies(const EncodeSettings& settings);

// `image` is the processed still image, in memory. `encoder` is encode() in
// production; tests may count calls.
AutoQualitySearch search_auto_quality(const vips::VImage& image, EncodeSettings settings, AutoQuality level,
                                      const std::function<std::string(const vips::VImage&, const EncodeSettings&)>& encoder);

}  // namespace pixmill::pipeline
