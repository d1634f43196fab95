// The resize step: exact plan sizes always, and the same pixels as vips_thumbnail (and so
// sharp) when the aspect is kept.

#include <gtest/gtest.h>

#include <vips/vips8>

#include "pipeline/steps/steps.h"

namespace pixmill {
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

}  // namespace
}  // namespace pixmill
