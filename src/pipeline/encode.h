#pragma once
// Encoding a processed image to one concrete format, in memory.

#include <string>

#include <vips/vips8>

#include "core/result.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

struct EncodeSettings {
  OutputFormat format = OutputFormat::Jpeg;  // concrete
  int quality = 80;
  std::optional<int> effort;  // 0..9, mapped onto each encoder's own scale
  bool progressive = false;
  bool lossless = false;
  bool strip_metadata = true;
  bool max_compression = false;
  bool preview = false;
  bool palette = false;  // PNG: quantise to a palette (lossy, far smaller)
  uint64_t max_encode_pixels = 16'000'000;  // JXL: libjxl 0.7 holds the whole frame (JXL_MAX_PIXELS)
};

// Quality used when the recipe leaves it unset.
int default_quality(OutputFormat format);

// Settings from the recipe's output spec for a resolved format.
EncodeSettings encode_settings_for(const OutputSpec& spec, OutputFormat format);

// Refusals known before any encode: a JXL frame over JXL_MAX_PIXELS and an animated AVIF
// whose encoder lookahead is over AVIF_ANIMATION_MAX_PIXELS (422 TOO_MANY_PIXELS), HEIC
// without an HEVC encoder in libheif (415). Typed errors instead of an encoder failure
// (500) or a process out of memory. `height` is one frame's.
Status check_encodable(OutputFormat format, int width, int height, int frames, const Limits& limits);

// Whether the quality setting changes this format's output (for reporting and target search).
bool quality_applies(const EncodeSettings& settings);

// Throws vips::VError on encoder failure (the caller classifies it).
std::string encode(const vips::VImage& image, const EncodeSettings& settings);

}  // namespace pixmill::pipeline
