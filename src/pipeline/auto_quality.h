#pragma once
// quality=auto: the lowest encoder quality whose output still looks like the
// processed image. Binary search over the format's useful quality range, judged by
// butteraugli on a downscaled pair (pipeline/perceptual_distance.h), at most
// kMaxAutoQualityEncodes encodes.

#include <functional>
#include <optional>
#include <string>

#include <vips/vips8>

#include "pipeline/encode.h"

namespace pixmill::pipeline {

inline constexpr int kMaxAutoQualityEncodes = 6;

struct AutoQualitySearch {
  std::string bytes;
  int quality = 0;
  int encodes = 0;
  double distance = 0.0;  // of the chosen output; negative when it was not judged
  bool met = false;       // the chosen output is within the level's bound
};

// The largest butteraugli 3-norm each level accepts for this format, the pair compared
// at most kPerceptualSide px on the longer side. Each format's bounds are scaled to how
// far its own q80 strays at worst, so "auto" is never coarser than the format's q80 on a
// hard photo. (Judged at 512 px, a distance read ~1.6 times lower than at 1024 px, by an
// amount that differed between JPEG and WebP: bench/RESULTS.md.)
double auto_quality_bound(AutoQuality level, OutputFormat format);

// Whether quality=auto searches this encode (lossy JPEG, WebP, AVIF, JPEG XL, HEIC);
// other formats encode at their default quality.
bool auto_quality_applies(const EncodeSettings& settings);

using ProbeEncoder = std::function<std::string(const vips::VImage&, const EncodeSettings&)>;

// The effort the search settles its answer at when it is not the request's own: AVIF
// without an explicit effort probes at the default effort, then tries a few qualities
// lower at effort 4, which looks better for the same bytes. nullopt: one effort throughout.
std::optional<int> auto_quality_finer_effort(const EncodeSettings& settings);

// `image` is the processed still image, in memory. `encoder` is encode() in
// production; tests may count calls.
AutoQualitySearch search_auto_quality(const vips::VImage& image, EncodeSettings settings, AutoQuality level,
                                      const ProbeEncoder& encoder);

// AVIF's default quality, for a request that names no quality (nor effort, preview,
// lossless or max_compression): a fixed quality over-spends on easy photos and falls
// short on detailed ones, and a full search costs more than sharp's single slower
// encode. So one probe at the default quality is judged, then at most one re-encode
// moves the quality toward kAvifDefaultDistance (bench/RESULTS.md, "AVIF encoder
// settings against sharp's defaults").
bool perceptual_default_applies(const OutputSpec& spec, const EncodeSettings& settings);

// The butteraugli 3-norm (at kPerceptualSide) the AVIF default aims at: sharp's default
// (effort 4, q50) scores up to 2.2 on the photo corpus, so aiming a little under keeps
// every photo under that worst case while easier photos spend fewer bytes.
inline constexpr double kAvifDefaultDistance = 2.1;

// At most two encodes: the probe at settings.quality, and when its distance is off the
// target, one more at the quality predicted for it. The prediction moves up generously
// (a detailed photo must not end over the target) and down cautiously (an easy photo
// saves bytes, but the re-encode is not judged).
AutoQualitySearch correct_default_quality(const vips::VImage& image, EncodeSettings settings, const ProbeEncoder& encoder);

}  // namespace pixmill::pipeline
