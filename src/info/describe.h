#pragma once
// describe_image(): the facts of an image for /api/v1/info and `pixmill info`: format,
// size, frames and delays, orientation, alpha, colour space and ICC profile, bit depth,
// an EXIF summary, dominant and average colours, BlurHash, ThumbHash and a perceptual
// hash. One decode, shrunk on load where the format allows; the limits of a process
// request apply.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "info/exif_summary.h"
#include "info/palette.h"
#include "pipeline/deadline.h"
#include "pipeline/source.h"

namespace pixmill::info {

struct DescribeOptions {
  bool gps_position = false;  // include the GPS coordinates (else only whether they exist)
};

struct ImageFacts {
  pipeline::SourceHeader header;           // stored size, frames, orientation, alpha, colour space, bits
  recipe::Size display;                  // the size after EXIF orientation
  std::vector<int> delays_ms;    // per frame, animations only
  std::optional<int> loop;       // animations: 0 = forever
  std::string icc_description;   // empty without a profile
  ExifSummary exif;
  recipe::Colour average;
  std::vector<PaletteEntry> palette;
  std::string blurhash;          // 4 x 3 components (3 x 4 for portrait images)
  std::vector<uint8_t> thumbhash;
  uint64_t phash = 0;
  uint64_t bytes = 0;
};

Result<ImageFacts> describe_image(std::span<const uint8_t> bytes, const recipe::Limits& limits, const DescribeOptions& options,
                                  const core::Deadline& deadline = core::Deadline());

// The JSON answer (docs/compositing.md lists the fields).
nlohmann::json facts_json(const ImageFacts& facts);

}  // namespace pixmill::info
