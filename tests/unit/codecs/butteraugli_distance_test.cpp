// The perceptual distance quality=auto searches with: zero for the same pixels,
// growing with the damage.

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "codecs/butteraugli_distance.h"

namespace pixmill::codecs {
namespace {

std::vector<uint8_t> pattern(int width, int height) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int b = 0; b < 3; ++b) pixels[(static_cast<size_t>(y) * width + x) * 3 + b] = static_cast<uint8_t>(x * 4 + y * 2 + b * 50);
    }
  }
  return pixels;
}

// Adds +-amount on a checkerboard: visible noise that grows with amount.
std::vector<uint8_t> noisy(std::vector<uint8_t> pixels, int width, int amount) {
  for (size_t i = 0; i < pixels.size(); ++i) {
    const size_t pixel = i / 3;
    const int sign = ((pixel % width) + (pixel / width)) % 2 ? 1 : -1;
    pixels[i] = static_cast<uint8_t>(std::clamp(int(pixels[i]) + sign * amount, 0, 255));
  }
  return pixels;
}

TEST(Butteraugli, SamePixelsAreAtZeroAndDamageGrowsTheDistance) {
  const auto reference = pattern(48, 40);
  auto same = butteraugli_distance(reference.data(), reference.data(), 48, 40);
  ASSERT_TRUE(same.ok());
  EXPECT_NEAR(*same, 0.0, 1e-6);
  auto slight = butteraugli_distance(reference.data(), noisy(reference, 48, 2).data(), 48, 40);
  auto heavy = butteraugli_distance(reference.data(), noisy(reference, 48, 20).data(), 48, 40);
  ASSERT_TRUE(slight.ok() && heavy.ok());
  EXPECT_GT(*slight, 0.0);
  EXPECT_GT(*heavy, *slight);
}

TEST(Butteraugli, TooSmallImagesAreRefused) {
  const auto reference = pattern(4, 4);
  EXPECT_FALSE(butteraugli_distance(reference.data(), reference.data(), 4, 4).ok());
}

}  // namespace
}  // namespace pixmill::codecs
