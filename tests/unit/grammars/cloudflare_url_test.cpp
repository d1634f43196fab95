// Cloudflare Images URLs: options to the recipe, and Cloudflare's 9401 refusals.

#include <gtest/gtest.h>

#include "grammars/cloudflare_url.h"

namespace pixmill::grammars {
namespace {

Result<GrammarRequest> parse(std::string_view path, ClientHints hints = {}) { return parse_cloudflare_url(path, hints); }

TEST(CloudflareUrl, SizeFitAndSource) {
  auto r = parse("/width=300,height=200,fit=cover,quality=75,format=webp/https://example.com/a.jpg?v=2");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->recipe.resize);
  EXPECT_EQ(r->recipe.resize->width, 300);
  EXPECT_EQ(r->recipe.resize->height, 200);
  EXPECT_EQ(r->recipe.resize->fit, FitMode::Fill);
  EXPECT_EQ(r->recipe.output.quality, 75);
  EXPECT_EQ(r->recipe.output.format, OutputFormat::Webp);
  EXPECT_EQ(r->source, "https://example.com/a.jpg?v=2");
}

struct FitCase {
  const char* fit;
  FitMode mode;
  bool without_enlargement;
};
class CloudflareFit : public ::testing::TestWithParam<FitCase> {};
TEST_P(CloudflareFit, MapsToTheRecipe) {
  auto r = parse(std::string("/w=100,h=100,fit=") + GetParam().fit + "/a.jpg");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->recipe.resize->fit, GetParam().mode) << GetParam().fit;
  EXPECT_EQ(r->recipe.resize->without_enlargement, GetParam().without_enlargement) << GetParam().fit;
}
INSTANTIATE_TEST_SUITE_P(Cases, CloudflareFit,
                         ::testing::Values(FitCase{"scale-down", FitMode::Fit, true}, FitCase{"contain", FitMode::Fit, false},
                                           FitCase{"cover", FitMode::Fill, false}, FitCase{"crop", FitMode::Fill, true},
                                           FitCase{"pad", FitMode::Pad, false}, FitCase{"squeeze", FitMode::Stretch, false}));

TEST(CloudflareUrl, EffectsAndOutput) {
  auto r = parse("/w=50,blur=10,brightness=1.5,contrast=0.8,saturation=0,sharpen=2,rotate=90,flip=hv,metadata=keep,"
                 "background=%23ff0000,q=low,dpr=2,onerror=redirect/img/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->recipe.resize->width, 100);
  EXPECT_DOUBLE_EQ(r->recipe.effects.blur_sigma, 5.0);
  EXPECT_DOUBLE_EQ(r->recipe.effects.brightness, 1.5);
  EXPECT_DOUBLE_EQ(r->recipe.effects.contrast, 0.8);
  EXPECT_DOUBLE_EQ(r->recipe.effects.saturation, 0.0);
  EXPECT_DOUBLE_EQ(r->recipe.effects.sharpen_sigma, 2.0);
  EXPECT_EQ(r->recipe.rotate, 90);
  EXPECT_TRUE(r->recipe.flip);
  EXPECT_TRUE(r->recipe.flop);
  EXPECT_FALSE(r->recipe.output.strip_metadata);
  EXPECT_EQ(r->recipe.background, (Colour{255, 0, 0, 255}));
  EXPECT_EQ(r->recipe.output.quality, 50);
  EXPECT_TRUE(r->redirect_on_error);
  EXPECT_EQ(r->source, "img/a.jpg");
}

TEST(CloudflareUrl, FormatAutoNegotiatesAndJsonDescribes) {
  auto a = parse("/format=auto/a.jpg");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->negotiate_format);
  auto j = parse("/format=json,width=10/a.jpg");
  ASSERT_TRUE(j);
  EXPECT_EQ(j->answer, AnswerKind::Json);
}

TEST(CloudflareUrl, GravityAndTrimAreSettledLater) {
  auto r = parse("/w=100,h=100,fit=cover,gravity=0.2x0.8,trim=10;20;30;40/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->pending.focus);
  EXPECT_DOUBLE_EQ(r->pending.focus->y, 0.8);
  ASSERT_TRUE(r->pending.trim);
  EXPECT_EQ(r->pending.trim->left, 40);
  auto side = parse("/w=100,h=100,fit=cover,gravity=left/a.jpg");
  ASSERT_TRUE(side);
  EXPECT_EQ(side->recipe.resize->gravity, Gravity::West);
}

TEST(CloudflareUrl, SegmentForegroundAsksForBackgroundRemoval) {
  auto r = parse("/segment=foreground,format=webp/a.jpg");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->recipe.remove_background);
}

TEST(CloudflareUrl, RefusalsAreTyped) {
  for (const char* path : {"/width=abc/a.jpg", "/fit=stretchy,w=10/a.jpg", "/nosuch=1/a.jpg", "/width/a.jpg", "/w=10", "/",
                           "/rotate=45/a.jpg", "/quality=0/a.jpg", "/format=tiff/a.jpg", "/border=5/a.jpg",
                           "/border=color:#f00;width:5;top:1/a.jpg", "/gamma=-1/a.jpg"}) {
    auto r = parse(path);
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.error().code, ErrorCode::InvalidInput) << path;
  }
  for (const char* path : {"/zoom=0.5/a.jpg", "/slow-connection-quality=50/a.jpg", "/anim=false/a.jpg"}) {
    auto r = parse(path);
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedOption) << path;
  }
}

TEST(CloudflareUrl, WidthAutoUsesTheClientHint) {
  ClientHints hints;
  hints.width = 640;
  hints.dpr = 2;
  auto r = parse("/width=auto/a.jpg", hints);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->recipe.resize);
  EXPECT_EQ(r->recipe.resize->width, 640);
  EXPECT_TRUE(r->uses_client_hints);
}

}  // namespace
}  // namespace pixmill::grammars

namespace pixmill::grammars {
namespace {

TEST(CloudflareUrl, QualityAutoAndItsLevels) {
  auto r = parse("/quality=auto:low,format=webp/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->recipe.output.auto_quality, recipe::AutoQuality::Low);
}

}  // namespace
}  // namespace pixmill::grammars
