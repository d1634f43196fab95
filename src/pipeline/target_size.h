#pragma once
// Target size: the highest quality (and, only when quality alone cannot reach the
// target, a smaller size) whose output is at most target_bytes.

#include <cstdint>
#include <functional>
#include <string>

#include <vips/vips8>

#include "pipeline/encode.h"

namespace pixmill::pipeline {

struct TargetSearch {
  std::string bytes;
  int quality = 0;
  int iterations = 0;
  bool met = false;
  bool downscaled = false;
  int width = 0;
  int height = 0;
};

// `image` should already be in memory: every probe re-encodes it. `encoder` is
// encode() in production; tests may count calls. Quality alone takes at most 7 encodes.
TargetSearch search_target_size(const vips::VImage& image, EncodeSettings settings, uint64_t target_bytes,
                                const std::function<std::string(const vips::VImage&, const EncodeSettings&)>& encoder);

}  // namespace pixmill::pipeline
