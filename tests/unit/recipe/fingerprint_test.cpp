// recipe_fingerprint(): equal recipes share a fingerprint (one cache entry for identical
// URLs), and every compositing field that changes the image changes it.

#include <gtest/gtest.h>

#include "recipe/fingerprint.h"
#include "recipe/overlay_source.h"

namespace pixmill::recipe {
namespace {

Recipe watermarked() {
  Recipe r;
  Overlay o;
  o.source = overlay_source_from("https://cdn.example.com/logo.png");
  o.placement.gravity = Gravity::SouthEast;
  o.opacity = 0.5;
  r.overlays.push_back(o);
  TextLayer t;
  t.text = "hello";
  r.texts.push_back(t);
  r.frame.border = 4;
  r.frame.trim.enabled = true;
  r.colour_tools.gamma = 2;
  return r;
}

TEST(RecipeFingerprint, EqualCompositingRecipesShareOneFingerprint) {
  EXPECT_EQ(recipe_fingerprint(watermarked()), recipe_fingerprint(watermarked()));
}

TEST(RecipeFingerprint, EachCompositingFieldChangesIt) {
  const std::string base = recipe_fingerprint(watermarked());
  std::vector<void (*)(Recipe&)> changes = {
      [](Recipe& r) { r.overlays[0].source = overlay_source_from("https://cdn.example.com/other.png"); },
      [](Recipe& r) { r.overlays[0].placement.offset_x = 1; },
      [](Recipe& r) { r.overlays[0].opacity = 0.6; },
      [](Recipe& r) { r.overlays[0].tile = true; },
      [](Recipe& r) { r.overlays.push_back(r.overlays[0]); },
      [](Recipe& r) { r.texts[0].text = "hellp"; },
      [](Recipe& r) { r.texts[0].font = "DejaVu Serif"; },
      [](Recipe& r) { r.texts[0].colour = Colour::black(); },
      [](Recipe& r) { r.frame.border = 5; },
      [](Recipe& r) { r.frame.trim.threshold = 11; },
      [](Recipe& r) { r.frame.radius = 3; },
      [](Recipe& r) { r.frame.extend.left = 1; },
      [](Recipe& r) { r.colour_tools.gamma = 2.5; },
      [](Recipe& r) { r.colour_tools.pixelate = 4; },
      [](Recipe& r) { r.colour_tools.tint = Colour::black(); },
      [](Recipe& r) { r.operations.push_back(Recipe{}); },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    Recipe r = watermarked();
    changes[i](r);
    EXPECT_NE(recipe_fingerprint(r), base) << "change " << i;
  }
}

TEST(RecipeFingerprint, UploadedWatermarksAreKeyedByTheirBytes) {
  Recipe a = watermarked(), b = watermarked();
  a.overlays[0].source = overlay_source_from("part:watermark#1");
  b.overlays[0].source = overlay_source_from("part:watermark#1");
  a.overlays[0].source.bytes = std::make_shared<const std::string>("one image");
  b.overlays[0].source.bytes = std::make_shared<const std::string>("another image");
  EXPECT_NE(recipe_fingerprint(a), recipe_fingerprint(b));
}

TEST(OverlaySourceFrom, ClassifiesEachReference) {
  EXPECT_EQ(overlay_source_from("part:watermark#1").kind, OverlaySource::Kind::Upload);
  EXPECT_EQ(overlay_source_from("https://a.example/x.png").kind, OverlaySource::Kind::Url);
  EXPECT_EQ(overlay_source_from("logo_2-b").kind, OverlaySource::Kind::Named);
  EXPECT_EQ(overlay_source_from("logo.png").kind, OverlaySource::Kind::File);
  EXPECT_EQ(overlay_source_from("../x").kind, OverlaySource::Kind::File);
  EXPECT_FALSE(is_watermark_name(std::string(65, 'a')));
  EXPECT_FALSE(is_watermark_name(""));
}

}  // namespace
}  // namespace pixmill::recipe
