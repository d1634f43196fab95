#pragma once
// Edge refinement for the cut-out (refineEdges): information-flow alpha matting
// (Aksoy et al. 2017, OpenCV contrib's cv::alphamat) on the band where the model was
// unsure, so hair, fur and soft edges take their alpha from the photo's colours instead
// of the model's low-resolution view (768 or 1024 pixels a side). Plain values in and out: OpenCV stays in the .cpp.

#include <cstdint>
#include <vector>

#include "ai/mask.h"
#include "core/result.h"

namespace pixmill::ai {

struct MattingLimits {
  // The model's alpha at or below `low` is background, at or above `high` subject; the
  // pixels between are the unknown band the matting solves for.
  uint8_t low = 5;
  uint8_t high = 250;
  // infoFlow builds a graph over every pixel it is given: it gets the band's bounding box
  // grown by `margin` pixels of sure colours, shrunk so that the box has at most
  // `max_pixels` and the band at most `max_unknown` pixels (a request stays within a few
  // seconds and a few hundred MB), and the solved band is scaled back.
  int margin = 24;
  int max_unknown = 15'000;
  int max_pixels = 250'000;
};

// `alpha` is the model's alpha at the image's size (width x height, 0..255). Returns it
// with the unknown band replaced by the matting's alpha; unchanged where the image has
// no band, or no sure subject or background to learn colours from.
Result<std::vector<uint8_t>> refine_alpha(const RgbImage& image, std::vector<uint8_t> alpha,
                                          const MattingLimits& limits = {});

}  // namespace pixmill::ai
