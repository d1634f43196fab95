// The compositing stages inside process_image(): fixed order, operations passes,
// animations, formats with and without alpha, and typed errors.

#include <gtest/gtest.h>

#include "pipeline/process.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

VImage solid(int width, int height, std::vector<double> rgb) {
  return VImage::black(width, height, VImage::option()->set("bands", 3)).new_from_image(rgb).cast(VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

std::shared_ptr<const std::string> png_bytes(const VImage& image) {
  return std::make_shared<const std::string>(testing::encode_as(image, ".png"));
}

Overlay red_mark(Gravity gravity) {
  Overlay o;
  o.source.kind = OverlaySource::Kind::Upload;
  o.source.reference = "part:watermark#1";
  o.source.bytes = png_bytes(solid(10, 10, {255, 0, 0}));
  o.placement.gravity = gravity;
  return o;
}

ProcessResult run_ok(const std::string& input, const Recipe& recipe) {
  auto r = process_image(testing::bytes_of(input), recipe, Limits{});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : ProcessResult{};
}

TEST(CompositingProcess, WatermarkAfterTheResize) {
  Recipe r;
  r.output.format = OutputFormat::Png;
  r.resize = ResizeSpec{100, std::nullopt};
  r.overlays.push_back(red_mark(Gravity::NorthWest));
  VImage out = testing::decode(run_ok(testing::encode_as(solid(400, 200, {0, 0, 0}), ".png"), r).bytes);
  EXPECT_EQ(out.width(), 100);
  EXPECT_EQ(out.getpoint(9, 9)[0], 255);   // the mark keeps its 10 px on the resized image
  EXPECT_EQ(out.getpoint(10, 10)[0], 0);
}

TEST(CompositingProcess, EveryFrameOfAnAnimationGetsTheWatermark) {
  // Frames that differ (an encoder may merge identical ones).
  VImage strip = solid(30, 20, {0, 0, 255}).join(solid(30, 20, {0, 0, 200}), VIPS_DIRECTION_VERTICAL)
                     .join(solid(30, 20, {0, 0, 150}), VIPS_DIRECTION_VERTICAL);
  strip.set("page-height", 20);
  strip.set("delay", std::vector<int>{50, 50, 50});
  Recipe r;
  r.output.format = OutputFormat::Gif;
  r.overlays.push_back(red_mark(Gravity::SouthEast));
  const ProcessResult result = run_ok(testing::encode_as(strip, ".gif"), r);
  EXPECT_EQ(result.frames, 3);
  VImage out = testing::decode(result.bytes);
  for (int frame = 0; frame < 3; ++frame) {
    const auto pixel = out.getpoint(25, frame * 20 + 15);
    EXPECT_GT(pixel[0], 200) << frame;
    EXPECT_LT(pixel[2], 60) << frame;
  }
}

TEST(CompositingProcess, MaskGivesAlphaOrTheBackground) {
  Recipe r;
  r.frame.mask = MaskShape::Circle;
  r.output.format = OutputFormat::Auto;
  const std::string input = testing::encode_as(solid(60, 60, {0, 255, 0}), ".jpg");
  const ProcessResult automatic = run_ok(input, r);
  EXPECT_NE(automatic.format, OutputFormat::Jpeg);
  EXPECT_EQ(testing::decode(automatic.bytes).getpoint(0, 0).back(), 0);
  r.output.format = OutputFormat::Jpeg;
  r.background = Colour{255, 0, 0, 255};
  const auto corner = testing::decode(run_ok(input, r).bytes).getpoint(0, 0);
  EXPECT_GT(corner[0], 230);
  EXPECT_LT(corner[1], 30);
}

TEST(CompositingProcess, TrimComesFirstAndDisablesShrinkOnLoad) {
  VImage framed = solid(1600, 1200, {255, 255, 255}).insert(solid(800, 600, {200, 20, 20}), 400, 300);
  Recipe r;
  r.frame.trim.enabled = true;
  r.resize = ResizeSpec{400, std::nullopt};
  r.output.format = OutputFormat::Png;
  VImage out = testing::decode(run_ok(testing::encode_as(framed, ".jpg[Q=95]"), r).bytes);
  EXPECT_EQ(out.width(), 400);
  EXPECT_EQ(out.height(), 300);
  EXPECT_NEAR(out.getpoint(200, 150)[0], 200, 6);
  EXPECT_NEAR(out.getpoint(2, 2)[0], 200, 12);  // no white left at the edge
}

TEST(CompositingProcess, OperationsRunAfterTheFixedPassInOrder) {
  Recipe r;
  r.output.format = OutputFormat::Png;
  Recipe crop;
  crop.crop = CropRect{0, 0, 50, 40};
  Recipe frame;
  frame.frame.border = 5;
  frame.frame.border_colour = Colour{0, 0, 255, 255};
  r.operations = {crop, frame};
  VImage out = testing::decode(run_ok(testing::encode_as(solid(200, 100, {0, 0, 0}), ".png"), r).bytes);
  EXPECT_EQ(out.width(), 60);
  EXPECT_EQ(out.height(), 50);
  EXPECT_EQ(out.getpoint(0, 0)[2], 255);
}

TEST(CompositingProcess, AnOverlayWithoutBytesIsAnInputError) {
  Recipe r;
  Overlay o = red_mark(Gravity::Centre);
  o.source.bytes.reset();
  r.overlays.push_back(o);
  auto result = process_image(testing::bytes_of(testing::encode_as(solid(20, 20, {0, 0, 0}), ".png")), r, Limits{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(result.error().field, "watermark");
}

TEST(CompositingProcess, TooManyLayersAcrossPassesAreRefused) {
  Recipe r;
  for (int i = 0; i < kMaxOverlays; ++i) r.overlays.push_back(red_mark(Gravity::Centre));
  Recipe more;
  more.overlays.push_back(red_mark(Gravity::Centre));
  r.operations.push_back(more);
  auto result = process_image(testing::bytes_of(testing::encode_as(solid(20, 20, {0, 0, 0}), ".png")), r, Limits{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "watermark");
}

}  // namespace
}  // namespace pixmill::pipeline
