// thumbor / imagor URLs: signatures as thumbor's and imagor's signers write them, the
// segment grammar, the filters.

#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/digest.h"
#include "grammars/thumbor_url.h"

namespace pixmill::grammars {
namespace {

constexpr int64_t kNowMs = 1'700'000'000'000;

Result<GrammarRequest> parse(std::string_view path, const ThumborSettings& s = {}) {
  return parse_thumbor_url(path, s, ClientHints{}, kNowMs);
}

ThumborSettings keyed(std::string key = "MY_SECURE_KEY") {
  ThumborSettings s;
  s.key = std::move(key);
  return s;
}

TEST(ThumborSignature, IsUrlSafeBase64HmacSha1WithPadding) {
  // HMAC-SHA1("MY_SECURE_KEY", "300x200/smart/example.com/a.jpg"), as Python's hmac/base64 compute it.
  const ThumborSettings s = keyed();
  const std::string sig = thumbor_signature("300x200/smart/example.com/a.jpg", s);
  EXPECT_EQ(sig.size(), 28u);
  EXPECT_EQ(sig.back(), '=');
  EXPECT_EQ(sig, core::base64url_encode_padded(core::hmac(HmacAlgorithm::Sha1, "MY_SECURE_KEY", "300x200/smart/example.com/a.jpg")));
}

TEST(ThumborSignature, ImagorTypesAndTruncation) {
  ThumborSettings s = keyed("mysecret");
  s.algorithm = HmacAlgorithm::Sha256;
  s.truncate = 40;
  EXPECT_EQ(thumbor_signature("fit-in/300x0/a.jpg", s).size(), 40u);
  s.algorithm = HmacAlgorithm::Sha512;
  s.truncate = 0;
  EXPECT_EQ(thumbor_signature("fit-in/300x0/a.jpg", s).size(), 88u);
}

TEST(ThumborUrl, SignedParsesTamperedAndUnsafeAreRefused) {
  const ThumborSettings s = keyed();
  const std::string path = "300x200/smart/http://example.com/a.jpg";
  auto ok = parse("/" + thumbor_signature(path, s) + "/" + path, s);
  ASSERT_TRUE(ok) << ok.error().message;
  auto tampered = parse("/" + thumbor_signature(path, s) + "/301x200/smart/http://example.com/a.jpg", s);
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, ErrorCode::SignatureInvalid);
  auto unsafe = parse("/unsafe/" + path, s);
  ASSERT_FALSE(unsafe);
  EXPECT_EQ(unsafe.error().code, ErrorCode::SignatureInvalid);
}

TEST(ThumborUrl, UnsafeWithoutAKeyAndAHashWithoutOneIsRefused) {
  EXPECT_TRUE(parse("/unsafe/300x200/http://example.com/a.jpg"));
  auto hashed = parse("/abcdefghijklmnopqrstuvwxyz0=/300x200/http://example.com/a.jpg");
  ASSERT_FALSE(hashed);
  EXPECT_EQ(hashed.error().code, ErrorCode::SignatureInvalid);
}

TEST(ThumborUrl, FullGrammarInOrder) {
  auto r = parse("/unsafe/meta/10x20:110x220/fit-in/-300x-200/left/top/smart/filters:quality(70):format(webp):grayscale()/"
                 "http://example.com/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->answer, AnswerKind::Json);
  ASSERT_TRUE(r->pending.edge_crop);
  EXPECT_EQ(r->pending.edge_crop->right, 110);
  ASSERT_TRUE(r->recipe.resize);
  EXPECT_EQ(r->recipe.resize->fit, FitMode::Fit);
  EXPECT_EQ(r->recipe.resize->width, 300);
  EXPECT_EQ(r->recipe.resize->gravity, Gravity::Attention);  // smart wins over the alignment
  EXPECT_TRUE(r->recipe.flop);
  EXPECT_TRUE(r->recipe.flip);
  EXPECT_EQ(r->recipe.output.quality, 70);
  EXPECT_EQ(r->recipe.output.format, OutputFormat::Webp);
  EXPECT_TRUE(r->recipe.effects.grayscale);
  EXPECT_EQ(r->source, "http://example.com/a.jpg");
}

TEST(ThumborUrl, CropModeFillsAndEnlargesFitInDoesNot) {
  auto crop = parse("/unsafe/300x200/right/bottom/example.com/a.jpg");
  ASSERT_TRUE(crop);
  EXPECT_EQ(crop->recipe.resize->fit, FitMode::Fill);
  EXPECT_EQ(crop->recipe.resize->gravity, Gravity::SouthEast);
  EXPECT_FALSE(crop->recipe.resize->without_enlargement);
  auto fit = parse("/unsafe/fit-in/300x200/example.com/a.jpg");
  ASSERT_TRUE(fit);
  EXPECT_TRUE(fit->recipe.resize->without_enlargement);
  auto upscale = parse("/unsafe/fit-in/300x200/filters:upscale()/example.com/a.jpg");
  ASSERT_TRUE(upscale);
  EXPECT_FALSE(upscale->recipe.resize->without_enlargement);
  auto padded = parse("/unsafe/fit-in/300x200/filters:fill(ff0000)/example.com/a.jpg");
  ASSERT_TRUE(padded);
  EXPECT_EQ(padded->recipe.resize->fit, FitMode::Pad);
  EXPECT_EQ(padded->recipe.background, (Colour{255, 0, 0, 255}));
}

TEST(ThumborUrl, FiltersMapToEffects) {
  auto r = parse("/unsafe/filters:brightness(20):contrast(-50):saturation(100):blur(3):sharpen(1,0.8,true):rotate(90):"
                 "no_upscale():max_bytes(50000):max_age(60):strip_exif():background_color(black)/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_DOUBLE_EQ(r->recipe.effects.brightness, 1.2);
  EXPECT_DOUBLE_EQ(r->recipe.effects.contrast, 0.5);
  EXPECT_DOUBLE_EQ(r->recipe.effects.saturation, 2.0);
  EXPECT_DOUBLE_EQ(r->recipe.effects.blur_sigma, 3.0);
  EXPECT_DOUBLE_EQ(r->recipe.effects.sharpen_sigma, 0.8);
  EXPECT_EQ(r->recipe.rotate, 90);
  EXPECT_EQ(r->recipe.output.target_bytes, 50000u);
  EXPECT_EQ(r->max_age_s, 60);
  EXPECT_EQ(r->recipe.background, Colour::black());
  EXPECT_EQ(r->source, "a.jpg");
}

TEST(ThumborUrl, UnknownFiltersAreIgnoredAsThumborDoes) {
  auto r = parse("/unsafe/filters:nosuchfilter(1):quality(50)/a.jpg");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->recipe.output.quality, 50);
}

TEST(ThumborUrl, NotYetSupportedIsTyped) {
  for (const char* path : {"/unsafe/filters:watermark(b.png,repeat,0,50)/a.jpg", "/unsafe/filters:round_corner(20|10,255,255,255)/a.jpg",
                           "/unsafe/trim:bottom-right/a.jpg", "/unsafe/adaptive-fit-in/100x100/a.jpg",
                           "/unsafe/filters:rgb(10,0,0)/a.jpg", "/unsafe/filters:noise(10)/a.jpg"}) {
    auto r = parse(path);
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedOption) << path;
  }
}

TEST(ThumborUrl, ImagorExpireAndBase64Image) {
  auto expired = parse("/unsafe/filters:expire(" + std::to_string(kNowMs - 1) + ")/a.jpg");
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::Expired);
  auto live = parse("/unsafe/filters:expire(" + std::to_string(kNowMs + 60'000) + ")/a.jpg");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->expires_at, kNowMs / 1000 + 60);
  auto b64 = parse("/unsafe/100x0/b64:" + core::base64url_encode("https://example.com/x y.png"));
  ASSERT_TRUE(b64);
  EXPECT_EQ(b64->source, "https://example.com/x y.png");
}

TEST(ThumborUrl, FilterArgumentsMayHoldSlashes) {
  auto r = parse("/unsafe/filters:attachment(a/b.jpg):quality(40)/http://example.com/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->recipe.output.quality, 40);
  EXPECT_EQ(r->source, "http://example.com/a.jpg");
}

TEST(ThumborUrl, EmptyImageIsRefused) {
  for (const char* path : {"/unsafe/", "/unsafe", "/unsafe/300x200/", "/unsafe/filters:quality(50)"}) {
    auto r = parse(path);
    EXPECT_FALSE(r) << path;
  }
}

}  // namespace
}  // namespace pixmill::grammars

namespace pixmill::grammars {
namespace {

TEST(ThumborUrl, QualityAutoFilter) {
  auto r = parse("/unsafe/filters:quality(auto:high)/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->recipe.output.auto_quality, recipe::AutoQuality::High);
}

}  // namespace
}  // namespace pixmill::grammars
