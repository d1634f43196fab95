// imgproxy URLs: cases as data (a URL, then the recipe it must give or the refusal).

#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/digest.h"
#include "grammars/imgproxy_url.h"

namespace pixmill::grammars {
namespace {

constexpr int64_t kNow = 1'700'000'000;

ImgproxySettings unsigned_settings() { return ImgproxySettings{}; }

ImgproxySettings signed_settings() {
  ImgproxySettings s;
  s.keys.emplace_back("test-key", "test-salt");
  return s;
}

Result<GrammarRequest> parse(std::string_view path, const ImgproxySettings& s = unsigned_settings()) {
  return parse_imgproxy_url(path, s, ClientHints{}, kNow);
}

TEST(ImgproxySignature, MatchesImgproxysOwnTestVector) {
  // imgproxy's security/signature_test.go: key "test-key", salt "test-salt", path "asd".
  EXPECT_EQ(imgproxy_signature("asd", "test-key", "test-salt", 32), "oWaL7QoW5TsgbuiS9-5-DI8S3Ibbo1gdB2SteJh3a20");
  EXPECT_EQ(imgproxy_signature("asd", "test-key", "test-salt", 8), "oWaL7QoW5Ts");
}

TEST(ImgproxySignature, AcceptsAnyPairOfSeveralForRotation) {
  ImgproxySettings s = signed_settings();
  s.keys.emplace_back("test-key2", "test-salt2");
  EXPECT_TRUE(verify_imgproxy_signature("jYz1UZ7j1BCdSzH3pZhaYf0iuz0vusoOTdqJsUT6WXI", "/asd", s));
  EXPECT_TRUE(verify_imgproxy_signature("oWaL7QoW5TsgbuiS9-5-DI8S3Ibbo1gdB2SteJh3a20", "/asd", s));
  auto wrong = verify_imgproxy_signature("dtLwhdnPPis", "/asd", s);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::SignatureInvalid);
}

TEST(ImgproxySignature, TruncatedSignaturesNeedTheConfiguredSize) {
  ImgproxySettings s = signed_settings();
  EXPECT_FALSE(verify_imgproxy_signature("oWaL7QoW5Ts", "/asd", s));
  s.signature_size = 8;
  EXPECT_TRUE(verify_imgproxy_signature("oWaL7QoW5Ts", "/asd", s));
}

TEST(ImgproxySignature, SignedUrlParsesAndTamperedOneIsForbidden) {
  const std::string rest = "/rs:fill:300:200/plain/http://example.com/a.jpg";
  const std::string sig = imgproxy_signature(rest, "test-key", "test-salt", 32);
  EXPECT_TRUE(parse("/" + sig + rest, signed_settings()));
  auto tampered = parse("/" + sig + "/rs:fill:301:200/plain/http://example.com/a.jpg", signed_settings());
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, ErrorCode::SignatureInvalid);
  auto unsigned_url = parse("/insecure" + rest, signed_settings());
  ASSERT_FALSE(unsigned_url);
  EXPECT_EQ(unsigned_url.error().code, ErrorCode::SignatureInvalid);
}

TEST(ImgproxyUrl, WithoutKeysAnySignatureSegmentPassesButAnOptionDoesNot) {
  EXPECT_TRUE(parse("/insecure/w:100/plain/http://example.com/a.jpg"));
  EXPECT_TRUE(parse("/_/w:100/plain/http://example.com/a.jpg"));
  auto option_first = parse("/w:100/plain/http://example.com/a.jpg");
  ASSERT_FALSE(option_first);
  EXPECT_EQ(option_first.error().code, ErrorCode::SignatureInvalid);
}

TEST(ImgproxyUrl, PlainSourceWithExtensionAndEscapes) {
  auto r = parse("/x/rs:fit:300:0/plain/http://example.com/a%20b.jpg%3Fv%3D1@webp");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->source, "http://example.com/a b.jpg?v=1");
  EXPECT_EQ(r->recipe.output.format, OutputFormat::Webp);
  EXPECT_TRUE(r->format_explicit);
  ASSERT_TRUE(r->recipe.resize);
  EXPECT_EQ(r->recipe.resize->width, 300);
  EXPECT_FALSE(r->recipe.resize->height);
  EXPECT_TRUE(r->recipe.resize->without_enlargement);  // imgproxy's enlarge defaults to false
}

TEST(ImgproxyUrl, Base64SourceMaySpanSegmentsAndCarryAnExtension) {
  const std::string encoded = core::base64url_encode("https://example.com/images/a.png");
  auto r = parse("/x/w:50/" + encoded.substr(0, 10) + "/" + encoded.substr(10) + ".avif");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->source, "https://example.com/images/a.png");
  EXPECT_EQ(r->recipe.output.format, OutputFormat::Avif);
}

TEST(ImgproxyUrl, SqueezedSchemeIsRestored) {
  auto r = parse("/x/w:50/plain/https:/example.com/a.jpg");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->source, "https://example.com/a.jpg");
}

struct ResizeCase {
  const char* options;
  FitMode fit;
  std::optional<int> width;
  std::optional<int> height;
  bool without_enlargement;
};

class ImgproxyResize : public ::testing::TestWithParam<ResizeCase> {};

TEST_P(ImgproxyResize, MapsToTheRecipe) {
  const ResizeCase& c = GetParam();
  auto r = parse(std::string("/x/") + c.options + "/plain/http://example.com/a.jpg");
  ASSERT_TRUE(r) << c.options << ": " << r.error().message;
  ASSERT_TRUE(r->recipe.resize) << c.options;
  EXPECT_EQ(r->recipe.resize->fit, c.fit) << c.options;
  EXPECT_EQ(r->recipe.resize->width, c.width) << c.options;
  EXPECT_EQ(r->recipe.resize->height, c.height) << c.options;
  EXPECT_EQ(r->recipe.resize->without_enlargement, c.without_enlargement) << c.options;
}

INSTANTIATE_TEST_SUITE_P(Cases, ImgproxyResize,
                         ::testing::Values(ResizeCase{"rs:fit:300:200", FitMode::Fit, 300, 200, true},
                                           ResizeCase{"rs:fill:300:200:1", FitMode::Fill, 300, 200, false},
                                           ResizeCase{"resize:force:300:200", FitMode::Stretch, 300, 200, true},
                                           ResizeCase{"rt:fill/w:300/h:200", FitMode::Fill, 300, 200, true},
                                           ResizeCase{"s:300:200:0:1", FitMode::Pad, 300, 200, true},
                                           ResizeCase{"rs:fill:300:0", FitMode::Fit, 300, std::nullopt, true},
                                           ResizeCase{"w:100/h:50/dpr:2", FitMode::Fit, 200, 100, true},
                                           ResizeCase{"w:100/z:1.5", FitMode::Fit, 150, std::nullopt, true}));

TEST(ImgproxyUrl, GravityEffectsAndOutputOptions) {
  auto r = parse("/x/rs:fill:100:100/g:sm/bl:2/sh:0.5/rot:90/fl:1:0/bg:ff0000/q:70/fq:webp:60/mb:20000/sm:false/"
                 "cb:v2/fn:photo/att:1/plain/http://example.com/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->recipe.resize->gravity, Gravity::Attention);
  EXPECT_DOUBLE_EQ(r->recipe.effects.blur_sigma, 2.0);
  EXPECT_DOUBLE_EQ(r->recipe.effects.sharpen_sigma, 0.5);
  EXPECT_EQ(r->recipe.rotate, 90);
  EXPECT_TRUE(r->recipe.flop);
  EXPECT_FALSE(r->recipe.flip);
  EXPECT_EQ(r->recipe.background, (Colour{255, 0, 0, 255}));
  EXPECT_EQ(r->recipe.output.quality, 70);
  EXPECT_EQ(r->format_quality.at(OutputFormat::Webp), 60);
  EXPECT_EQ(r->recipe.output.target_bytes, 20000u);
  EXPECT_FALSE(r->recipe.output.strip_metadata);
  EXPECT_EQ(r->cache_salt, "v2");
  EXPECT_EQ(r->filename, "photo");
  EXPECT_TRUE(r->attachment);
}

TEST(ImgproxyUrl, FocusPointAndCropAreSettledLater) {
  auto r = parse("/x/rs:fill:100:100/g:fp:0.25:0.75/c:0.5:0.5:nowe/plain/http://example.com/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->pending.focus);
  EXPECT_DOUBLE_EQ(r->pending.focus->x, 0.25);
  ASSERT_TRUE(r->pending.sized_crop);
  EXPECT_EQ(r->pending.sized_crop->gravity, Gravity::NorthWest);
}

TEST(ImgproxyUrl, PresetsApplyAndDefaultAppliesToEveryUrl) {
  ImgproxySettings s;
  s.presets = {{"default", "q:55"}, {"thumb", "rs:fill:64:64/f:webp"}};
  auto r = parse("/x/pr:thumb/plain/http://example.com/a.jpg", s);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->recipe.output.quality, 55);
  EXPECT_EQ(r->recipe.resize->width, 64);
  EXPECT_EQ(r->recipe.output.format, OutputFormat::Webp);
  auto unknown = parse("/x/pr:nope/plain/http://example.com/a.jpg", s);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::InvalidInput);
}

TEST(ImgproxyUrl, ParsesPresetSettingAndRefusesABrokenOne) {
  auto ok = parse_imgproxy_presets("small=rs:fit:100:100,big=rs:fit:1000:1000/q:90");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->size(), 2u);
  EXPECT_FALSE(parse_imgproxy_presets("broken"));
  EXPECT_FALSE(parse_imgproxy_presets("bad=nosuchoption:1"));
}

TEST(ImgproxyUrl, ExpiresInThePastIsRefusedAndInTheFutureKept) {
  auto past = parse("/x/exp:" + std::to_string(kNow - 1) + "/plain/http://example.com/a.jpg");
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, ErrorCode::Expired);
  auto future = parse("/x/exp:" + std::to_string(kNow + 60) + "/plain/http://example.com/a.jpg");
  ASSERT_TRUE(future);
  EXPECT_EQ(future->expires_at, kNow + 60);
}

struct RefusalCase {
  const char* path;
  ErrorCode code;
};
class ImgproxyRefusal : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(ImgproxyRefusal, IsTyped) {
  auto r = parse(GetParam().path);
  ASSERT_FALSE(r) << GetParam().path;
  EXPECT_EQ(r.error().code, GetParam().code) << GetParam().path << ": " << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ImgproxyRefusal,
    ::testing::Values(RefusalCase{"/x/nosuch:1/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/w:abc/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/rt:bogus/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/rot:45/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/q:101/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/plain/http://e.com/a.jpg@png@webp", ErrorCode::InvalidInput},
                      RefusalCase{"/x/w:10/plain/http://e.com/a.jpg@ico", ErrorCode::UnsupportedFormat},
                      RefusalCase{"/x/fit/300/300/ce/0/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/w:10/!!!notbase64", ErrorCode::InvalidInput},
                      RefusalCase{"/x/w:10", ErrorCode::InvalidInput},
                      RefusalCase{"/x", ErrorCode::InvalidInput},
                      RefusalCase{"/x/t:10::1/plain/http://e.com/a.jpg", ErrorCode::UnsupportedOption},
                      RefusalCase{"/x/wm:1.5/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/wm:0.5:sm/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/pd:-1/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/pix:a/plain/http://e.com/a.jpg", ErrorCode::InvalidInput},
                      RefusalCase{"/x/msr:10/plain/http://e.com/a.jpg", ErrorCode::UnsupportedOption},
                      // imgproxy Pro options: unknown to the open-source imgproxy, and so to us.
                      RefusalCase{"/x/brightness:10/plain/http://e.com/a.jpg", ErrorCode::InvalidInput}));

TEST(ImgproxyUrl, ClientHintsSetDprAndWidthUnlessTheUrlDoes) {
  ClientHints hints;
  hints.dpr = 2;
  hints.width = 400;
  auto r = parse_imgproxy_url("/x/plain/http://example.com/a.jpg", unsigned_settings(), hints, kNow);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->recipe.resize);
  EXPECT_EQ(r->recipe.resize->width, 400);  // 400 physical pixels: 200 CSS pixels at dpr 2
  auto explicit_width = parse_imgproxy_url("/x/w:100/plain/http://example.com/a.jpg", unsigned_settings(), hints, kNow);
  ASSERT_TRUE(explicit_width);
  EXPECT_EQ(explicit_width->recipe.resize->width, 200);  // the URL's 100 at the hinted dpr 2
}

}  // namespace
}  // namespace pixmill::grammars

namespace pixmill::grammars {
namespace {

TEST(ImgproxyUrl, QualityAutoAndItsLevels) {
  auto r = parse("/x/q:auto/plain/http://example.com/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->recipe.output.auto_quality, recipe::AutoQuality::Good);
  r = parse("/x/q:auto:eco/plain/http://example.com/a.jpg");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->recipe.output.auto_quality, recipe::AutoQuality::Eco);
  EXPECT_FALSE(parse("/x/q:auto:best/plain/http://example.com/a.jpg"));
}

}  // namespace
}  // namespace pixmill::grammars
