// Source-dependent geometry settled into plain Recipe fields.

#include <gtest/gtest.h>

#include "grammars/pending_geometry.h"

namespace pixmill::grammars {
namespace {

Recipe fill_box(int w, int h) {
  Recipe r;
  r.resize = ResizeSpec{w, h, FitMode::Fill, Gravity::Centre, false};
  return r;
}

TEST(PendingGeometry, SizedCropByGravityAndFraction) {
  PendingGeometry p;
  p.sized_crop = SizedCrop{0.5, 100, Gravity::SouthEast, std::nullopt};
  Recipe r;
  ASSERT_TRUE(finalize_geometry(p, Size{400, 300}, r));
  ASSERT_TRUE(r.crop);
  EXPECT_EQ(r.crop->width, 200);
  EXPECT_EQ(r.crop->height, 100);
  EXPECT_EQ(r.crop->x, 200);
  EXPECT_EQ(r.crop->y, 200);
}

TEST(PendingGeometry, FocusPointCutsTheBoxAspectAroundThePoint) {
  PendingGeometry p;
  p.focus = FocusPoint{1.0, 0.5, false};
  Recipe r = fill_box(100, 100);
  ASSERT_TRUE(finalize_geometry(p, Size{400, 200}, r));
  ASSERT_TRUE(r.crop);
  EXPECT_EQ(r.crop->width, 200);
  EXPECT_EQ(r.crop->height, 200);
  EXPECT_EQ(r.crop->x, 200);  // as far right as the image allows
  EXPECT_EQ(r.crop->y, 0);
}

TEST(PendingGeometry, FocusInPixelsIsRelativeToTheSource) {
  PendingGeometry p;
  p.focus = FocusPoint{50, 100, true};
  Recipe r = fill_box(100, 100);
  ASSERT_TRUE(finalize_geometry(p, Size{400, 200}, r));
  EXPECT_EQ(r.crop->x, 0);
}

TEST(PendingGeometry, AutoFitFillsWhenOrientationsMatch) {
  PendingGeometry p;
  p.auto_fit = true;
  Recipe landscape_box = fill_box(300, 200);
  ASSERT_TRUE(finalize_geometry(p, Size{800, 600}, landscape_box));
  EXPECT_EQ(landscape_box.resize->fit, FitMode::Fill);
  Recipe portrait_box = fill_box(200, 300);
  ASSERT_TRUE(finalize_geometry(p, Size{800, 600}, portrait_box));
  EXPECT_EQ(portrait_box.resize->fit, FitMode::Fit);
}

TEST(PendingGeometry, FillDownShrinksTheBoxForASmallSource) {
  PendingGeometry p;
  p.fill_down = true;
  Recipe r = fill_box(400, 200);
  ASSERT_TRUE(finalize_geometry(p, Size{200, 200}, r));
  EXPECT_EQ(r.resize->width, 200);
  EXPECT_EQ(r.resize->height, 100);
}

TEST(PendingGeometry, ExtendAspectRatioPadsToTheBoxShape) {
  PendingGeometry p;
  p.extend_aspect_ratio = true;
  Recipe r;
  r.resize = ResizeSpec{200, 200, FitMode::Fit, Gravity::Centre, true};
  ASSERT_TRUE(finalize_geometry(p, Size{400, 200}, r));
  EXPECT_EQ(r.resize->fit, FitMode::Pad);
  EXPECT_EQ(r.resize->width, 200);
  EXPECT_EQ(r.resize->height, 200);
}

TEST(PendingGeometry, ZoomWithoutASizeScalesTheSource) {
  PendingGeometry p;
  p.zoom_x = p.zoom_y = 0.5;
  Recipe r;
  ASSERT_TRUE(finalize_geometry(p, Size{400, 200}, r));
  ASSERT_TRUE(r.resize);
  EXPECT_EQ(r.resize->width, 200);
  EXPECT_EQ(r.resize->height, 100);
  PendingGeometry up;
  up.zoom_x = up.zoom_y = 2;
  Recipe not_enlarged;
  ASSERT_TRUE(finalize_geometry(up, Size{400, 200}, not_enlarged));
  EXPECT_FALSE(not_enlarged.resize);
}

TEST(PendingGeometry, MinimumWidthGrowsTheResult) {
  PendingGeometry p;
  p.min_width = 300;
  Recipe r;
  r.resize = ResizeSpec{100, std::nullopt, FitMode::Fit, Gravity::Centre, true};
  ASSERT_TRUE(finalize_geometry(p, Size{600, 400}, r));
  EXPECT_EQ(r.resize->width, 300);
  EXPECT_EQ(r.resize->height, 200);
}

TEST(PendingGeometry, EdgeCropInFractionsAndTrim) {
  PendingGeometry p;
  p.trim = EdgeTrim{10, 20, 30, 40};
  Recipe r;
  ASSERT_TRUE(finalize_geometry(p, Size{400, 300}, r));
  EXPECT_EQ(r.crop->x, 40);
  EXPECT_EQ(r.crop->y, 10);
  EXPECT_EQ(r.crop->width, 340);
  EXPECT_EQ(r.crop->height, 260);
  PendingGeometry f;
  f.edge_crop = EdgeCrop{0.25, 0.25, 0.75, 0.75, true};
  Recipe rf;
  ASSERT_TRUE(finalize_geometry(f, Size{400, 200}, rf));
  EXPECT_EQ(rf.crop->x, 100);
  EXPECT_EQ(rf.crop->width, 200);
  EXPECT_EQ(rf.crop->height, 100);
}

TEST(PendingGeometry, ResultAlwaysValidates) {
  // Degenerate sources and extreme settings still give a recipe validate() accepts.
  for (Size source : {Size{1, 1}, Size{1, 9000}, Size{9000, 1}, Size{3000, 2000}}) {
    PendingGeometry p;
    p.sized_crop = SizedCrop{0.001, 5000, Gravity::East, FocusPoint{1, 1, false}};
    p.focus = FocusPoint{0, 1, false};
    p.min_width = 8000;
    p.zoom_x = 100;
    p.enlarge = true;
    Recipe r = fill_box(8000, 1);
    ASSERT_TRUE(finalize_geometry(p, source, r));
    EXPECT_TRUE(validate(r)) << source.width << "x" << source.height;
  }
}

}  // namespace
}  // namespace pixmill::grammars
