#include "info/palette.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace pixmill::info {
namespace {

constexpr int kLevels = 8;  // per channel: 512 bins, coarse enough that shading merges

struct Bin {
  double count = 0, r = 0, g = 0, b = 0;
};

uint8_t channel(double sum, double count) { return static_cast<uint8_t>(std::clamp(std::lround(sum / count), 0L, 255L)); }

}  // namespace

std::vector<PaletteEntry> dominant_colours(const RgbaView& image, int count, double min_share) {
  std::vector<PaletteEntry> palette;
  if (!image.valid() || count <= 0) return palette;
  std::vector<Bin> bins(kLevels * kLevels * kLevels);
  double counted = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const uint8_t* p = image.at(x, y);
      if (p[3] < 128) continue;
      const int index = (p[0] * kLevels / 256 * kLevels + p[1] * kLevels / 256) * kLevels + p[2] * kLevels / 256;
      Bin& bin = bins[static_cast<size_t>(index)];
      bin.count += 1;
      bin.r += p[0];
      bin.g += p[1];
      bin.b += p[2];
      counted += 1;
    }
  }
  if (counted == 0) return palette;
  std::vector<const Bin*> order;
  for (const Bin& bin : bins) {
    if (bin.count > 0) order.push_back(&bin);
  }
  // Fullest first; ties by position in the histogram, so the answer is stable.
  std::stable_sort(order.begin(), order.end(), [](const Bin* a, const Bin* b) { return a->count > b->count; });
  for (const Bin* bin : order) {
    if (static_cast<int>(palette.size()) == count || bin->count / counted < min_share) break;
    palette.push_back({recipe::Colour{channel(bin->r, bin->count), channel(bin->g, bin->count), channel(bin->b, bin->count), 255},
                       bin->count / counted});
  }
  return palette;
}

recipe::Colour average_colour(const RgbaView& image) {
  if (!image.valid()) return recipe::Colour::black();
  double weight = 0, r = 0, g = 0, b = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const uint8_t* p = image.at(x, y);
      const double alpha = p[3] / 255.0;
      weight += alpha;
      r += alpha * p[0];
      g += alpha * p[1];
      b += alpha * p[2];
    }
  }
  if (weight == 0) return recipe::Colour::transparent();
  return recipe::Colour{channel(r, weight), channel(g, weight), channel(b, weight), 255};
}

}  // namespace pixmill::info
