// The compositing, frame and colour-tool steps on synthetic images, with exact
// expectations: sizes, pixel values at known places, transparency where it must be.

#include <gtest/gtest.h>

#include <cmath>

#include "pipeline/compose.h"
#include "pipeline/overlay_image.h"
#include "pipeline/steps/steps.h"
#include "pipeline/text_render.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

VImage solid(int width, int height, std::vector<double> rgb) {
  return VImage::black(width, height, VImage::option()->set("bands", static_cast<int>(rgb.size())))
      .new_from_image(rgb)
      .copy(VImage::option()->set("interpretation", rgb.size() >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W))
      .cast(VIPS_FORMAT_UCHAR);
}

std::vector<double> at(const VImage& image, int x, int y) { return image.getpoint(x, y); }

// A w x h image of `inner` inside a `border`-pixel frame of `outer`.
VImage framed(int width, int height, int border, std::vector<double> inner, std::vector<double> outer) {
  return solid(width - 2 * border, height - 2 * border, inner)
      .embed(border, border, width, height, VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", outer));
}

// ---- shape and frame

TEST(BorderStep, TenPixelBorderAddsTwentyPixels) {
  Frame f;
  f.border = 10;
  f.border_colour = Colour{255, 0, 0, 255};
  VImage out = steps::border(solid(100, 60, {0, 0, 255}), f);
  EXPECT_EQ(out.width(), 120);
  EXPECT_EQ(out.height(), 80);
  EXPECT_EQ(at(out, 0, 0), (std::vector<double>{255, 0, 0}));
  EXPECT_EQ(at(out, 9, 40), (std::vector<double>{255, 0, 0}));
  EXPECT_EQ(at(out, 10, 10), (std::vector<double>{0, 0, 255}));
  EXPECT_EQ(at(out, 109, 69), (std::vector<double>{0, 0, 255}));
}

TEST(BorderStep, FollowsACircleMask) {
  Frame f;
  f.mask = MaskShape::Circle;
  f.border = 8;
  f.border_colour = Colour{255, 255, 0, 255};
  VImage out = steps::border(steps::mask(solid(100, 100, {0, 0, 255}), f), f);
  ASSERT_EQ(out.width(), 116);
  EXPECT_EQ(at(out, 0, 0)[3], 0);                                        // outside the ring
  EXPECT_EQ(at(out, 58, 3), (std::vector<double>{255, 255, 0, 255}));    // on the ring, top
  EXPECT_EQ(at(out, 58, 58), (std::vector<double>{0, 0, 255, 255}));     // the image
}

TEST(MaskStep, CircleCornersAreTransparentAndCentreOpaque) {
  Frame f;
  f.mask = MaskShape::Circle;
  VImage out = steps::mask(solid(80, 80, {10, 200, 30}), f);
  ASSERT_EQ(out.bands(), 4);
  EXPECT_EQ(out.width(), 80);
  for (auto [x, y] : {std::pair{0, 0}, {79, 0}, {0, 79}, {79, 79}, {8, 8}}) EXPECT_EQ(at(out, x, y)[3], 0) << x << "," << y;
  EXPECT_EQ(at(out, 40, 40), (std::vector<double>{10, 200, 30, 255}));
  EXPECT_EQ(at(out, 40, 1)[3], 255);  // the circle touches the top edge
}

TEST(MaskStep, EllipseFillsTheWholeBox) {
  Frame f;
  f.mask = MaskShape::Ellipse;
  VImage out = steps::mask(solid(200, 100, {0, 0, 0}), f);
  EXPECT_EQ(at(out, 0, 0)[3], 0);
  EXPECT_EQ(at(out, 100, 50)[3], 255);
  EXPECT_EQ(at(out, 1, 50)[3], 255);    // touches the left edge ...
  EXPECT_EQ(at(out, 100, 1)[3], 255);   // ... and the top edge
  EXPECT_EQ(at(out, 20, 10)[3], 0);     // but not the corner region
}

TEST(MaskStep, RoundedCornersKeepTheEdgesOpaque) {
  Frame f;
  f.radius = 20;
  VImage out = steps::mask(solid(100, 80, {50, 50, 50}), f);
  EXPECT_EQ(at(out, 0, 0)[3], 0);
  EXPECT_EQ(at(out, 99, 79)[3], 0);
  EXPECT_EQ(at(out, 50, 0)[3], 255);
  EXPECT_EQ(at(out, 0, 40)[3], 255);
  EXPECT_EQ(at(out, 20, 20)[3], 255);
}

TEST(MaskStep, MultipliesAnExistingAlpha) {
  Frame f;
  f.mask = MaskShape::Circle;
  VImage half = solid(50, 50, {0, 0, 0}).bandjoin_const({128}).cast(VIPS_FORMAT_UCHAR);
  VImage out = steps::mask(half, f);
  EXPECT_EQ(out.bands(), 4);
  EXPECT_EQ(at(out, 25, 25)[3], 128);
  EXPECT_EQ(at(out, 0, 0)[3], 0);
}

TEST(ExtendStep, AddsEachSideWithTheColour) {
  Frame f;
  f.extend = Sides{1, 2, 3, 4};
  f.extend_colour = Colour{0, 255, 0, 255};
  VImage out = steps::extend(solid(10, 10, {255, 255, 255}), f, Colour::white());
  EXPECT_EQ(out.width(), 16);
  EXPECT_EQ(out.height(), 14);
  EXPECT_EQ(at(out, 0, 0), (std::vector<double>{0, 255, 0}));
  EXPECT_EQ(at(out, 4, 1), (std::vector<double>{255, 255, 255}));
  EXPECT_EQ(at(out, 14, 1), (std::vector<double>{0, 255, 0}));
}

TEST(ExtendStep, TransparentPaddingAddsAlpha) {
  Frame f;
  f.extend = Sides{5, 5, 5, 5};
  VImage out = steps::extend(solid(10, 10, {255, 0, 0}), f, Colour::transparent());
  ASSERT_EQ(out.bands(), 4);
  EXPECT_EQ(at(out, 0, 0)[3], 0);
  EXPECT_EQ(at(out, 10, 10), (std::vector<double>{255, 0, 0, 255}));
}

TEST(TrimStep, RemovesExactlyTheUniformBorder) {
  Trim t;
  t.enabled = true;
  VImage out = steps::trim(framed(200, 120, 17, {200, 30, 30}, {255, 255, 255}), t);
  EXPECT_EQ(out.width(), 200 - 34);
  EXPECT_EQ(out.height(), 120 - 34);
  EXPECT_EQ(at(out, 0, 0), (std::vector<double>{200, 30, 30}));
}

TEST(TrimStep, GivenBackgroundAndThreshold) {
  Trim t;
  t.enabled = true;
  t.background = Colour{0, 0, 0, 255};
  t.threshold = 40;
  // A near-black frame (20) counts as background at threshold 40, not at 10.
  VImage image = framed(100, 100, 10, {250, 250, 250}, {20, 20, 20});
  EXPECT_EQ(steps::trim(image, t).width(), 80);
  t.threshold = 10;
  EXPECT_EQ(steps::trim(image, t).width(), 100);
}

TEST(TrimStep, AllBackgroundStaysAsItIs) {
  Trim t;
  t.enabled = true;
  EXPECT_EQ(steps::trim(solid(30, 20, {9, 9, 9}), t).width(), 30);
}

// ---- colour and detail

TEST(ColourSteps, NegateInvertsColourNotAlpha) {
  ColourTools c;
  c.negate = true;
  VImage out = steps::negate(solid(4, 4, {10, 20, 30}).bandjoin_const({100}).cast(VIPS_FORMAT_UCHAR), c);
  EXPECT_EQ(at(out, 1, 1), (std::vector<double>{245, 235, 225, 100}));
}

TEST(ColourSteps, GammaIsAPowerOverTheRange) {
  ColourTools c;
  c.gamma = 2.0;
  VImage out = steps::gamma(solid(4, 4, {64, 128, 255}), c);
  EXPECT_NEAR(at(out, 0, 0)[0], 255 * std::sqrt(64 / 255.0), 1.0);
  EXPECT_NEAR(at(out, 0, 0)[1], 255 * std::sqrt(128 / 255.0), 1.0);
  EXPECT_EQ(at(out, 0, 0)[2], 255);
}

TEST(ColourSteps, PixelateMakesUniformBlocksOfTheAverage) {
  ColourTools c;
  c.pixelate = 4;
  VImage ramp = (VImage::xyz(16, 8).extract_band(0) * 10).cast(VIPS_FORMAT_UCHAR);
  VImage out = steps::pixelate(ramp, c);
  ASSERT_EQ(out.width(), 16);
  ASSERT_EQ(out.height(), 8);
  for (int block = 0; block < 4; ++block) {
    const double mean = (block * 4 + 1.5) * 10;  // x = 4b..4b+3
    for (int dx = 0; dx < 4; ++dx) EXPECT_EQ(at(out, block * 4 + dx, 5)[0], std::round(mean)) << block;
  }
}

TEST(ColourSteps, NormalizeStretchesLightnessToTheFullRange) {
  ColourTools c;
  c.normalize = true;
  // A dull ramp from grey 80 to 170.
  VImage ramp = (VImage::xyz(256, 4).extract_band(0) * (90.0 / 255) + 80).cast(VIPS_FORMAT_UCHAR)
                    .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
  VImage out = steps::normalize(ramp, c);
  EXPECT_LE(out.min(), 5);
  EXPECT_GE(out.max(), 250);
}

TEST(ColourSteps, TintKeepsLightnessAndGivesTheHue) {
  ColourTools c;
  c.tint = Colour{255, 0, 0, 255};
  VImage out = steps::tint(solid(4, 4, {128, 128, 128}), c);
  const auto p = at(out, 0, 0);
  EXPECT_GT(p[0], p[1] + 20);  // reddish
  const Colour tinted{static_cast<uint8_t>(p[0]), static_cast<uint8_t>(p[1]), static_cast<uint8_t>(p[2]), 255};
  EXPECT_NEAR(steps::lab_of(tinted)[0], steps::lab_of(Colour{128, 128, 128, 255})[0], 1.5);  // same L*
  const auto white = at(steps::tint(solid(4, 4, {255, 255, 255}), c), 0, 0);
  EXPECT_NEAR(white[0], 255, 2);
  EXPECT_NEAR(white[1], 255, 2);
}

TEST(ColourSteps, DuotoneMapsBlackAndWhiteToItsColours) {
  ColourTools c;
  c.duotone_shadow = Colour{20, 30, 120, 255};
  c.duotone_highlight = Colour{250, 220, 100, 255};
  VImage ramp = solid(2, 1, {0, 0, 0}).insert(solid(1, 1, {255, 255, 255}), 1, 0);
  VImage out = steps::duotone(ramp, c);
  const auto dark = at(out, 0, 0), light = at(out, 1, 0);
  EXPECT_NEAR(dark[0], 20, 2);
  EXPECT_NEAR(dark[2], 120, 2);
  EXPECT_NEAR(light[0], 250, 2);
  EXPECT_NEAR(light[1], 220, 2);
}

TEST(ColourSteps, HueRotationKeepsGreyAndTurnsRed) {
  ColourTools c;
  c.hue = 180;
  const auto grey = at(steps::modulate(solid(2, 2, {128, 128, 128}), c), 0, 0);
  EXPECT_NEAR(grey[0], 128, 2);
  EXPECT_NEAR(grey[2], 128, 2);
  const auto turned = at(steps::modulate(solid(2, 2, {200, 40, 40}), c), 0, 0);
  EXPECT_LT(turned[0], turned[1]);  // red turns cyan-ish
  EXPECT_LT(turned[0], turned[2]);
}

TEST(ColourSteps, UnsharpRaisesEdgeContrast) {
  ColourTools c;
  c.unsharp = Unsharp{2.0, 0.0, 3.0};
  VImage edge = solid(20, 10, {60, 60, 60}).insert(solid(10, 10, {180, 180, 180}), 10, 0);
  VImage out = steps::unsharp(edge, c);
  EXPECT_LT(at(out, 9, 5)[0], 60);
  EXPECT_GT(at(out, 10, 5)[0], 180);
  EXPECT_NEAR(at(out, 0, 5)[0], 60, 1);  // flat areas, flat gain 0: unchanged
}

// ---- layers

std::string png_of(const VImage& image) { return testing::encode_as(image, ".png"); }

TEST(WatermarkStep, SitsAtTheGravityWithOffsets) {
  auto decoded = decode_overlay(testing::bytes_of(png_of(solid(10, 6, {255, 0, 0}))), Limits{});
  ASSERT_TRUE(decoded.ok());
  Overlay o;
  o.placement = Placement{Gravity::SouthEast, 5, 3};
  VImage out = steps::watermark(solid(100, 50, {0, 0, 0}), o, *decoded);
  EXPECT_EQ(out.bands(), 3);
  EXPECT_EQ(at(out, 100 - 5 - 10, 50 - 3 - 6), (std::vector<double>{255, 0, 0}));
  EXPECT_EQ(at(out, 100 - 5 - 1, 50 - 3 - 1), (std::vector<double>{255, 0, 0}));
  EXPECT_EQ(at(out, 100 - 5, 50 - 3), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(at(out, 100 - 5 - 11, 30), (std::vector<double>{0, 0, 0}));
}

TEST(WatermarkStep, OpacityScaleAndBlend) {
  auto decoded = decode_overlay(testing::bytes_of(png_of(solid(10, 10, {200, 200, 200}))), Limits{});
  ASSERT_TRUE(decoded.ok());
  Overlay o;
  o.opacity = 0.5;
  o.scale = 0.5;
  o.placement.gravity = Gravity::NorthWest;
  VImage out = steps::watermark(solid(40, 40, {0, 0, 0}), o, *decoded);
  EXPECT_NEAR(at(out, 5, 5)[0], 100, 2);     // half of 200 over black
  EXPECT_NEAR(at(out, 19, 19)[0], 100, 2);   // 20 px wide: half the base
  EXPECT_EQ(at(out, 21, 21)[0], 0);
  o = Overlay{};
  o.blend = BlendMode::Multiply;
  VImage multiplied = steps::watermark(solid(10, 10, {100, 100, 100}), o, *decoded);
  EXPECT_NEAR(at(multiplied, 5, 5)[0], 100 * 200 / 255.0, 2);
}

TEST(WatermarkStep, TilesWithSpacing) {
  auto decoded = decode_overlay(testing::bytes_of(png_of(solid(4, 4, {255, 255, 255}))), Limits{});
  ASSERT_TRUE(decoded.ok());
  Overlay o;
  o.tile = true;
  o.tile_spacing = 4;
  VImage out = steps::watermark(solid(30, 30, {0, 0, 0}), o, *decoded);
  for (int x : {0, 8, 16, 24}) EXPECT_EQ(at(out, x + 1, 1)[0], 255) << x;
  for (int x : {5, 13, 21}) EXPECT_EQ(at(out, x, 1)[0], 0) << x;
  EXPECT_EQ(at(out, 1, 9)[0], 255);
}

TEST(WatermarkStep, ABombIsRefusedBeforeDecoding) {
  Limits limits;
  limits.max_overlay_pixels = 10'000;
  auto decoded = decode_overlay(testing::bytes_of(png_of(solid(200, 200, {1, 2, 3}))), limits);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::TooManyPixels);
  EXPECT_EQ(decoded.error().field, "watermark");
}

TEST(TextLayer, RendersInkInTheTextColourAtItsPlace) {
  TextLayer t;
  t.text = "HELLO";
  t.size = 40;
  t.colour = Colour{255, 0, 0, 255};
  t.placement = Placement{Gravity::NorthWest, 10, 10};
  auto rendered = render_text(t, 400);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  VImage out = steps::place_layer(solid(400, 100, {0, 0, 0}), rendered->image, t.placement, rendered->margin);
  // Red ink inside the text box, nothing above or left of it.
  VImage red = out.extract_band(0);
  EXPECT_GT(red.extract_area(10, 10, 150, 45).max(), 250);
  EXPECT_EQ(red.extract_area(0, 0, 400, 9).max(), 0);
  EXPECT_EQ(red.extract_area(0, 0, 9, 100).max(), 0);
  EXPECT_EQ(out.extract_band(1).max(), 0);
}

TEST(TextLayer, UnknownFontIsAnInputError) {
  TextLayer t;
  t.text = "x";
  t.font = "No Such Font Family";
  auto rendered = render_text(t, 100);
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(rendered.error().field, "font");
}

TEST(TextLayer, TooLargeIsRefusedBeforeRendering) {
  TextLayer t;
  t.text = std::string(2000, 'W');
  t.size = 500;
  auto rendered = render_text(t, 8000);
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error().code, ErrorCode::InvalidInput);
}

TEST(TextLayer, MarkupIsText) {
  EXPECT_EQ(escape_markup("<b>a & b</b>"), "&lt;b&gt;a &amp; b&lt;/b&gt;");
  TextLayer t;
  t.text = "<span size=\"900000\">x</span>";
  auto rendered = render_text(t, 2000);
  ASSERT_TRUE(rendered.ok());
  EXPECT_LT(rendered->image.height(), 60);  // one line of 32 px characters, not a huge span
}

TEST(TextLayer, RightToLeftAndCjkRenderInk) {
  for (const char* text : {"\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u4f60\u597d\u4e16\u754c"}) {
    TextLayer t;
    t.text = text;
    t.font = "Noto Sans";
    t.size = 30;
    auto rendered = render_text(t, 400);
    ASSERT_TRUE(rendered.ok()) << text;
    EXPECT_GT(rendered->image.extract_band(3).max(), 200) << text;
    EXPECT_GT(rendered->image.width(), 40) << text;
  }
}

TEST(TextLayer, ShadowAndOutlineWidenTheLayer) {
  TextLayer plain;
  plain.text = "Ab";
  auto a = render_text(plain, 400);
  TextLayer fancy = plain;
  fancy.outline = Colour::black();
  fancy.outline_width = 3;
  fancy.shadow = Colour{0, 0, 0, 128};
  fancy.shadow_offset = 4;
  auto b = render_text(fancy, 400);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b->margin - a->margin, 7);
  EXPECT_EQ(b->image.width() - a->image.width(), 14);
}

}  // namespace
}  // namespace pixmill::pipeline
