#include <gtest/gtest.h>

#include "pipeline/geometry_plan.h"

namespace pixmill::pipeline {
namespace {

GeometryPlan plan(Size source, const Recipe& r) {
  auto p = plan_geometry(source, r, Limits{});
  EXPECT_TRUE(p.ok());
  return p.ok() ? *p : GeometryPlan{};
}

Recipe resize(std::optional<int> w, std::optional<int> h, FitMode fit = FitMode::Fit, bool no_enlarge = false) {
  Recipe r;
  r.resize = ResizeSpec{w, h, fit, Gravity::Centre, no_enlarge};
  return r;
}

TEST(GeometryPlan, WidthOnlyKeepsAspect) {
  auto p = plan({4000, 3000}, resize(800, std::nullopt));
  EXPECT_EQ(p.output, (Size{800, 600}));
  EXPECT_DOUBLE_EQ(p.load_scale(), 0.2);
}

TEST(GeometryPlan, FitStaysInsideTheBox) {
  EXPECT_EQ(plan({4000, 3000}, resize(800, 800)).output, (Size{800, 600}));
  EXPECT_EQ(plan({3000, 4000}, resize(800, 800)).output, (Size{600, 800}));
}

TEST(GeometryPlan, FillCoversThenCrops) {
  auto p = plan({4000, 3000}, resize(800, 800, FitMode::Fill));
  EXPECT_EQ(*p.resize_to, (Size{1067, 800}));
  EXPECT_EQ(*p.cover_crop, (Size{800, 800}));
  EXPECT_EQ(p.output, (Size{800, 800}));
}

TEST(GeometryPlan, PadFitsThenPadsToTheBox) {
  auto p = plan({4000, 3000}, resize(800, 800, FitMode::Pad));
  EXPECT_EQ(*p.resize_to, (Size{800, 600}));
  EXPECT_EQ(p.output, (Size{800, 800}));
}

TEST(GeometryPlan, StretchIgnoresAspect) {
  EXPECT_EQ(plan({4000, 3000}, resize(300, 500, FitMode::Stretch)).output, (Size{300, 500}));
}

TEST(GeometryPlan, WithoutEnlargementNeverScalesUp) {
  auto p = plan({400, 300}, resize(800, std::nullopt, FitMode::Fit, true));
  EXPECT_EQ(p.output, (Size{400, 300}));
  EXPECT_FALSE(p.resized());
  EXPECT_EQ(plan({400, 300}, resize(800, std::nullopt)).output, (Size{800, 600}));
}

TEST(GeometryPlan, RightAngleRotationSwapsTheBox) {
  Recipe r = resize(800, std::nullopt);
  r.rotate = 90;
  auto p = plan({4000, 3000}, r);
  EXPECT_EQ(p.right_angle, 90);
  EXPECT_EQ(p.output.width, 800);  // the width asked for is the output's width
  EXPECT_EQ(p.output.height, 1067);
  r.rotate = -90;
  EXPECT_EQ(plan({4000, 3000}, r).right_angle, 270);
}

TEST(GeometryPlan, CropIsClippedAndDisablesShrinkOnLoad) {
  Recipe r = resize(100, std::nullopt);
  r.crop = CropRect{3900, 2900, 500, 500};
  auto p = plan({4000, 3000}, r);
  EXPECT_EQ(p.crop->width, 100);
  EXPECT_EQ(p.crop->height, 100);
  EXPECT_DOUBLE_EQ(p.load_scale(), 1.0);
}

TEST(GeometryPlan, CropOutsideTheImageIsAnError) {
  Recipe r;
  r.crop = CropRect{5000, 0, 10, 10};
  auto p = plan_geometry({4000, 3000}, r, Limits{});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::InvalidInput);
}

TEST(GeometryPlan, LargeSourcesAreScaledToTheOutputLimit) {
  auto p = plan({20000, 5000}, Recipe{});
  EXPECT_EQ(p.output, (Size{8000, 2000}));
}

TEST(GeometryPlan, CentreCropAfterResize) {
  Recipe r = resize(800, std::nullopt);
  r.centre_crop = Size{1080, 1080};
  auto p = plan({4000, 3000}, r);
  EXPECT_EQ(p.output, (Size{800, 600}));  // never larger than the resized image
  r.centre_crop = Size{500, 500};
  EXPECT_EQ(plan({4000, 3000}, r).output, (Size{500, 500}));
}

TEST(GeometryPlan, JpegShrinkLeavesAFactorOfTwo) {
  EXPECT_EQ(jpeg_shrink_for_scale(1.0), 1);
  EXPECT_EQ(jpeg_shrink_for_scale(0.4), 1);
  EXPECT_EQ(jpeg_shrink_for_scale(0.2), 2);
  EXPECT_EQ(jpeg_shrink_for_scale(0.1), 4);
  EXPECT_EQ(jpeg_shrink_for_scale(0.05), 8);
}

TEST(GeometryPlan, FastJpegShrinkGoesAsFarAsTheTarget) {
  EXPECT_EQ(jpeg_shrink_for_scale(0.6, true), 1);
  EXPECT_EQ(jpeg_shrink_for_scale(0.4, true), 2);
  EXPECT_EQ(jpeg_shrink_for_scale(800.0 / 4256, true), 4);  // the 12 MP photo to 800 px
  EXPECT_EQ(jpeg_shrink_for_scale(0.1, true), 8);
}

}  // namespace
}  // namespace pixmill::pipeline
