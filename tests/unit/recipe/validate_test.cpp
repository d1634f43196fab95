#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "recipe/recipe.h"

namespace pixmill::recipe {
namespace {

Error error_of(const Recipe& r) {
  Status s = validate(r);
  EXPECT_FALSE(s.ok());
  return s.ok() ? Error{} : s.error();
}

TEST(ValidateRecipe, DefaultRecipeIsValid) { EXPECT_TRUE(validate(Recipe{}).ok()); }

TEST(ValidateRecipe, ResizeNeedsWidthOrHeight) {
  Recipe r;
  r.resize.emplace();
  EXPECT_EQ(error_of(r).field, "width");
}

TEST(ValidateRecipe, WidthAndHeightBounds) {
  for (int bad : {0, -1, kMaxOutputDimension + 1}) {
    Recipe r;
    r.resize = ResizeSpec{bad, std::nullopt};
    EXPECT_EQ(error_of(r).field, "width") << bad;
    r.resize = ResizeSpec{std::nullopt, bad};
    EXPECT_EQ(error_of(r).field, "height") << bad;
  }
  Recipe ok;
  ok.resize = ResizeSpec{1, kMaxOutputDimension};
  EXPECT_TRUE(validate(ok).ok());
}

TEST(ValidateRecipe, RotateBoundsAndNonFinite) {
  for (double bad : {-360.5, 361.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    Recipe r;
    r.rotate = bad;
    Error e = error_of(r);
    EXPECT_EQ(e.field, "rotate");
    EXPECT_EQ(e.code, ErrorCode::InvalidInput);
  }
  Recipe r;
  r.rotate = -360;
  EXPECT_TRUE(validate(r).ok());
}

TEST(ValidateRecipe, EffectBounds) {
  struct Case { double Effects::*field; double bad; const char* name; };
  for (auto c : {Case{&Effects::brightness, 0.05, "brightness"}, Case{&Effects::brightness, 3.1, "brightness"},
                 Case{&Effects::contrast, 0.0, "contrast"}, Case{&Effects::saturation, -0.1, "saturation"},
                 Case{&Effects::saturation, 3.5, "saturation"}, Case{&Effects::blur_sigma, 0.1, "blur"},
                 Case{&Effects::blur_sigma, 101, "blur"}, Case{&Effects::sharpen_sigma, 11, "sharpen"},
                 Case{&Effects::brightness, std::nan(""), "brightness"}}) {
    Recipe r;
    r.effects.*c.field = c.bad;
    EXPECT_EQ(error_of(r).field, c.name) << c.bad;
  }
}

TEST(ValidateRecipe, OutputBounds) {
  Recipe r;
  r.output.quality = 0;
  EXPECT_EQ(error_of(r).field, "quality");
  r.output.quality = 101;
  EXPECT_EQ(error_of(r).field, "quality");
  r.output.quality = 100;
  r.output.effort = 10;
  EXPECT_EQ(error_of(r).field, "effort");
  r.output.effort = 9;
  r.output.target_bytes = 10;
  EXPECT_EQ(error_of(r).field, "targetBytes");
  r.output.target_bytes = 50'000;
  EXPECT_TRUE(validate(r).ok());
}

TEST(ValidateRecipe, CropBounds) {
  Recipe r;
  r.crop = CropRect{-1, 0, 10, 10};
  EXPECT_EQ(error_of(r).field, "cropX");
  r.crop = CropRect{0, -5, 10, 10};
  EXPECT_EQ(error_of(r).field, "cropY");
  r.crop = CropRect{0, 0, 0, 10};
  EXPECT_EQ(error_of(r).field, "cropWidth");
  r.crop = CropRect{0, 0, 10, 0};
  EXPECT_EQ(error_of(r).field, "cropHeight");
}

TEST(ValidateRecipe, MessageNamesTheRange) {
  Recipe r;
  r.output.quality = 500;
  EXPECT_EQ(error_of(r).message, "quality must be between 1 and 100");
}

}  // namespace
}  // namespace pixmill::recipe
