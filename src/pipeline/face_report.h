#pragma once
// Face boxes for an encoded image, for /api/v1/info?faces=true and `pixmill faces`:
// the image is decoded (first frame, EXIF orientation applied, the same limits as
// processing), the face detector runs on the AI pool, and the boxes come back in
// pixels of the oriented image.

#include <span>
#include <vector>

#include "ai/segmenter.h"
#include "core/result.h"
#include "pipeline/deadline.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

struct FaceReport {
  int width = 0;   // of the oriented image
  int height = 0;
  std::vector<ai::FaceBox> faces;  // best first
  double elapsed_ms = 0.0;         // decode and detection
};

Result<FaceReport> find_faces_in_image(std::span<const uint8_t> input, const Limits& limits, const Deadline& deadline,
                                       ai::Segmenter& segmenter);

}  // namespace pixmill::pipeline
