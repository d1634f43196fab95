// The resize step: exact plan sizes always, and the same pixels as vips_thumbnail (and so
// sharp) when the aspect is kept.

#include <gtest/gtest.h>

#include <vips/vips8>

#include "pipeline/steps/steps.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

// A detailed, non-uniform test card: a smooth gradient plus a fine grating.
VImage card(int width, int height) {
  VImage xy = VImage::xyz(width, height);
  VImage x = xy[0], y = xy[1];
  VImage r = x * (255.0 / width);
  VImage g = y * (255.0 / height);
  VImage b = ((x + y) * 0.7).sin() * 120 + 128;
  return r.bandjoin(g).bandjoin(b).cast(VIPS_FORMAT_UCHAR).copy_memory();
}

GeometryPlan plan_to(int w, int h) {
  GeometryPlan plan;
  plan.resize_to = Size{w, h};
  return plan;
}

TEST(ResizeStep, AlwaysGivesThePlansExactSize) {
  // Odd sources and targets around every rounding edge, kept aspect and stretched.
  for (int source_h : {1, 7, 333, 1067, 1999}) {
    for (int target_w : {1, 3, 100, 512, 1024, 1500}) {
      VImage source = card(1600, source_h);
      const int kept_h = std::max(1, static_cast<int>(std::lround(source_h * target_w / 1600.0)));
      for (int target_h : {kept_h, kept_h + 1, std::max(1, kept_h - 1), 2 * kept_h}) {
        VImage out = steps::resize(source, plan_to(target_w, target_h));
        EXPECT_EQ(out.width(), target_w) << source_h << " -> " << target_w << "x" << target_h;
        EXPECT_EQ(out.height(), target_h) << source_h << " -> " << target_w << "x" << target_h;
      }
    }
  }
}

TEST(ResizeStep, KeptAspectMatchesVipsThumbnailPixelForPixel) {
  // 1600x1067 -> 1024 wide is the shared bench's AVIF workload: 1024/1600 and 683/1067
  // differ in the fourth decimal, enough to change every row if used as two scales.
  for (auto [w, h, target] : {std::tuple{1600, 1067, 1024}, std::tuple{4256, 2832, 800}, std::tuple{640, 480, 320}}) {
    VImage source = card(w, h);
    VImage ours = steps::resize(source, plan_to(target, static_cast<int>(std::lround(static_cast<double>(h) * target / w))));
    VImage thumb = source.thumbnail_image(target, VImage::option()->set("height", 100000));
    ASSERT_EQ(ours.width(), thumb.width());
    ASSERT_EQ(ours.height(), thumb.height());
    EXPECT_EQ((ours.cast(VIPS_FORMAT_INT) - thumb.cast(VIPS_FORMAT_INT)).abs().max(), 0) << w << "x" << h;
  }
}

TEST(ResizeStep, ScaleKeepsEveryAnimationFrameWhole) {
  // Five 50x37 frames, each one flat colour with half-transparent alpha, in one strip.
  std::vector<VImage> frames;
  for (int i = 0; i < 5; ++i) {
    frames.push_back(VImage::black(50, 37).new_from_image({40.0 * i, 255.0 - 40 * i, 100.0, 128.0}).cast(VIPS_FORMAT_UCHAR));
  }
  VImage strip = VImage::arrayjoin(frames, VImage::option()->set("across", 1)).copy_memory();
  strip.set("page-height", 37);
  for (double factor : {0.3, 0.5, 0.77}) {
    VImage out = steps::scale(strip, factor);
    const int frame_height = static_cast<int>(std::lround(37 * factor));
    EXPECT_EQ(out.width(), std::lround(50 * factor)) << factor;
    ASSERT_EQ(out.get_int("page-height"), frame_height) << factor;
    ASSERT_EQ(out.height(), 5 * frame_height) << factor;
    EXPECT_EQ(out.format(), VIPS_FORMAT_UCHAR);
    // Each frame's middle keeps its own colour: no frame slid into the next.
    for (int i = 0; i < 5; ++i) {
      std::vector<double> px = out.getpoint(out.width() / 2, i * frame_height + frame_height / 2);
      EXPECT_NEAR(px[0], 40.0 * i, 1.0) << factor << " frame " << i;
      EXPECT_NEAR(px[1], 255.0 - 40 * i, 1.0) << factor << " frame " << i;
      EXPECT_NEAR(px[3], 128.0, 1.0) << factor << " frame " << i;
    }
  }
  // A still image is simply scaled.
  VImage still = steps::scale(card(300, 200), 0.25);
  EXPECT_EQ(still.width(), 75);
  EXPECT_EQ(still.height(), 50);
}

}  // namespace
}  // namespace pixmill::pipeline
