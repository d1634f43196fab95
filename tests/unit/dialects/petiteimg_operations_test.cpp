#include <gtest/gtest.h>

#include "dialects/petiteimg_operations.h"

namespace pixmill::dialects {
namespace {

TEST(PetiteOperations, EmptyMeansReencode) {
  auto r = parse_petiteimg_operations("[]");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output.format, recipe::OutputFormat::Original);
  EXPECT_TRUE(r->output.original_avif_as_jpeg);
}

TEST(PetiteOperations, OrderDoesNotMatter) {
  auto a = parse_petiteimg_operations(
      R"([{"op":"convert","settings":{"format":"webp"}},{"op":"compress","settings":{"quality":70}},{"op":"resize","settings":{"width":800,"height":600}}])");
  auto b = parse_petiteimg_operations(
      R"([{"op":"resize","settings":{"width":800,"height":600}},{"op":"compress","settings":{"quality":70}},{"op":"convert","settings":{"format":"webp"}}])");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->output.format, b->output.format);
  EXPECT_EQ(a->output.quality, b->output.quality);
  EXPECT_EQ(a->resize->width, b->resize->width);
  EXPECT_EQ(a->resize->height, 600);
}

TEST(PetiteOperations, ResizeNeverUpscalesAndCropIsCentre) {
  auto r = parse_petiteimg_operations(R"([{"op":"resize","settings":{"width":1200}},{"op":"crop","settings":{"width":1080,"height":1080}}])");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->resize->without_enlargement);
  EXPECT_EQ(r->resize->fit, recipe::FitMode::Fit);
  EXPECT_EQ(r->centre_crop->width, 1080);
}

TEST(PetiteOperations, CompressDefaultsAndSuperSaver) {
  auto r = parse_petiteimg_operations(R"([{"op":"compress","settings":{}}])");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output.quality, 80);
  r = parse_petiteimg_operations(R"([{"op":"compress","settings":{"quality":75,"super_saver":true}}])");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output.quality, 75);
  EXPECT_TRUE(r->output.max_compression);
}

TEST(PetiteOperations, BadInputIsA400WithAMessage) {
  for (const char* bad : {"not json", "{}", R"([{"op":"explode"}])", R"([{"settings":{}}])",
                          R"([{"op":"compress","settings":{"quality":0}}])", R"([{"op":"compress","settings":{"quality":"high"}}])",
                          R"([{"op":"compress","settings":{"quality":80.5}}])", R"([{"op":"resize","settings":{}}])",
                          R"([{"op":"crop","settings":{"width":10}}])", R"([{"op":"convert","settings":{"format":"avif"}}])",
                          R"([{"op":"compress","settings":{"super_saver":"yes"}}])", R"([{"op":"resize","settings":[]}])"}) {
    auto r = parse_petiteimg_operations(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
    EXPECT_FALSE(r.error().message.empty());
  }
}

}  // namespace
}  // namespace pixmill::dialects
