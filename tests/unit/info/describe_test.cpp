// describe_image() on synthetic files: the facts come from the bytes, the hashes are
// stable under re-encoding and resizing and differ between different pictures.

#include <gtest/gtest.h>

#include "info/describe.h"
#include "info/exif_summary.h"
#include "info/phash.h"
#include "test_images.h"

namespace pixmill::info {
namespace {

using vips::VImage;

ImageFacts describe_ok(const std::string& bytes, DescribeOptions options = {}) {
  auto facts = describe_image(testing::bytes_of(bytes), recipe::Limits{}, options);
  EXPECT_TRUE(facts.ok()) << (facts.ok() ? "" : facts.error().message);
  return facts.ok() ? *facts : ImageFacts{};
}

// Smooth, photo-like structure: soft blobs (phash is for photos, not for noise, and not for
// patterns separable in x and y, whose 2-D spectrum is mostly zeros).
VImage blob(const VImage& x, const VImage& y, double cx, double cy, double size) {
  return (((x - cx) * (x - cx) + (y - cy) * (y - cy)) * (-1.0 / (size * size))).exp();
}

VImage scene(int width, int height, double phase) {
  VImage xy = VImage::xyz(width, height).cast(VIPS_FORMAT_FLOAT);
  VImage x = xy.extract_band(0) / width, y = xy.extract_band(1) / height;
  VImage a = blob(x, y, 0.3 + 0.2 * std::sin(phase), 0.4, 0.25), b2 = blob(x, y, 0.75, 0.3 + 0.3 * std::cos(phase), 0.2);
  VImage c = blob(x, y, 0.5, 0.8, 0.3 + 0.1 * phase);
  VImage r = (a * 200 + c * 50 + 20);
  VImage g = (b2 * 180 + a * 40 + 30);
  VImage b = (c * 160 + b2 * 60 + 10);
  return VImage::bandjoin({r, g, b}).cast(VIPS_FORMAT_UCHAR).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

TEST(Describe, ReportsFormatSizeAndPlaceholders) {
  const ImageFacts f = describe_ok(testing::encode_as(scene(640, 480, 0), ".jpg"));
  EXPECT_EQ(f.header.format, recipe::InputFormat::Jpeg);
  EXPECT_EQ(f.display, (recipe::Size{640, 480}));
  EXPECT_EQ(f.blurhash.size(), 6u + 2u * 11u);
  EXPECT_GE(f.thumbhash.size(), 19u);
  EXPECT_FALSE(f.palette.empty());
  EXPECT_FALSE(f.exif.has_gps);
  const auto json = facts_json(f);
  EXPECT_EQ(json["format"], "jpeg");
  EXPECT_EQ(json["width"], 640);
  EXPECT_EQ(json["phash"].get<std::string>().size(), 16u);
}

TEST(Describe, PhashIsStableUnderReencodingAndResizing) {
  const VImage original = scene(800, 600, 0.3);
  const uint64_t reference = describe_ok(testing::encode_as(original, ".png")).phash;
  const uint64_t jpeg = describe_ok(testing::encode_as(original, ".jpg[Q=60]")).phash;
  const uint64_t webp = describe_ok(testing::encode_as(original.resize(0.4), ".webp[Q=70]")).phash;
  EXPECT_LE(hamming_distance(reference, jpeg), 4);
  EXPECT_LE(hamming_distance(reference, webp), 4);
  const uint64_t other = describe_ok(testing::encode_as(scene(800, 600, 2.1), ".png")).phash;
  EXPECT_GT(hamming_distance(reference, other), 10);
}

TEST(Describe, AnimationFramesAndDelays) {
  VImage strip = scene(40, 90, 0);
  strip.set("page-height", 30);
  strip.set("delay", std::vector<int>{100, 200, 300});
  strip.set("loop", 0);
  const ImageFacts f = describe_ok(testing::encode_as(strip, ".gif"));
  EXPECT_EQ(f.header.frames, 3);
  EXPECT_EQ(f.display, (recipe::Size{40, 30}));
  EXPECT_EQ(f.delays_ms, (std::vector<int>{100, 200, 300}));
  ASSERT_TRUE(f.loop);
  EXPECT_EQ(*f.loop, 0);
}

TEST(Describe, AlphaAndPaletteOfAFlatImage) {
  VImage red = VImage::black(50, 50, VImage::option()->set("bands", 3)).new_from_image({255, 0, 0})
                   .cast(VIPS_FORMAT_UCHAR).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  const ImageFacts f = describe_ok(testing::encode_as(red.bandjoin_const({255}).cast(VIPS_FORMAT_UCHAR), ".png"));
  EXPECT_TRUE(f.header.has_alpha);
  ASSERT_EQ(f.palette.size(), 1u);
  EXPECT_EQ(f.palette[0].colour, (recipe::Colour{255, 0, 0, 255}));
  EXPECT_EQ(f.average, (recipe::Colour{255, 0, 0, 255}));
}

TEST(Describe, LimitsApply) {
  recipe::Limits limits;
  limits.max_pixels = 1000;
  auto facts = describe_image(testing::bytes_of(testing::encode_as(scene(100, 100, 0), ".png")), limits, {});
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.error().code, ErrorCode::TooManyPixels);
  auto junk = describe_image(testing::bytes_of(std::string("not an image at all")), recipe::Limits{}, {});
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.error().code, ErrorCode::UnsupportedFormat);
}

TEST(ExifSummary, ValuesAndGpsDegrees) {
  EXPECT_EQ(exif_value("Canon (Canon, ASCII, 6 components, 6 bytes)"), "Canon");
  EXPECT_EQ(exif_value("EF 50mm (f/1.8) (EF 50mm (f/1.8), ASCII, 17 components, 17 bytes)"), "EF 50mm (f/1.8)");
  EXPECT_EQ(exif_value("1/125 (1/125 sec., Rational, 1 components, 8 bytes)"), "1/125 sec.");
  EXPECT_EQ(exif_value("51/1 30/1 1234/100 (51, 30, 12.34, Rational, 3 components, 24 bytes)"), "51, 30, 12.34");
  EXPECT_EQ(exif_value("plain"), "plain");
  auto north = gps_degrees("51, 30, 36", "N");
  ASSERT_TRUE(north);
  EXPECT_DOUBLE_EQ(*north, 51.51);
  auto west = gps_degrees("0, 7, 30", "W");
  ASSERT_TRUE(west);
  EXPECT_DOUBLE_EQ(*west, -0.125);
  EXPECT_FALSE(gps_degrees("north", "N"));
  EXPECT_FALSE(gps_degrees("", "N"));
}

}  // namespace
}  // namespace pixmill::info
