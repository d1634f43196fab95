// The cut-out step's mask handling, without the model: the mask becomes alpha at the
// frame's exact size, smoothly, and an existing alpha is respected.

#include <gtest/gtest.h>

#include <vips/vips8>

#include "pipeline/steps/remove_background.h"
#include "pipeline/vips_runtime.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

TEST(MaskToAlphaTest, IsTheFramesExactSizeWithTheMasksValues) {
  ai::Mask mask{4, 4, std::vector<float>(16, 0.f)};
  for (int y = 0; y < 4; ++y) mask.values[y * 4 + 0] = mask.values[y * 4 + 1] = 1.f;  // left half subject
  for (auto [w, h] : {std::pair{101, 37}, std::pair{3, 3}, std::pair{640, 480}}) {
    VImage alpha = steps::mask_to_alpha(mask, w, h);
    ASSERT_EQ(alpha.width(), w);
    ASSERT_EQ(alpha.height(), h);
    EXPECT_EQ(alpha.bands(), 1);
    EXPECT_EQ(alpha.format(), VIPS_FORMAT_UCHAR);
    EXPECT_GE(alpha.getpoint(0, h / 2)[0], 250);
    EXPECT_LE(alpha.getpoint(w - 1, h / 2)[0], 5);
  }
}

TEST(MaskToAlphaTest, UpsamplingIsSmoothNotStairStepped) {
  ai::Mask mask{2, 1, {1.f, 0.f}};
  VImage alpha = steps::mask_to_alpha(mask, 200, 1);
  // A soft ramp across the middle: several distinct intermediate values.
  int intermediate = 0;
  for (int x = 0; x < 200; ++x) {
    const double v = alpha.getpoint(x, 0)[0];
    intermediate += v > 20 && v < 235;
  }
  EXPECT_GT(intermediate, 10);
}

}  // namespace
}  // namespace pixmill::pipeline
