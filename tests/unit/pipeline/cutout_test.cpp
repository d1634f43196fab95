// What a cut-out becomes, on synthetic cut-outs with known alpha (no model): the
// subject's box with its margin, the alpha as a grey image, the drop shadow, and a
// replacement background image.

#include <gtest/gtest.h>

#include <vips/vips8>

#include "pipeline/steps/cutout.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

// A 200x100 red image, opaque in the box (60, 20)-(100, 60), transparent elsewhere.
VImage cut_with_subject() {
  VImage colour = VImage::black(200, 100, VImage::option()->set("bands", 3)).new_from_image({200, 30, 30});
  VImage alpha = VImage::black(200, 100).insert(VImage::black(40, 40).new_from_image({255}), 60, 20);
  return colour.bandjoin(alpha).cast(VIPS_FORMAT_UCHAR).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

TEST(CutoutTest, CropToSubjectIsTheSubjectsBoxWithItsMargin) {
  VImage tight = steps::crop_to_subject(cut_with_subject(), 0.0);
  EXPECT_EQ(tight.width(), 40);
  EXPECT_EQ(tight.height(), 40);
  VImage margin = steps::crop_to_subject(cut_with_subject(), 0.25);  // 10 px each side
  EXPECT_EQ(margin.width(), 60);
  EXPECT_EQ(margin.height(), 60);
  VImage clipped = steps::crop_to_subject(cut_with_subject(), 1.0);  // 40 px: clipped at the top
  EXPECT_EQ(clipped.height(), 100);
  EXPECT_EQ(clipped.width(), 120);
}

TEST(CutoutTest, CropToSubjectKeepsAFrameWithoutSubjectWhole) {
  VImage empty = VImage::black(50, 30, VImage::option()->set("bands", 4)).cast(VIPS_FORMAT_UCHAR);
  VImage out = steps::crop_to_subject(empty, 0.05);
  EXPECT_EQ(out.width(), 50);
  EXPECT_EQ(out.height(), 30);
}

TEST(CutoutTest, MaskIsTheAlphaAsGrey) {
  VImage mask = steps::alpha_as_grey(cut_with_subject());
  EXPECT_EQ(mask.bands(), 1);
  EXPECT_EQ(mask.interpretation(), VIPS_INTERPRETATION_B_W);
  EXPECT_EQ(mask.getpoint(80, 40)[0], 255);
  EXPECT_EQ(mask.getpoint(10, 10)[0], 0);
}

TEST(CutoutTest, DropShadowDarkensBelowTheSubjectAndLeavesTheSubject) {
  Cutout options;
  options.shadow = true;
  options.shadow_opacity = 0.6;
  options.shadow_blur = 3;
  options.shadow_dx = 0;
  options.shadow_dy = 15;
  VImage out = steps::drop_shadow(cut_with_subject(), options);
  ASSERT_EQ(out.bands(), 4);
  EXPECT_EQ(out.width(), 200);
  // Inside the subject: unchanged and opaque.
  auto subject = out.getpoint(80, 30);
  EXPECT_NEAR(subject[0], 200, 1);
  EXPECT_EQ(subject[3], 255);
  // Below the subject (y 60..75): a black, partly transparent shadow.
  auto shadow = out.getpoint(80, 68);
  EXPECT_LT(shadow[0], 10);
  EXPECT_GT(shadow[3], 100);
  EXPECT_LT(shadow[3], 170);
  // Far away: still fully transparent.
  EXPECT_EQ(out.getpoint(180, 90)[3], 0);
}

TEST(CutoutTest, BackgroundImageFillsTheTransparentPartsAndTheResultIsOpaque) {
  VImage green = VImage::black(64, 64, VImage::option()->set("bands", 3)).new_from_image({0, 255, 0}).cast(VIPS_FORMAT_UCHAR);
  const std::string encoded = testing::encode_as(green.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB)), ".png");
  auto out = steps::over_background_image(cut_with_subject(), encoded, Limits{});
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->bands(), 3);
  EXPECT_EQ(out->width(), 200);
  EXPECT_EQ(out->height(), 100);
  auto bg = out->getpoint(10, 10);
  EXPECT_NEAR(bg[1], 255, 2);
  EXPECT_NEAR(bg[0], 0, 2);
  auto fg = out->getpoint(80, 40);
  EXPECT_NEAR(fg[0], 200, 2);
}

TEST(CutoutTest, ABrokenBackgroundImageIsAClientErrorNamingIt) {
  auto out = steps::over_background_image(cut_with_subject(), "not an image at all", Limits{});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().field, "bgImage");
  EXPECT_NE(out.error().code, ErrorCode::Internal);
}

}  // namespace
}  // namespace pixmill::pipeline
