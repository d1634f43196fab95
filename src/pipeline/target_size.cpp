#include "pipeline/target_size.h"

#include "pipeline/steps/steps.h"

#include <algorithm>
#include <cmath>

namespace pixmill {
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
  TargetSearch result;
  vips::VImage image = input;
  // PNG reaches small sizes through a palette, which quality then controls.
  if (settings.format == OutputFormat::Png) {
    EncodeSettings lossless = settings;
    std::string bytes = encoder(image, lossless);
    ++result.iterations;
    if (bytes.size() <= target) {
      result = {std::move(bytes), 100, result.iterations, true, false, image.width(), image.height()};
      return result;
    }
    settings.palette = true;
    settings.quality = std::min(settings.quality, 90);
  }
  for (int round = 0;; ++round) {
    bool met = false;
    Probe p = best_quality(image, settings, target, result.iterations, encoder, met);
    result.bytes = std::move(p.bytes);
    result.quality = p.quality;
    result.met = met;
    result.width = image.width();
    result.height = image.get_typeof("page-height") ? image.get_int("page-height") : image.height();
    if (met || round == kMaxDownscales || image.width() <= 16 || image.height() <= 16) return result;
    // Shrink by the square root of the size ratio (bytes scale roughly with area), a bit more to converge.
    const double ratio = std::sqrt(static_cast<double>(target) / static_cast<double>(result.bytes.size())) * 0.9;
    // Held in memory: the next round encodes it several times.
    image = steps::scale(image, std::clamp(ratio, 0.1, 0.9)).copy_memory();
    result.downscaled = true;
  }
}

}  // namespace pixmill
