// The URL grammars' compositing options (watermarks, text, trim, padding, borders,
// colour tools) fill the same recipe fields the native dialect fills: parse -> fields.

#include <gtest/gtest.h>

#include "core/base64.h"
#include "grammars/cloudflare_url.h"
#include "grammars/imgproxy_url.h"
#include "grammars/thumbor_url.h"

namespace pixmill::grammars {
namespace {

using recipe::OverlaySource;

Recipe imgproxy(const std::string& options) {
  auto r = parse_imgproxy_url("/x/" + options + "/plain/http://e.com/a.jpg", ImgproxySettings{}, ClientHints{}, 1'700'000'000);
  EXPECT_TRUE(r) << options << ": " << (r ? "" : r.error().message);
  return r ? r->recipe : Recipe{};
}

Recipe thumbor(const std::string& path) {
  auto r = parse_thumbor_url(path, ThumborSettings{}, ClientHints{}, 1'700'000'000'000);
  EXPECT_TRUE(r) << path << ": " << (r ? "" : r.error().message);
  return r ? r->recipe : Recipe{};
}

Recipe cloudflare(const std::string& path) {
  auto r = parse_cloudflare_url(path, ClientHints{});
  EXPECT_TRUE(r) << path << ": " << (r ? "" : r.error().message);
  return r ? r->recipe : Recipe{};
}

// ---- imgproxy

TEST(ImgproxyCompositing, WatermarkUsesTheDefaultNamedWatermark) {
  Recipe r = imgproxy("wm:0.5:soea:10:20:0.25");
  ASSERT_EQ(r.overlays.size(), 1u);
  const recipe::Overlay& o = r.overlays[0];
  EXPECT_EQ(o.source.kind, OverlaySource::Kind::Named);
  EXPECT_EQ(o.source.reference, "default");
  EXPECT_DOUBLE_EQ(o.opacity, 0.5);
  EXPECT_EQ(o.placement.gravity, Gravity::SouthEast);
  EXPECT_EQ(o.placement.offset_x, 10);
  EXPECT_EQ(o.placement.offset_y, 20);
  EXPECT_DOUBLE_EQ(o.scale, 0.25);
  EXPECT_TRUE(imgproxy("wm:0").overlays.empty());  // opacity 0: no watermark
}

TEST(ImgproxyCompositing, ReplicatedWatermarkTilesWithTheOffsetsAsSpacing) {
  Recipe r = imgproxy("dpr:2/wm:1:re:5:3");
  ASSERT_EQ(r.overlays.size(), 1u);
  EXPECT_TRUE(r.overlays[0].tile);
  EXPECT_EQ(r.overlays[0].tile_spacing, 10);  // CSS pixels times dpr
}

TEST(ImgproxyCompositing, WatermarkUrlIsBase64AndFetchedLikeTheSource) {
  Recipe r = imgproxy("wm:1:nowe/wmu:" + core::base64url_encode("https://cdn.example.com/logo.png"));
  ASSERT_EQ(r.overlays.size(), 1u);
  EXPECT_EQ(r.overlays[0].source.kind, OverlaySource::Kind::Url);
  EXPECT_EQ(r.overlays[0].source.reference, "https://cdn.example.com/logo.png");
  EXPECT_EQ(r.overlays[0].placement.gravity, Gravity::NorthWest);
  Recipe named = imgproxy("wm:1/wmu:" + core::base64url_encode("brand"));
  EXPECT_EQ(named.overlays[0].source.kind, OverlaySource::Kind::Named);
  auto local = parse_imgproxy_url("/x/wm:1/wmu:" + core::base64url_encode("/etc/passwd") + "/plain/http://e.com/a.jpg", ImgproxySettings{},
                                  ClientHints{}, 0);
  ASSERT_FALSE(local);
  EXPECT_EQ(local.error().code, ErrorCode::InvalidInput);
}

TEST(ImgproxyCompositing, TrimPaddingAndPixelate) {
  Recipe t = imgproxy("t:20:ff0000");
  EXPECT_TRUE(t.frame.trim.enabled);
  EXPECT_DOUBLE_EQ(t.frame.trim.threshold, 20);
  ASSERT_TRUE(t.frame.trim.background);
  EXPECT_EQ(*t.frame.trim.background, (Colour{255, 0, 0, 255}));
  EXPECT_FALSE(imgproxy("t:5").frame.trim.background);
  EXPECT_EQ(imgproxy("pd:10").frame.extend, (recipe::Sides{10, 10, 10, 10}));
  EXPECT_EQ(imgproxy("pd:10:20").frame.extend, (recipe::Sides{10, 20, 10, 20}));
  EXPECT_EQ(imgproxy("pd:10:20:30").frame.extend, (recipe::Sides{10, 20, 30, 20}));
  EXPECT_EQ(imgproxy("pd:1:2:3:4").frame.extend, (recipe::Sides{1, 2, 3, 4}));
  EXPECT_EQ(imgproxy("dpr:2/pd:5").frame.extend, (recipe::Sides{10, 10, 10, 10}));
  EXPECT_EQ(imgproxy("pix:8").colour_tools.pixelate, 8);
  EXPECT_EQ(imgproxy("pix:1").colour_tools.pixelate, 0);
}

// ---- thumbor / imagor

TEST(ThumborCompositing, WatermarkPositionsAlphaAndRatio) {
  Recipe r = thumbor("/unsafe/filters:watermark(https%3A%2F%2Fcdn.example.com%2Fw.png,-10,20,25,30)/a.jpg");
  ASSERT_EQ(r.overlays.size(), 1u);
  const recipe::Overlay& o = r.overlays[0];
  EXPECT_EQ(o.source.kind, OverlaySource::Kind::Url);
  EXPECT_EQ(o.source.reference, "https://cdn.example.com/w.png");
  EXPECT_EQ(o.placement.gravity, Gravity::NorthEast);  // negative x: from the right edge
  EXPECT_EQ(o.placement.offset_x, 10);
  EXPECT_EQ(o.placement.offset_y, 20);
  EXPECT_DOUBLE_EQ(o.opacity, 0.75);  // alpha is transparency
  EXPECT_DOUBLE_EQ(o.scale, 0.3);
  Recipe centred = thumbor("/unsafe/filters:watermark(logo.png,center,-0,0)/a.jpg");
  EXPECT_EQ(centred.overlays[0].source.kind, OverlaySource::Kind::Named);
  EXPECT_EQ(centred.overlays[0].source.reference, "logo");
  EXPECT_EQ(centred.overlays[0].placement.gravity, Gravity::South);
  EXPECT_TRUE(thumbor("/unsafe/filters:watermark(logo,repeat,repeat,0)/a.jpg").overlays[0].tile);
  EXPECT_EQ(thumbor("/unsafe/filters:watermark(a,0,0,0):watermark(b,0,0,0)/a.jpg").overlays.size(), 2u);
}

TEST(ThumborCompositing, LabelIsATextLayer) {
  Recipe r = thumbor("/unsafe/filters:label(Hello%20world,-5,center,24,ff0000,50,DejaVu%20Serif)/a.jpg");
  ASSERT_EQ(r.texts.size(), 1u);
  const recipe::TextLayer& t = r.texts[0];
  EXPECT_EQ(t.text, "Hello world");
  EXPECT_EQ(t.placement.gravity, Gravity::East);
  EXPECT_EQ(t.placement.offset_x, 5);
  EXPECT_EQ(t.size, 24);
  EXPECT_EQ(t.colour, (Colour{255, 0, 0, 255}));
  EXPECT_DOUBLE_EQ(t.opacity, 0.5);
  EXPECT_EQ(t.font, "DejaVu Serif");
  EXPECT_EQ(thumbor("/unsafe/filters:label(x,left,bottom,12,white)/a.jpg").texts[0].placement.gravity, Gravity::SouthWest);
}

TEST(ThumborCompositing, RoundCornerHueEqualizeTrimAndPadding) {
  Recipe rc = thumbor("/unsafe/filters:round_corner(20,0,0,255)/a.jpg");
  EXPECT_EQ(rc.frame.radius, 20);
  EXPECT_EQ(rc.background, (Colour{0, 0, 255, 255}));
  Recipe transparent = thumbor("/unsafe/filters:round_corner(20|20,0,0,255,1)/a.jpg");
  EXPECT_EQ(transparent.frame.radius, 20);
  EXPECT_EQ(transparent.background, Colour::white());
  Recipe hue = thumbor("/unsafe/filters:hue(90):equalize()/a.jpg");
  EXPECT_DOUBLE_EQ(hue.colour_tools.hue, 90);
  EXPECT_EQ(hue.colour_tools.space, recipe::ModulateSpace::Lch);
  EXPECT_TRUE(hue.colour_tools.normalize);
  Recipe trim = thumbor("/unsafe/trim:top-left:30/a.jpg");
  EXPECT_TRUE(trim.frame.trim.enabled);
  EXPECT_DOUBLE_EQ(trim.frame.trim.threshold, 30);
  EXPECT_TRUE(thumbor("/unsafe/trim/300x200/a.jpg").frame.trim.enabled);
  EXPECT_EQ(thumbor("/unsafe/fit-in/300x200/10x20/a.jpg").frame.extend, (recipe::Sides{20, 10, 20, 10}));
  EXPECT_EQ(thumbor("/unsafe/fit-in/300x200/1x2:3x4/a.jpg").frame.extend, (recipe::Sides{2, 3, 4, 1}));
}

TEST(ThumborCompositing, BadLayerArgumentsAreInvalid) {
  for (const char* path : {"/unsafe/filters:watermark(logo,0,0)/a.jpg", "/unsafe/filters:watermark(logo,0,0,101)/a.jpg",
                           "/unsafe/filters:watermark(%2Fetc%2Fpasswd,0,0,0)/a.jpg", "/unsafe/filters:label(x,0,0,1000,red)/a.jpg",
                           "/unsafe/filters:label(x,0,0,10,nocolour)/a.jpg", "/unsafe/filters:round_corner(20,300,0,0)/a.jpg"}) {
    auto r = parse_thumbor_url(path, ThumborSettings{}, ClientHints{}, 0);
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.error().code, ErrorCode::InvalidInput) << path;
  }
  std::string many = "/unsafe/filters:";
  for (int i = 0; i < 20; ++i) many += "watermark(logo,0,0,0):";
  auto r = parse_thumbor_url(many + "/a.jpg", ThumborSettings{}, ClientHints{}, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
}

// ---- Cloudflare

TEST(CloudflareCompositing, BorderWidthOrSides) {
  Recipe w = cloudflare("/border=color:#ff0000;width:10/a.jpg");
  EXPECT_EQ(w.frame.border, 10);
  EXPECT_EQ(w.frame.border_colour, (Colour{255, 0, 0, 255}));
  Recipe dpr = cloudflare("/dpr=2,border=width:3/a.jpg");
  EXPECT_EQ(dpr.frame.border, 6);
  Recipe sides = cloudflare("/border=color:#00ff00;top:1;right:2;bottom:3;left:4/a.jpg");
  EXPECT_EQ(sides.frame.border, 0);
  EXPECT_EQ(sides.frame.extend, (recipe::Sides{1, 2, 3, 4}));
  ASSERT_TRUE(sides.frame.extend_colour);
  EXPECT_EQ(*sides.frame.extend_colour, (Colour{0, 255, 0, 255}));
}

TEST(CloudflareCompositing, TrimAutoGammaAndFaceGravity) {
  EXPECT_TRUE(cloudflare("/trim=auto/a.jpg").frame.trim.enabled);
  EXPECT_DOUBLE_EQ(cloudflare("/gamma=2/a.jpg").colour_tools.gamma, 2.0);
  EXPECT_DOUBLE_EQ(cloudflare("/gamma=0/a.jpg").colour_tools.gamma, 1.0);  // 0 is ignored
  Recipe face = cloudflare("/w=100,h=100,fit=cover,gravity=face/a.jpg");
  ASSERT_TRUE(face.resize);
  EXPECT_EQ(face.resize->gravity, Gravity::Faces);
}

}  // namespace
}  // namespace pixmill::grammars
