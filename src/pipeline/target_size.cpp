#include "pipeline/target_size.h"

#include "pipeline/steps/steps.h"

#include <algorithm>
#include <cmath>

namespace pixmill::pipeline {
namespace {

constexpr int kMinQuality = 5;
constexpr int kMaxSearchSteps = 6;  // after the first encode: 7 in all
constexpr int kMaxDownscales = 4;

struct Probe {
  std::string bytes;
  int quality = 0;
};

// Binary search for the highest quality in [kMinQuality, start] that fits; returns the
// smallest output seen when none fits.
Probe best_quality(const vips::VImage& image, EncodeSettings settings, uint64_t target, int& iterations,
                   const std::function<std::string(const vips::VImage&, const EncodeSettings&)>& encoder, bool& met) {
  const int start = settings.quality;
  Probe first{encoder(image, settings), start};
  ++iterations;
  if (first.bytes.size() <= target) {
    met = true;
    return first;
  }
  if (!quality_applies(settings)) {
    met = false;
    return first;
  }
  int lo = kMinQuality, hi = start - 1;
  Probe best, smallest = first;
  for (int step = 0; lo <= hi && step < kMaxSearchSteps; ++step) {
    const int mid = (lo + hi) / 2;
    settings.quality = mid;
    Probe p{encoder(image, settings), mid};
    ++iterations;
    if (p.bytes.size() <= target) {
      best = std::move(p);
      lo = mid + 1;
    } else {
      if (p.bytes.size() < smallest.bytes.size()) smallest = std::move(p);
      hi = mid - 1;
    }
  }
  met = !best.bytes.empty();
  return met ? std::move(best) : std::move(smallest);
}

}  // namespace

TargetSearch search_target_size(const vips::VImage& input, EncodeSettings settings, uint64_t target,
                                const std::function<std::string(const vips::VImage&, const EncodeSettings&)>& encoder) {
  int iterations = 0;
  vips::VImage image = input;
  // PNG reaches small sizes through a palette, which quality then controls.
  if (settings.format == OutputFormat::Png) {
    EncodeSettings lossless = settings;
    std::string bytes = encoder(image, lossless);
    ++iterations;
    if (bytes.size() <= target) return {std::move(bytes), 100, iterations, true, false, image.width(), image.height()};
    settings.palette = true;
    settings.quality = std::min(settings.quality, 90);
  }
  // Should no round meet the target, the answer is the smallest output seen: a smaller
  // frame does not always encode smaller (per-frame overhead of animations, palettes).
  TargetSearch smallest;
  for (int round = 0;; ++round) {
    bool met = false;
    Probe p = best_quality(image, settings, target, iterations, encoder, met);
    const int height = vips_image_get_page_height(image.get_image());  // one frame's
    const size_t size = p.bytes.size();
    TargetSearch found{std::move(p.bytes), p.quality, 0, met, round > 0, image.width(), height};
    if (met) {
      found.iterations = iterations;
      return found;
    }
    if (smallest.bytes.empty() || found.bytes.size() < smallest.bytes.size()) smallest = std::move(found);
    if (round == kMaxDownscales || image.width() <= 16 || height <= 16) {
      smallest.iterations = iterations;
      return smallest;
    }
    // Shrink by the square root of the size ratio (bytes scale roughly with area), a bit more to converge.
    const double ratio = std::sqrt(static_cast<double>(target) / static_cast<double>(size)) * 0.9;
    // Held in memory: the next round encodes it several times.
    image = steps::scale(image, std::clamp(ratio, 0.1, 0.9)).copy_memory();
  }
}

}  // namespace pixmill::pipeline
