// Each pipeline operation, checked on real properties of the decoded output.

#include <gtest/gtest.h>

#include "pipeline/process.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using testing::bytes_of;
using vips::VImage;

std::string corpus(const std::string& rel) { return testing::read_file(testing::corpus_dir() + "/" + rel); }

ProcessResult run_ok(const std::string& input, const Recipe& recipe, const Limits& limits = Limits{}) {
  auto r = process_image(bytes_of(input), recipe, limits);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : ProcessResult{};
}

Error run_error(const std::string& input, const Recipe& recipe, const Limits& limits = Limits{}) {
  auto r = process_image(bytes_of(input), recipe, limits);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Error{} : r.error();
}

Recipe to(OutputFormat f) {
  Recipe r;
  r.output.format = f;
  return r;
}

// Mean absolute difference per band value, after bringing both to the same small size.
double difference(VImage a, VImage b) {
  a = a.colourspace(VIPS_INTERPRETATION_sRGB).flatten().thumbnail_image(64, VImage::option()->set("height", 64)->set("size", VIPS_SIZE_FORCE));
  b = b.colourspace(VIPS_INTERPRETATION_sRGB).flatten().thumbnail_image(64, VImage::option()->set("height", 64)->set("size", VIPS_SIZE_FORCE));
  return (a.cast(VIPS_FORMAT_FLOAT) - b.cast(VIPS_FORMAT_FLOAT)).abs().avg();
}

TEST(Process, ResizesAPhotoWithShrinkOnLoad) {
  Recipe r = to(OutputFormat::Webp);
  r.resize = ResizeSpec{800, std::nullopt};
  auto out = run_ok(corpus("photo/nasa-53884-4256x2832.jpg"), r);
  VImage img = testing::decode(out.bytes);
  EXPECT_EQ(img.width(), 800);
  EXPECT_EQ(img.height(), 532);
  EXPECT_EQ(out.format, OutputFormat::Webp);
  EXPECT_EQ(out.quality, 80);
  EXPECT_TRUE(out.resized);
  EXPECT_LT(out.bytes.size(), out.bytes_in);
}

TEST(Process, EveryExifOrientationComesOutUpright) {
  Recipe r = to(OutputFormat::Png);
  r.resize = ResizeSpec{300, std::nullopt};
  VImage reference = testing::decode(run_ok(corpus("exif-orientation/Landscape_1.jpg"), r).bytes);
  for (int o = 0; o <= 8; ++o) {
    VImage img = testing::decode(run_ok(corpus("exif-orientation/Landscape_" + std::to_string(o) + ".jpg"), r).bytes);
    EXPECT_EQ(img.width(), reference.width()) << o;
    EXPECT_EQ(img.height(), reference.height()) << o;
    EXPECT_LT(difference(img, reference), 12.0) << "orientation " << o;
    EXPECT_FALSE(img.get_typeof("orientation") && img.get_int("orientation") != 1) << o;
  }
}

TEST(Process, FitModesProduceTheBoxSizes) {
  const std::string photo = corpus("photo/spacex-81773-3000x2000.jpg");
  struct Case { FitMode fit; int w, h; };
  for (auto c : {Case{FitMode::Fit, 400, 267}, Case{FitMode::Fill, 400, 400}, Case{FitMode::Pad, 400, 400},
                 Case{FitMode::Stretch, 400, 400}}) {
    Recipe r = to(OutputFormat::Jpeg);
    r.resize = ResizeSpec{400, 400, c.fit};
    VImage img = testing::decode(run_ok(photo, r).bytes);
    EXPECT_EQ(img.width(), c.w) << static_cast<int>(c.fit);
    EXPECT_EQ(img.height(), c.h) << static_cast<int>(c.fit);
  }
}

TEST(Process, PadUsesTheBackgroundColour) {
  Recipe r = to(OutputFormat::Png);
  r.resize = ResizeSpec{200, 200, FitMode::Pad};
  r.background = Colour{255, 0, 0, 255};
  VImage img = testing::decode(run_ok(testing::encode_as(testing::synthetic(400, 200), ".png"), r).bytes);
  auto corner = img.getpoint(0, 0);
  EXPECT_EQ(corner[0], 255);
  EXPECT_EQ(corner[1], 0);
  EXPECT_EQ(corner[2], 0);
}

TEST(Process, SmartCropKeepsTheBoxSize) {
  Recipe r = to(OutputFormat::Jpeg);
  r.resize = ResizeSpec{300, 300, FitMode::Fill, Gravity::Attention};
  VImage img = testing::decode(run_ok(corpus("bg-removal/animal-1.jpg"), r).bytes);
  EXPECT_EQ(img.width(), 300);
  EXPECT_EQ(img.height(), 300);
}

TEST(Process, CropRectangleOnTheOrientedSource) {
  Recipe r = to(OutputFormat::Png);
  r.crop = CropRect{100, 50, 300, 200};
  // Landscape_6 is stored portrait; the crop applies to the upright landscape image.
  VImage img = testing::decode(run_ok(corpus("exif-orientation/Landscape_6.jpg"), r).bytes);
  EXPECT_EQ(img.width(), 300);
  EXPECT_EQ(img.height(), 200);
  Recipe same = r;
  VImage reference = testing::decode(run_ok(corpus("exif-orientation/Landscape_1.jpg"), same).bytes);
  EXPECT_LT(difference(img, reference), 12.0);
}

TEST(Process, RotateRightAnglesAndFreeAngles) {
  const std::string input = testing::encode_as(testing::synthetic(400, 200), ".png");
  Recipe r = to(OutputFormat::Png);
  r.rotate = 90;
  VImage img = testing::decode(run_ok(input, r).bytes);
  EXPECT_EQ(img.width(), 200);
  EXPECT_EQ(img.height(), 400);
  r.rotate = 45;
  r.background = Colour::transparent();
  img = testing::decode(run_ok(input, r).bytes);
  EXPECT_GT(img.width(), 400);
  EXPECT_TRUE(img.has_alpha());
  EXPECT_EQ(img.getpoint(0, 0).back(), 0);  // the corner is background, transparent
}

TEST(Process, FlipAndFlopMirror) {
  const VImage source = testing::synthetic(64, 32);
  const std::string input = testing::encode_as(source, ".png");
  Recipe r = to(OutputFormat::Png);
  r.flop = true;
  VImage img = testing::decode(run_ok(input, r).bytes);
  EXPECT_EQ(img.getpoint(0, 0), source.getpoint(63, 0));
  r.flop = false;
  r.flip = true;
  img = testing::decode(run_ok(input, r).bytes);
  EXPECT_EQ(img.getpoint(0, 0), source.getpoint(0, 31));
}

TEST(Process, EffectsChangeThePixelsAsNamed) {
  const std::string input = corpus("photo/flower.jpg");
  VImage plain = testing::decode(run_ok(input, to(OutputFormat::Png)).bytes);
  Recipe r = to(OutputFormat::Png);
  r.effects.brightness = 1.5;
  EXPECT_GT(testing::decode(run_ok(input, r).bytes).avg(), plain.avg() + 10);
  r = to(OutputFormat::Png);
  r.effects.brightness = 0.5;
  EXPECT_LT(testing::decode(run_ok(input, r).bytes).avg(), plain.avg() - 10);
  r = to(OutputFormat::Png);
  r.effects.grayscale = true;
  EXPECT_EQ(testing::decode(run_ok(input, r).bytes).bands(), 1);
  r = to(OutputFormat::Png);
  r.effects.blur_sigma = 5;
  VImage blurred = testing::decode(run_ok(input, r).bytes);
  EXPECT_LT(blurred.deviate(), plain.deviate());
  r = to(OutputFormat::Png);
  r.effects.saturation = 0.0;
  VImage desaturated = testing::decode(run_ok(input, r).bytes);
  // Without chroma, the three channels agree closely everywhere.
  EXPECT_LT((desaturated.extract_band(0).cast(VIPS_FORMAT_FLOAT) - desaturated.extract_band(2).cast(VIPS_FORMAT_FLOAT)).abs().max(), 6);
  r = to(OutputFormat::Png);
  r.effects.sepia = true;
  VImage sepia = testing::decode(run_ok(input, r).bytes);
  EXPECT_GT(sepia.extract_band(0).avg(), sepia.extract_band(2).avg());
  r = to(OutputFormat::Png);
  r.effects.contrast = 2.0;
  EXPECT_GT(testing::decode(run_ok(input, r).bytes).deviate(), plain.deviate());
  r = to(OutputFormat::Png);
  r.effects.sharpen_sigma = 2.0;
  EXPECT_GT(difference(testing::decode(run_ok(input, r).bytes), plain), 0.1);
}

TEST(Process, AlphaKeptOrFlattened) {
  const std::string input = corpus("png/blackbug.png");
  VImage png = testing::decode(run_ok(input, to(OutputFormat::Webp)).bytes);
  EXPECT_TRUE(png.has_alpha());
  Recipe r = to(OutputFormat::Jpeg);
  r.background = Colour{0, 0, 255, 255};
  VImage jpeg = testing::decode(run_ok(input, r).bytes);
  EXPECT_FALSE(jpeg.has_alpha());
  EXPECT_EQ(jpeg.bands(), 3);
}

// An animation's length: the sum of its frame delays.
int total_delay(const VImage& img) {
  int sum = 0;
  for (int d : img.get_array_int("delay")) sum += d;
  return sum;
}

TEST(Process, AnimationKeepsFramesAndDelays) {
  const std::string gif = corpus("gif/rotating-squares.gif");
  VImage source = testing::decode(gif);
  const int frames = source.get_int("n-pages");
  ASSERT_GT(frames, 1);
  Recipe r = to(OutputFormat::Webp);
  r.resize = ResizeSpec{40, std::nullopt};
  auto out = run_ok(gif, r);
  EXPECT_EQ(out.frames, frames);
  VImage webp = testing::decode(out.bytes);
  // libwebp merges identical consecutive frames and adds up their delays, so the
  // animation's timeline, not its frame count, is what must survive.
  EXPECT_GT(webp.get_int("n-pages"), 1);
  EXPECT_EQ(webp.get_int("page-height"), 40);
  EXPECT_EQ(webp.width(), 40);
  EXPECT_EQ(total_delay(webp), total_delay(source));
  EXPECT_EQ(webp.get_int("loop"), source.get_int("loop"));
  // And back to GIF.
  auto back = run_ok(out.bytes, to(OutputFormat::Gif));
  VImage gif_again = testing::decode(back.bytes);
  EXPECT_GT(gif_again.get_int("n-pages"), 1);
  EXPECT_EQ(total_delay(gif_again), total_delay(source));
  // A still format takes the first frame.
  VImage still = testing::decode(run_ok(gif, to(OutputFormat::Png)).bytes);
  EXPECT_EQ(still.height(), source.get_int("page-height"));
}

TEST(Process, AnimationRotatedPastTheOutputLimitKeepsItsFrames) {
  // Rotating by 45 degrees grows the canvas past the output limit, which then scales
  // the whole strip back: every frame must shrink alike and stay a frame.
  const std::string gif = corpus("gif/rotating-squares.gif");
  VImage source = testing::decode(gif);
  const int frames = source.get_int("n-pages");
  Limits limits;
  limits.max_output_dimension = 60;
  Recipe r = to(OutputFormat::Gif);
  r.resize = ResizeSpec{60, std::nullopt};
  r.rotate = 45;
  auto out = run_ok(gif, r, limits);
  EXPECT_EQ(out.frames, frames);
  EXPECT_LE(out.width, 60);
  EXPECT_LE(out.height, 60);
  // The GIF writer merges identical consecutive frames and adds up their delays: the
  // timeline is what must survive, in frames of the reported size.
  VImage back = testing::decode(out.bytes);
  EXPECT_GT(back.get_int("n-pages"), 1);
  EXPECT_EQ(back.get_int("page-height"), out.height);
  EXPECT_EQ(back.height(), back.get_int("n-pages") * out.height);
  EXPECT_EQ(back.width(), out.width);
  EXPECT_EQ(total_delay(back), total_delay(source));
}

TEST(Process, TooManyFramesIsRefused) {
  Limits limits;
  limits.max_frames = 3;
  Error e = run_error(corpus("gif/rotating-squares.gif"), to(OutputFormat::Gif), limits);
  EXPECT_EQ(e.code, ErrorCode::TooManyFrames);
}

TEST(Process, CmykAndIccProfilesBecomeSrgb) {
  auto out = run_ok(corpus("jpeg/Channel_digital_image_CMYK_color.jpg"), to(OutputFormat::Jpeg));
  VImage img = testing::decode(out.bytes);
  EXPECT_EQ(img.bands(), 3);
  EXPECT_EQ(img.interpretation(), VIPS_INTERPRETATION_sRGB);
  // rgb-to-gbr-test.jpg shows correct colours only when its profile is honoured: the
  // top-left patch reads as red.
  VImage swap = testing::decode(run_ok(corpus("icc/rgb-to-gbr-test.jpg"), to(OutputFormat::Png)).bytes);
  EXPECT_FALSE(swap.get_typeof("icc-profile-data"));  // stripped by default, pixels are sRGB
}

TEST(Process, MetadataStrippedUnlessKept) {
  const std::string input = corpus("exif-orientation/Landscape_1.jpg");
  VImage stripped = testing::decode(run_ok(input, to(OutputFormat::Jpeg)).bytes);
  EXPECT_FALSE(stripped.get_typeof("exif-data"));
  Recipe keep = to(OutputFormat::Jpeg);
  keep.output.strip_metadata = false;
  VImage kept = testing::decode(run_ok(input, keep).bytes);
  EXPECT_TRUE(kept.get_typeof("exif-data"));
}

TEST(Process, SixteenBitBecomesEightBit) {
  VImage img = testing::decode(run_ok(corpus("png/sample-16bit.png"), to(OutputFormat::Jpeg)).bytes);
  EXPECT_EQ(img.format(), VIPS_FORMAT_UCHAR);
}

TEST(Process, TargetSizeIsMet) {
  Recipe r = to(OutputFormat::Jpeg);
  r.output.target_bytes = 60'000;
  auto out = run_ok(corpus("photo/spacex-81773-3000x2000.jpg"), r);
  EXPECT_LE(out.bytes.size(), 60'000u);
  EXPECT_TRUE(out.target_met);
  EXPECT_GE(out.iterations, 1);
  ASSERT_TRUE(out.quality);
  EXPECT_LE(*out.quality, 80);
}

TEST(Process, TargetSizeDownscalesWhenQualityIsNotEnough) {
  Recipe r = to(OutputFormat::Webp);
  r.output.target_bytes = 4'000;
  auto out = run_ok(corpus("photo/spacex-81773-3000x2000.jpg"), r);
  EXPECT_LE(out.bytes.size(), 4'000u);
  EXPECT_TRUE(out.target_met);
  EXPECT_TRUE(out.resized);
}

// A panning animated WebP over noisy detail, so that bytes scale with the frame area.
std::string panning_animation(int width, int height, int frames) {
  VImage scene = VImage::gaussnoise(width * 2, height, VImage::option()->set("mean", 128.0)->set("sigma", 40.0));
  scene = scene.bandjoin(scene.rot180()).bandjoin(scene.fliphor()).cast(VIPS_FORMAT_UCHAR)
              .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  std::vector<VImage> pages;
  for (int i = 0; i < frames; ++i) pages.push_back(scene.extract_area(i * width / frames, 0, width, height));
  VImage strip = VImage::arrayjoin(pages, VImage::option()->set("across", 1)).copy_memory();
  strip.set("page-height", height);
  strip.set("delay", std::vector<int>(frames, 80));
  strip.set("loop", 0);
  return testing::encode_as(strip, ".webp");
}

TEST(Process, TargetSizeDownscalesAnAnimationFrameByFrame) {
  const std::string animation = panning_animation(160, 120, 6);
  VImage source = testing::decode(animation);
  ASSERT_EQ(source.get_int("n-pages"), 6);
  const size_t full = run_ok(animation, to(OutputFormat::Webp)).bytes.size();
  Recipe r = to(OutputFormat::Webp);
  r.output.target_bytes = full / 8;  // beyond what quality alone reaches
  auto out = run_ok(animation, r);
  EXPECT_LE(out.bytes.size(), full / 8);
  EXPECT_TRUE(out.target_met);
  EXPECT_TRUE(out.resized);
  VImage back = testing::decode(out.bytes);
  EXPECT_EQ(back.get_int("n-pages"), 6);
  EXPECT_LT(back.get_int("page-height"), 120);
  EXPECT_EQ(back.get_int("page-height"), out.height);
  EXPECT_EQ(back.height(), 6 * out.height);
  EXPECT_EQ(total_delay(back), total_delay(source));
}

TEST(Process, TargetSizeNeverGrowsAnUntouchedImageOfTheSameFormat) {
  // A small, already-compressed JPEG re-encoded at q100 would grow.
  const std::string input = corpus("photo/hopper.jpg");
  Recipe r;
  r.output.quality = 100;
  r.output.target_bytes = 1 << 20;
  auto out = run_ok(input, r);
  EXPECT_LE(out.bytes.size(), input.size());
  r.output.allow_larger = true;
  EXPECT_GT(run_ok(input, r).bytes.size(), input.size());
}

TEST(Process, BmpAndHeifReadAndBmpWritten) {
  VImage bmp_in = testing::decode(run_ok(corpus("bmp/rgba32.bmp"), to(OutputFormat::Png)).bytes);
  EXPECT_EQ(bmp_in.width(), 127);
  EXPECT_TRUE(bmp_in.has_alpha());
  auto heic = run_ok(corpus("heic/pug-4032x3024.heic"), [] {
    Recipe r = to(OutputFormat::Bmp);
    r.resize = ResizeSpec{320, std::nullopt};
    return r;
  }());
  EXPECT_EQ(heic.bytes.substr(0, 2), "BM");
  EXPECT_EQ(heic.width, 320);
}

TEST(Process, AutoFormatRule) {
  auto photo = run_ok(corpus("photo/flower.jpg"), to(OutputFormat::Auto));
  EXPECT_EQ(photo.format, OutputFormat::Webp);
  Recipe no_webp = to(OutputFormat::Auto);
  no_webp.output.auto_allow_webp = false;
  EXPECT_EQ(run_ok(corpus("photo/flower.jpg"), no_webp).format, OutputFormat::Jpeg);
  EXPECT_EQ(run_ok(corpus("png/blackbug.png"), no_webp).format, OutputFormat::Png);
  Recipe avif = to(OutputFormat::Auto);
  avif.output.auto_allow_avif = true;
  avif.resize = ResizeSpec{64, std::nullopt};
  EXPECT_EQ(run_ok(corpus("photo/flower.jpg"), avif).format, OutputFormat::Avif);
}

TEST(Process, OriginalFormatRules) {
  EXPECT_EQ(run_ok(corpus("webp/4.webp"), Recipe{}).format, OutputFormat::Webp);
  EXPECT_EQ(run_ok(corpus("heic/xiaomi.heic"), [] { Recipe r; r.resize = ResizeSpec{100, std::nullopt}; return r; }()).format,
            OutputFormat::Jpeg);
  Recipe petite;
  petite.output.original_avif_as_jpeg = true;
  EXPECT_EQ(run_ok(corpus("avif/transparency.avif"), petite).format, OutputFormat::Jpeg);
}

TEST(Process, ErrorsAreTyped) {
  EXPECT_EQ(run_error("", Recipe{}).code, ErrorCode::InvalidImage);
  EXPECT_EQ(run_error("hello, world, definitely not an image", Recipe{}).code, ErrorCode::UnsupportedFormat);
  EXPECT_EQ(run_error(corpus("corrupt/truncated.jpg"), to(OutputFormat::Jpeg)).code, ErrorCode::InvalidImage);
  Limits small;
  small.max_pixels = 1000;
  EXPECT_EQ(run_error(corpus("photo/flower.jpg"), Recipe{}, small).code, ErrorCode::TooManyPixels);
  Recipe bad;
  bad.output.quality = 0;
  EXPECT_EQ(run_error(corpus("photo/flower.jpg"), bad).code, ErrorCode::InvalidInput);
}

TEST(Process, ExpiredDeadlineIsATimeout) {
  auto r = process_image(bytes_of(corpus("photo/nasa-53884-4256x2832.jpg")), to(OutputFormat::Webp), Limits{},
                         Deadline(Deadline::Clock::now() - std::chrono::seconds(1)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Timeout);
}

TEST(Process, HostileSvgCostsOneRequest) {
  Limits limits;
  limits.svg_timeout_ms = 1500;
  for (const auto& row : testing::corpus_rows("svg-hostile")) {
    auto start = std::chrono::steady_clock::now();
    auto r = process_image(bytes_of(corpus(row.file)), to(OutputFormat::Png), limits);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(ms, 4000) << row.file;
    if (r.ok()) {
      // Rendered without its external references: no file contents leak into the output.
      EXPECT_GT(r->bytes.size(), 0u);
    } else {
      EXPECT_TRUE(r.error().code == ErrorCode::InvalidImage || r.error().code == ErrorCode::Timeout ||
                  r.error().code == ErrorCode::TooManyPixels)
          << row.file << " " << error_code_name(r.error().code);
    }
  }
}

}  // namespace
}  // namespace pixmill::pipeline
