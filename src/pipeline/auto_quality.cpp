#include "pipeline/auto_quality.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

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

std::optional<int> auto_quality_finer_effort(const EncodeSettings& s) {
  // AVIF at effort 4 (aom's speed 5, sharp's default) scores ~5% better than at the
  // default effort 3 for the same quality and bytes, at 4-5x the CPU (bench/RESULTS.md):
  // worth it for the few encodes that settle the answer, not for the whole search. A
  // request that names an effort, or asks for the fastest or smallest, gets it throughout.
  if (s.format != OutputFormat::Avif || s.effort || s.preview || s.max_compression) return std::nullopt;
  return 4;
}

namespace {

struct Probed {
  std::string bytes;
  double distance = 0.0;
};

// The probes of one effort: each quality encoded and judged once.
class Prober {
 public:
  Prober(const vips::VImage& image, EncodeSettings settings, const PerceptualReference& reference, const ProbeEncoder& encoder,
         int& encodes)
      : image_(image), settings_(std::move(settings)), reference_(reference), encoder_(encoder), encodes_(encodes) {}

  const Probed& operator()(int quality) {
    auto found = tried_.find(quality);
    if (found != tried_.end()) return found->second;
    settings_.quality = quality;
    Probed probed{encoder_(image_, settings_), 0.0};
    probed.distance = reference_.distance_to(probed.bytes, settings_.format);
    ++encodes_;
    return tried_.emplace(quality, std::move(probed)).first->second;
  }

  // Bisection for the lowest quality in [low, high] within `bound`, while fewer than
  // `budget` encodes have been spent in all: the passing quality (-1 when none passed)
  // and the lowest quality not yet known to fail.
  std::pair<int, int> lowest_passing(int low, int high, double bound, int budget) {
    int best = -1;
    while (low <= high && encodes_ < budget) {
      const int mid = (low + high) / 2;
      if ((*this)(mid).distance <= bound) {
        best = mid;
        high = mid - 1;
      } else {
        low = mid + 1;
      }
    }
    return {best, low};
  }

  const std::map<int, Probed>& tried() const { return tried_; }

 private:
  const vips::VImage& image_;
  EncodeSettings settings_;
  const PerceptualReference& reference_;
  const ProbeEncoder& encoder_;
  int& encodes_;
  std::map<int, Probed> tried_;
};

// butteraugli needs 8x8 after the downscale: tiny images keep the default quality.
bool too_small_to_judge(const vips::VImage& image) {
  const double scale = std::min(1.0, static_cast<double>(kPerceptualSide) / std::max(image.width(), image.height()));
  return image.width() * scale < 8 || image.height() * scale < 8;
}

// How far below the coarse answer the finer effort looks: three steps of two.
constexpr int kFinerReach = 6;

}  // namespace

AutoQualitySearch search_auto_quality(const vips::VImage& image, EncodeSettings settings, AutoQuality level, const ProbeEncoder& encoder) {
  AutoQualitySearch search;
  if (too_small_to_judge(image)) {
    search.bytes = encoder(image, settings);
    search.quality = settings.quality;
    search.encodes = 1;
    return search;
  }
  const PerceptualReference reference(image);
  const double bound = auto_quality_bound(level, settings.format);
  const QualityRange range = range_for(settings.format);
  const std::optional<int> finer_effort = auto_quality_finer_effort(settings);
  Prober coarse(image, settings, reference, encoder, search.encodes);
  auto answer_with = [&](int quality, const Probed& probed) {
    search.quality = quality;
    search.distance = probed.distance;
    search.met = probed.distance <= bound;
    search.bytes = probed.bytes;
    return search;
  };

  if (!finer_effort) {
    // Bisection for the lowest passing quality, leaving one encode for the answer: when
    // nothing passed, the top of the range, so it is never worse than that.
    const int best = coarse.lowest_passing(range.low, range.high, bound, kMaxAutoQualityEncodes - 1).first;
    const int chosen = best >= 0 ? best : range.high;
    return answer_with(chosen, coarse(chosen));
  }

  // Two efforts: the coarse bisection narrows the range, the finer effort looks just
  // below its answer (or, when nothing passed, from a little below the last failure up).
  const auto [best, first_unknown] = coarse.lowest_passing(range.low, range.high, bound, kMaxAutoQualityEncodes - 2);
  EncodeSettings finer_settings = settings;
  finer_settings.effort = finer_effort;
  Prober finer(image, finer_settings, reference, encoder, search.encodes);
  if (best >= 0) {
    finer.lowest_passing(std::max(range.low, best - kFinerReach), best - 1, bound, kMaxAutoQualityEncodes);
  } else {
    // The coarse effort failed just below first_unknown; the finer one may pass two steps lower.
    finer.lowest_passing(std::max(range.low, first_unknown - 4), range.high, bound, kMaxAutoQualityEncodes);
  }
  // The smallest output within the bound, of either effort; when none is, the one that
  // came closest. Ranked by (outside the bound, bytes if inside else distance).
  auto rank = [&](const Probed& p) {
    const bool passes = p.distance <= bound;
    return std::make_pair(!passes, passes ? static_cast<double>(p.bytes.size()) : p.distance);
  };
  const Probed* pick = nullptr;
  int picked = 0;
  for (const Prober* prober : {&coarse, &finer}) {
    for (const auto& [quality, probed] : prober->tried()) {
      if (!pick || rank(probed) < rank(*pick)) {
        pick = &probed;
        picked = quality;
      }
    }
  }
  return answer_with(picked, *pick);
}

bool perceptual_default_applies(const OutputSpec& spec, const EncodeSettings& s) {
  return s.format == OutputFormat::Avif && spec.auto_quality == AutoQuality::Off && !spec.quality && !s.effort &&
         !s.lossless && !s.preview && !s.max_compression;
}

namespace {

// How fast log(distance) falls per quality point, at effort 3 around q50 over the photo
// corpus: 0.026 in the median, 0.011 to 0.049 from the 10th to the 90th percentile. A
// move up assumes a slow fall (it overshoots rather than stop short of the target), a
// move down a fast one (it stops short rather than overshoot).
constexpr double kSlopeUp = 0.018;
constexpr double kSlopeDown = 0.045;
// The farthest a move down may go: an unjudged encode far from the probe is a guess.
constexpr int kMaxStepDown = 16;

}  // namespace

AutoQualitySearch correct_default_quality(const vips::VImage& image, EncodeSettings settings, const ProbeEncoder& encoder) {
  AutoQualitySearch search;
  search.quality = settings.quality;
  search.bytes = encoder(image, settings);
  search.encodes = 1;
  search.distance = -1.0;
  if (too_small_to_judge(image)) return search;

  const double probed = PerceptualReference(image).distance_to(search.bytes, settings.format);
  search.distance = probed;
  search.met = probed <= kAvifDefaultDistance;
  // Quality moves in steps of two: libheif maps 100 qualities onto 64 quantizers. (A
  // flat image judges at 0: the step down is bounded before it becomes an integer.)
  const double step = probed > kAvifDefaultDistance
                          ? 2 * std::ceil(std::log(probed / kAvifDefaultDistance) / kSlopeUp / 2)
                          : -std::min<double>(kMaxStepDown, 2 * std::floor(std::log(kAvifDefaultDistance / std::max(probed, 1e-6)) / kSlopeDown / 2));
  const QualityRange range = range_for(settings.format);
  const int next = std::clamp(settings.quality + static_cast<int>(std::min(step, 100.0)), range.low, range.high);
  if (next == settings.quality) return search;

  settings.quality = next;
  search.bytes = encoder(image, settings);
  search.quality = next;
  search.encodes = 2;
  search.distance = -1.0;  // not judged: a third encode would cost more than it saves
  search.met = false;
  return search;
}

}  // namespace pixmill::pipeline
