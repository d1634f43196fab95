// The native compositing parameters: layer lists built in order, modifiers attached to
// the newest layer, frame and colour fields, the operations list and its refusals.

#include <gtest/gtest.h>

#include "dialects/native_params.h"

namespace pixmill::dialects {
namespace {

Result<recipe::Recipe> parse(const Params& params) {
  recipe::Recipe r;
  if (auto s = apply_params(native_params(), params, r, true); !s) return s.error();
  if (auto s = check_layers_complete(r); !s) return s.error();
  if (auto s = validate(r); !s) return s.error();
  return r;
}

TEST(NativeCompositingParams, WatermarksInOrderWithTheirModifiers) {
  auto r = parse({{"watermark", "logo"},
                  {"watermarkGravity", "southeast"},
                  {"watermarkOpacity", "0.5"},
                  {"watermark", "https://cdn.example/badge.png"},
                  {"watermarkTile", "true"},
                  {"watermarkBlend", "multiply"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->overlays.size(), 2u);
  EXPECT_EQ(r->overlays[0].source.kind, recipe::OverlaySource::Kind::Named);
  EXPECT_EQ(r->overlays[0].placement.gravity, recipe::Gravity::SouthEast);
  EXPECT_DOUBLE_EQ(r->overlays[0].opacity, 0.5);
  EXPECT_FALSE(r->overlays[0].tile);
  EXPECT_EQ(r->overlays[1].source.kind, recipe::OverlaySource::Kind::Url);
  EXPECT_TRUE(r->overlays[1].tile);
  EXPECT_EQ(r->overlays[1].blend, recipe::BlendMode::Multiply);
}

TEST(NativeCompositingParams, ModifiersMayComeBeforeAnUploadedPart) {
  auto r = parse({{"watermarkGravity", "north"}, {"watermark", "part:watermark#1"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->overlays.size(), 1u);
  EXPECT_EQ(r->overlays[0].source.kind, recipe::OverlaySource::Kind::Upload);
  EXPECT_EQ(r->overlays[0].placement.gravity, recipe::Gravity::North);
}

TEST(NativeCompositingParams, AModifierWithoutItsLayerIsAnError) {
  auto r = parse({{"watermarkGravity", "north"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "watermark");
  auto t = parse({{"textSize", "20"}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().field, "text");
}

TEST(NativeCompositingParams, TextLayers) {
  auto r = parse({{"text", "Hello"}, {"textSize", "48"}, {"textColor", "#ff0000"}, {"font", "DejaVu Serif"},
                  {"textGravity", "south"}, {"textY", "12"}, {"textShadow", "#00000080"}, {"textAlign", "center"},
                  {"text", "second"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->texts.size(), 2u);
  EXPECT_EQ(r->texts[0].size, 48);
  EXPECT_EQ(r->texts[0].colour, (recipe::Colour{255, 0, 0, 255}));
  EXPECT_EQ(r->texts[0].font, "DejaVu Serif");
  EXPECT_EQ(r->texts[0].placement.gravity, recipe::Gravity::South);
  EXPECT_EQ(r->texts[0].placement.offset_y, 12);
  EXPECT_EQ(r->texts[0].align, recipe::TextAlign::Centre);
  ASSERT_TRUE(r->texts[0].shadow);
  EXPECT_EQ(r->texts[0].shadow->a, 128);
  EXPECT_EQ(r->texts[1].text, "second");
  EXPECT_EQ(r->texts[1].size, 32);
}

TEST(NativeCompositingParams, FrameAndColourFields) {
  auto r = parse({{"radius", "12"}, {"mask", "circle"}, {"border", "10"}, {"borderColor", "#00ff00"}, {"padding", "1,2,3"},
                  {"trimThreshold", "25"}, {"gamma", "2.2"}, {"hue", "90"}, {"tint", "#336699"}, {"duotone", "#000040,#ffe0a0"},
                  {"normalise", "true"}, {"negate", "true"}, {"pixelate", "8"}, {"unsharpSigma", "1.5"}, {"modulateSpace", "lch"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->frame.radius, 12);
  EXPECT_EQ(r->frame.mask, recipe::MaskShape::Circle);
  EXPECT_EQ(r->frame.border, 10);
  EXPECT_EQ(r->frame.extend, (recipe::Sides{1, 2, 3, 2}));
  EXPECT_TRUE(r->frame.trim.enabled);
  EXPECT_DOUBLE_EQ(r->frame.trim.threshold, 25);
  EXPECT_DOUBLE_EQ(r->colour_tools.gamma, 2.2);
  EXPECT_TRUE(r->colour_tools.normalize);
  EXPECT_TRUE(r->colour_tools.negate);
  EXPECT_EQ(r->colour_tools.pixelate, 8);
  EXPECT_EQ(r->colour_tools.space, recipe::ModulateSpace::Lch);
  ASSERT_TRUE(r->colour_tools.duotone_highlight);
  EXPECT_EQ(r->colour_tools.duotone_highlight->g, 0xe0);
}

TEST(NativeCompositingParams, RefusalsNameTheirField) {
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"watermarkBlend", "glow"}, {"watermarkOpacity", "2"}, {"watermarkGravity", "attention"}, {"mask", "star"},
           {"textSize", "9999"}, {"border", "5000"}, {"gamma", "0"}, {"pixelate", "-2"}, {"extend", "1,2,3,4,5"},
           {"extend", "x"}, {"duotone", "#fff"}, {"trimThreshold", "300"}, {"textAlign", "justify"}}) {
    recipe::Recipe recipe;
    auto s = apply_params(native_params(), {{name, value}}, recipe, true);
    ASSERT_FALSE(s.ok()) << name << "=" << value;
    EXPECT_EQ(s.error().code, ErrorCode::InvalidInput);
  }
}

TEST(NativeCompositingParams, AThousandOverlaysStopAtTheLimit) {
  Params params;
  for (int i = 0; i < 1000; ++i) params.emplace_back("watermark", "logo");
  recipe::Recipe recipe;
  auto s = apply_params(native_params(), params, recipe, true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "watermark");
  EXPECT_EQ(recipe.overlays.size(), static_cast<size_t>(recipe::kMaxOverlays));
}

TEST(NativeCompositingParams, LongTextIsRefused) {
  auto r = parse({{"text", std::string(recipe::kMaxTextBytes + 1, 'a')}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "text");
  auto invalid = parse({{"text", std::string("\xff\xfe")}});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().field, "text");
}

TEST(NativeOperations, EachEntryIsAPassInOrder) {
  recipe::Recipe r;
  auto s = parse_operations(R"([{"blur": 4}, {"text": "SOLD", "textSize": 64}, {"crop": "0,0,40,30"}])", r);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(r.operations.size(), 3u);
  EXPECT_DOUBLE_EQ(r.operations[0].effects.blur_sigma, 4);
  ASSERT_EQ(r.operations[1].texts.size(), 1u);
  EXPECT_EQ(r.operations[1].texts[0].size, 64);
  ASSERT_TRUE(r.operations[2].crop);
  EXPECT_EQ(r.operations[2].crop->width, 40);
}

TEST(NativeOperations, Refusals) {
  for (const char* json : {"{}", "[1]", "[{}]", R"([{"quality": 50}])", R"([{"operations": "[]"}])", R"([{"blur": [1]}])",
                           R"([{"blur": 1000}])", R"([{"nonsense": 1}])", "not json"}) {
    recipe::Recipe r;
    auto s = parse_operations(json, r);
    ASSERT_FALSE(s.ok()) << json;
    EXPECT_EQ(s.error().field, "operations") << json;
  }
  std::string many = "[";
  for (int i = 0; i <= recipe::kMaxOperations; ++i) many += std::string(i ? "," : "") + R"({"negate": true})";
  recipe::Recipe r;
  EXPECT_FALSE(parse_operations(many + "]", r).ok());
}

}  // namespace
}  // namespace pixmill::dialects
