// Edge refinement by information-flow matting (ai/alpha_matting.h) on synthetic images
// whose true alpha is known: a subject and a background of different colours blended
// along a wavy soft edge. A model's alpha that is too soft and misplaced (a blurred copy
// of the truth) must come closer to the truth, and only inside its uncertain band.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "ai/alpha_matting.h"

namespace pixmill::ai {
namespace {

constexpr int kWidth = 96;
constexpr int kHeight = 64;

// The true alpha: subject on the left of a wavy edge, a 4-pixel soft ramp across it.
std::vector<uint8_t> true_alpha() {
  std::vector<uint8_t> alpha(kWidth * kHeight);
  for (int y = 0; y < kHeight; ++y) {
    const double edge = 48 + 8 * std::sin(y / 4.0);
    for (int x = 0; x < kWidth; ++x) {
      alpha[y * kWidth + x] = static_cast<uint8_t>(std::lround(std::clamp((edge + 2 - x) / 4.0, 0.0, 1.0) * 255));
    }
  }
  return alpha;
}

// The photo: a reddish textured subject over a bluish textured background, blended by
// the true alpha.
RgbImage blended(const std::vector<uint8_t>& alpha) {
  RgbImage image{kWidth, kHeight, std::vector<uint8_t>(kWidth * kHeight * 3)};
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const double a = alpha[y * kWidth + x] / 255.0;
      const double texture = ((x * 7 + y * 13) % 11) - 5;
      const double fg[3] = {210 + texture, 50 + texture, 40};
      const double bg[3] = {40, 70 - texture, 190 + texture};
      for (int c = 0; c < 3; ++c) {
        image.pixels[(y * kWidth + x) * 3 + c] = static_cast<uint8_t>(std::lround(a * fg[c] + (1 - a) * bg[c]));
      }
    }
  }
  return image;
}

// A model's view: the truth blurred along each row (too soft, and the wave flattened).
std::vector<uint8_t> blurred(const std::vector<uint8_t>& alpha, int radius) {
  std::vector<uint8_t> out(alpha.size());
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      int sum = 0, n = 0;
      for (int dy = -radius; dy <= radius; ++dy) {
        for (int dx = -radius; dx <= radius; ++dx) {
          const int yy = std::clamp(y + dy, 0, kHeight - 1), xx = std::clamp(x + dx, 0, kWidth - 1);
          sum += alpha[yy * kWidth + xx];
          ++n;
        }
      }
      out[y * kWidth + x] = static_cast<uint8_t>(sum / n);
    }
  }
  return out;
}

double mean_error(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += std::abs(int{a[i]} - int{b[i]});
  return sum / static_cast<double>(a.size());
}

TEST(AlphaMatting, ASoftMisplacedEdgeComesCloserToTheTruth) {
  const auto truth = true_alpha();
  const auto model = blurred(truth, 4);
  auto refined = refine_alpha(blended(truth), model);
  ASSERT_TRUE(refined) << refined.error().message;
  const double before = mean_error(model, truth);
  const double after = mean_error(*refined, truth);
  EXPECT_LT(after, before * 0.6) << "before " << before << ", after " << after;
  // What the model was sure of is exactly as it was.
  for (size_t i = 0; i < model.size(); ++i) {
    if (model[i] <= 5 || model[i] >= 250) {
      ASSERT_EQ((*refined)[i], model[i]) << i;
    }
  }
}

TEST(AlphaMatting, ABandLargerThanTheLimitIsSolvedSmallerAndStillHelps) {
  const auto truth = true_alpha();
  const auto model = blurred(truth, 4);
  MattingLimits limits;
  limits.max_unknown = 300;  // far fewer than the band's pixels: solved at a fraction of the size
  auto refined = refine_alpha(blended(truth), model, limits);
  ASSERT_TRUE(refined) << refined.error().message;
  EXPECT_LT(mean_error(*refined, truth), mean_error(model, truth));
}

TEST(AlphaMatting, NothingToSolveLeavesTheAlphaAlone) {
  const auto truth = true_alpha();
  const RgbImage image = blended(truth);
  // A hard mask has no band; an all-background one has no subject colours to learn.
  std::vector<uint8_t> hard(truth.size());
  for (size_t i = 0; i < truth.size(); ++i) hard[i] = truth[i] > 127 ? 255 : 0;
  auto same = refine_alpha(image, hard);
  ASSERT_TRUE(same);
  EXPECT_EQ(*same, hard);
  std::vector<uint8_t> faint(truth.size(), 0);
  faint[100] = 90;
  auto alone = refine_alpha(image, faint);
  ASSERT_TRUE(alone);
  EXPECT_EQ(*alone, faint);
}

TEST(AlphaMatting, AnAlphaOfAnotherSizeIsRefused) {
  auto refused = refine_alpha(blended(true_alpha()), std::vector<uint8_t>(10, 128));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Internal);
}

}  // namespace
}  // namespace pixmill::ai
