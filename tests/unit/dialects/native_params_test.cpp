#include <gtest/gtest.h>

#include "dialects/native_params.h"

namespace pixmill::dialects {
namespace {

Result<recipe::Recipe> parse(const Params& params) {
  recipe::Recipe r;
  if (auto s = apply_params(native_params(), params, r, true); !s) return s.error();
  return r;
}

TEST(NativeParams, SeedExample) {
  auto r = parse({{"width", "800"}, {"format", "webp"}, {"brightness", "10"}, {"contrast", "15"}, {"sharpen", "20"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->resize->width, 800);
  EXPECT_EQ(r->output.format, recipe::OutputFormat::Webp);
  EXPECT_DOUBLE_EQ(r->effects.brightness, 1.1);
  EXPECT_DOUBLE_EQ(r->effects.contrast, 1.15);
  EXPECT_DOUBLE_EQ(r->effects.sharpen_sigma, 1.0);
}

TEST(NativeParams, UnknownParameterIsNamed) {
  auto r = parse({{"widht", "800"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "widht");
  EXPECT_NE(r.error().message.find("widht"), std::string::npos);
}

TEST(NativeParams, BoundsAndTypes) {
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"width", "0"}, {"width", "8001"}, {"width", "-5"}, {"width", "12px"}, {"width", "1e308"}, {"width", "nan"},
           {"quality", "101"}, {"brightness", "200"}, {"rotate", "720"}, {"fit", "squash"}, {"grayscale", "maybe"},
           {"background", "nope"}, {"crop", "1,2,3"}, {"effort", "10"}, {"blur", "-1"}, {"height", "99999999999999999999"}}) {
    auto r = parse({{name, value}});
    ASSERT_FALSE(r.ok()) << name << "=" << value;
    EXPECT_EQ(r.error().field, name) << name << "=" << value;
    EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
  }
}

TEST(NativeParams, FitAliasesAndGravity) {
  EXPECT_EQ(parse({{"width", "10"}, {"fit", "cover"}})->resize->fit, recipe::FitMode::Fill);
  EXPECT_EQ(parse({{"width", "10"}, {"fit", "pad"}})->resize->fit, recipe::FitMode::Pad);
  EXPECT_EQ(parse({{"width", "10"}, {"fit", "stretch"}})->resize->fit, recipe::FitMode::Stretch);
  EXPECT_EQ(parse({{"width", "10"}, {"gravity", "smart"}})->resize->gravity, recipe::Gravity::Attention);
}

TEST(NativeParams, CropForms) {
  auto r = parse({{"crop", "10,20,300,400"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->crop->x, 10);
  EXPECT_EQ(r->crop->height, 400);
  r = parse({{"cropX", "1"}, {"cropY", "2"}, {"cropWidth", "3"}, {"cropHeight", "4"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->crop->width, 3);
}

TEST(NativeParams, LevelsMapToMultipliers) {
  EXPECT_DOUBLE_EQ(native_level_to_multiplier(0), 1.0);
  EXPECT_DOUBLE_EQ(native_level_to_multiplier(100), 2.0);
  EXPECT_NEAR(native_level_to_multiplier(-100), 0.1, 1e-9);
  EXPECT_DOUBLE_EQ(native_sharpen_to_sigma(0), 0.0);
}

TEST(NativeParams, TargetSizeUnits) {
  EXPECT_EQ(*parse({{"targetKb", "200"}})->output.target_bytes, 200u * 1024);
  EXPECT_EQ(*parse({{"targetBytes", "5000"}})->output.target_bytes, 5000u);
}

}  // namespace
}  // namespace pixmill::dialects
