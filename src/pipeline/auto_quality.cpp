#include "pipeline/auto_quality.h"

#include <algorithm>
#include <map>

#include "pipeline/perceptual_distance.h"

namespace pixmill::pipeline {
namespace {

struct QualityRange {
  int low;
  int high;
};

// Where each encoder's quality does useful work: below `low` the artefacts are past
// every level; above `high` bytes grow for no visible gain.
QualityRange range_for(OutputFormat format) {
  switch (format) {
    case OutputFormat::Avif:
    case OutputFormat::Heic: return {20, 85};
    default: return {30, 95};
  }
}

// Calibrated on JPEG over the photo corpus (bench/RESULTS.md): sharp's JPEG q80 scores
// up to ~1.7 at 1024 px, so "good" at 1.6 keeps every image at or under that worst q80
// score while spending less on the images q80 over-serves.
double jpeg_bound(AutoQuality level) {
  switch (level) {
    case AutoQuality::High: return 1.1;
    case AutoQuality::Good: return 1.6;
    case AutoQuality::Eco: return 2.2;
    case AutoQuality::Low: return 3.2;
    case AutoQuality::Off: break;
  }
  return 1.6;
}

// A format's q80 is not JPEG's q80: on the same photos the worst q80 score of WebP is
// ~1.09 times JPEG's, of JPEG XL ~0.86, of AVIF and HEIC ~0.62. "auto" promises "no worse
// than this format's own q80 at its worst", so each format's bounds scale by a little
// under that ratio (bench/RESULTS.md, "quality=auto against sharp q80").
double format_scale(OutputFormat format) {
  switch (format) {
    case OutputFormat::Webp: return 1.09;
    case OutputFormat::Avif:
    case OutputFormat::Heic: return 0.64;
    case OutputFormat::Jxl: return 0.9;
    default: return 1.0;
  }
}

}  // namespace

double auto_quality_bound(AutoQuality level, OutputFormat format) { return jpeg_bound(level) * format_scale(format); }

// Palette PNG and JPEG-in-TIFF take a quality too, but the bounds were calibrated on the
// photo delivery codecs only.
bool auto_quality_applies(const EncodeSettings& s) {
  return quality_applies(s) && s.format != OutputFormat::Png && s.format != OutputFormat::Tiff;
}

AutoQualitySearch search_auto_quality(const vips::VImage& image, EncodeSettings settings, AutoQuality level,
                                      const std::function<std::string(const vips::VImage&, const EncodeSettings&)>& encoder) {
  AutoQualitySearch search;
  // butteraugli needs 8x8 after the downscale: tiny images keep the default quality.
  const double scale = std::min(1.0, static_cast<double>(kPerceptualSide) / std::max(image.width(), image.height()));
  if (image.width() * scale < 8 || image.height() * scale < 8) {
    search.bytes = encoder(image, settings);
    search.quality = settings.quality;
    search.encodes = 1;
    return search;
  }
  const PerceptualReference reference(image);
  const double bound = auto_quality_bound(level, settings.format);
  std::map<int, std::pair<std::string, double>> tried;
  auto probe = [&](int quality) -> const std::pair<std::string, double>& {
    auto found = tried.find(quality);
    if (found != tried.end()) return found->second;
    settings.quality = quality;
    std::string bytes = encoder(image, settings);
    const double distance = reference.distance_to(bytes, settings.format);
    ++search.encodes;
    return tried.emplace(quality, std::make_pair(std::move(bytes), distance)).first->second;
  };

  // Bisection for the lowest passing quality; the last encode is kept for the top of
  // the range when nothing passed, so the answer is never worse than that.
  const QualityRange range = range_for(settings.format);
  int low = range.low;
  int high = range.high;
  int best = -1;
  while (low <= high && search.encodes < kMaxAutoQualityEncodes - 1) {
    const int mid = (low + high) / 2;
    if (probe(mid).second <= bound) {
      best = mid;
      high = mid - 1;
    } else {
      low = mid + 1;
    }
  }
  const int chosen = best >= 0 ? best : range.high;
  const auto& [bytes, distance] = probe(chosen);
  search.quality = chosen;
  search.distance = distance;
  search.met = distance <= bound;
  search.bytes = bytes;
  return search;
}

}  // namespace pixmill::pipeline
