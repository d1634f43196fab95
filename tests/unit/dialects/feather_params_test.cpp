#include <gtest/gtest.h>

#include "dialects/feather_params.h"

namespace pixmill::dialects {
namespace {

TEST(FeatherParams, Defaults) {
  auto r = parse_feather_fields({}, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output.format, recipe::OutputFormat::Auto);
  EXPECT_EQ(r->output.quality, 80);
  EXPECT_TRUE(r->output.strip_metadata);
  EXPECT_FALSE(r->resize.has_value());
  EXPECT_FALSE(r->output.preview);
}

TEST(FeatherParams, EverySeedField) {
  auto r = parse_feather_fields({{"outputFormat", "webp"}, {"quality", "70"}, {"maxWidth", "1600"}, {"maxHeight", "900"},
                                 {"stripMetadata", "false"}, {"targetMB", "0.5"}, {"mode", "preview"}, {"progressive", "true"},
                                 {"effort", "6"}, {"cropX", "1"}, {"cropY", "2"}, {"cropWidth", "30"}, {"cropHeight", "40"},
                                 {"rotate", "-90"}, {"flip", "true"}, {"flop", "true"}, {"brightness", "1.2"},
                                 {"saturation", "0"}, {"contrast", "0.5"}, {"grayscale", "true"}, {"blur", "2.5"},
                                 {"sharpen", "true"}},
                                false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->output.format, recipe::OutputFormat::Webp);
  EXPECT_EQ(r->output.quality, 70);
  EXPECT_EQ(r->resize->width, 1600);
  EXPECT_EQ(r->resize->height, 900);
  EXPECT_TRUE(r->resize->without_enlargement);  // "resize down"
  EXPECT_FALSE(r->output.strip_metadata);
  EXPECT_EQ(*r->output.target_bytes, 524288u);
  EXPECT_TRUE(r->output.preview);
  EXPECT_TRUE(r->output.progressive);
  EXPECT_EQ(r->output.effort, 6);
  EXPECT_EQ(r->crop->width, 30);
  EXPECT_DOUBLE_EQ(r->rotate, -90);
  EXPECT_TRUE(r->flip && r->flop);
  EXPECT_DOUBLE_EQ(r->effects.brightness, 1.2);
  EXPECT_DOUBLE_EQ(r->effects.saturation, 0);
  EXPECT_DOUBLE_EQ(r->effects.contrast, 0.5);
  EXPECT_TRUE(r->effects.grayscale);
  EXPECT_DOUBLE_EQ(r->effects.blur_sigma, 2.5);
  EXPECT_GT(r->effects.sharpen_sigma, 0);
}

TEST(FeatherParams, SeedRangesAreEnforced) {
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"quality", "0"}, {"quality", "101"}, {"outputFormat", "gif"}, {"effort", "10"}, {"brightness", "0.05"},
           {"brightness", "3.5"}, {"saturation", "-1"}, {"contrast", "4"}, {"blur", "11"}, {"rotate", "400"},
           {"mode", "draft"}, {"targetMB", "0"}, {"maxWidth", "0"}, {"grayscale", "maybe"}}) {
    auto r = parse_feather_fields({{name, value}}, false);
    ASSERT_FALSE(r.ok()) << name << "=" << value;
    EXPECT_EQ(r.error().field, name);
  }
}

TEST(FeatherParams, UnknownFieldsAreIgnored) { EXPECT_TRUE(parse_feather_fields({{"colour", "red"}}, false).ok()); }

TEST(FeatherParams, ConvertNeedsAConcreteFormatAndIgnoresTargetMB) {
  EXPECT_FALSE(parse_feather_fields({}, true).ok());
  EXPECT_FALSE(parse_feather_fields({{"outputFormat", "auto"}}, true).ok());
  auto r = parse_feather_fields({{"outputFormat", "jpeg"}, {"targetMB", "0.1"}}, true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->output.target_bytes.has_value());
}

}  // namespace
}  // namespace pixmill::dialects
