// Each pipeline operation, checked on real properties of the decoded output. Inputs are
// chosen from the corpus by category and property, never by name: the expectations are
// computed from the chosen file, so any corpus with the categories passes.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>

#include "pipeline/process.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using testing::bytes_of;
using testing::ManifestRow;
using vips::VImage;

bool is_jpeg(const ManifestRow& row) { return row.format == "jpeg"; }
// Most pixels first: the largest of a size class shows effects best.
bool larger(const ManifestRow& a, const ManifestRow& b) { return a.pixels() > b.pixels(); }

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
  PIXMILL_PICK_OR_SKIP(photo, {"photo-large", "photo-medium"}, [](const ManifestRow& r) { return is_jpeg(r) && r.width >= 1600; });
  const std::string input = photo.read();
  const testing::Size source = testing::upright_size(input);
  Recipe r = to(OutputFormat::Webp);
  r.resize = ResizeSpec{800, std::nullopt};
  auto out = run_ok(input, r);
  VImage img = testing::decode(out.bytes);
  EXPECT_EQ(img.width(), 800) << photo.file;
  EXPECT_NEAR(img.height(), 800.0 * source.height / source.width, 1.0) << photo.file;
  EXPECT_EQ(out.format, OutputFormat::Webp);
  EXPECT_EQ(out.quality, 80);
  EXPECT_TRUE(out.resized);
  EXPECT_LT(out.bytes.size(), out.bytes_in);
}

// The EXIF orientation of an encoded image (1 when it has none).
int orientation_of(const std::string& bytes) {
  VImage header = VImage::new_from_buffer(bytes.data(), bytes.size(), "");
  return header.get_typeof("orientation") ? header.get_int("orientation") : 1;
}

// The exif-orientation JPEGs as series of one scene: files of the same upright size, with
// the upright one (orientation 1) as the reference. Series without one are left out.
struct OrientationSeries {
  ManifestRow reference;
  std::vector<std::pair<ManifestRow, int>> members;  // with their orientation
};
std::vector<OrientationSeries> orientation_series() {
  std::map<std::pair<int, int>, OrientationSeries> by_size;
  std::map<std::pair<int, int>, bool> has_reference;
  for (const auto& row : testing::corpus_category({"exif-orientation"}, is_jpeg)) {
    const std::string bytes = row.read();
    const testing::Size size = testing::upright_size(bytes);
    auto& series = by_size[{size.width, size.height}];
    const int orientation = orientation_of(bytes);
    series.members.emplace_back(row, orientation);
    if (orientation == 1 && !has_reference[{size.width, size.height}]) {
      series.reference = row;
      has_reference[{size.width, size.height}] = true;
    }
  }
  std::vector<OrientationSeries> out;
  for (auto& [size, series] : by_size) {
    if (has_reference[size] && series.members.size() > 1) out.push_back(series);
  }
  return out;
}

TEST(Process, EveryExifOrientationComesOutUpright) {
  Recipe r = to(OutputFormat::Png);
  r.resize = ResizeSpec{300, std::nullopt};
  std::set<int> orientations;
  for (const auto& series : orientation_series()) {
    VImage reference = testing::decode(run_ok(series.reference.read(), r).bytes);
    for (const auto& [row, orientation] : series.members) {
      VImage img = testing::decode(run_ok(row.read(), r).bytes);
      EXPECT_EQ(img.width(), reference.width()) << row.file;
      EXPECT_EQ(img.height(), reference.height()) << row.file;
      EXPECT_LT(difference(img, reference), 12.0) << row.file << ", orientation " << orientation;
      EXPECT_FALSE(img.get_typeof("orientation") && img.get_int("orientation") != 1) << row.file;
      orientations.insert(orientation);
    }
  }
  if (orientations.empty() && !testing::corpus_is_fixtures()) GTEST_SKIP() << "no EXIF orientation series in the corpus";
  EXPECT_EQ(orientations.size(), 8u) << "the fixtures hold the series of all eight orientations";
}

TEST(Process, FitModesProduceTheBoxSizes) {
  PIXMILL_PICK_OR_SKIP(row, {"photo-medium"}, [](const ManifestRow& r) { return is_jpeg(r) && r.width != r.height; });
  const std::string photo = row.read();
  const testing::Size source = testing::upright_size(photo);
  // Fit: the long side becomes 400, the other keeps the aspect ratio.
  const double scale = 400.0 / std::max(source.width, source.height);
  struct Case { FitMode fit; double w, h; };
  for (auto c : {Case{FitMode::Fit, source.width * scale, source.height * scale}, Case{FitMode::Fill, 400, 400},
                 Case{FitMode::Pad, 400, 400}, Case{FitMode::Stretch, 400, 400}}) {
    Recipe r = to(OutputFormat::Jpeg);
    r.resize = ResizeSpec{400, 400, c.fit};
    VImage img = testing::decode(run_ok(photo, r).bytes);
    EXPECT_NEAR(img.width(), c.w, 1.0) << row.file << " fit " << static_cast<int>(c.fit);
    EXPECT_NEAR(img.height(), c.h, 1.0) << row.file << " fit " << static_cast<int>(c.fit);
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
  PIXMILL_PICK_OR_SKIP(photo, {"bg-removal"});
  VImage img = testing::decode(run_ok(photo.read(), r).bytes);
  EXPECT_EQ(img.width(), 300);
  EXPECT_EQ(img.height(), 300);
}

TEST(Process, CropRectangleOnTheOrientedSource) {
  Recipe r = to(OutputFormat::Png);
  r.crop = CropRect{100, 50, 300, 200};
  int checked = 0;
  for (const auto& series : orientation_series()) {
    for (const auto& [row, orientation] : series.members) {
      // Orientations 5-8 are stored with the sides swapped; the crop applies to the upright image.
      if (orientation < 5 || row.width < 250 || row.height < 400) continue;
      VImage img = testing::decode(run_ok(row.read(), r).bytes);
      EXPECT_EQ(img.width(), 300) << row.file;
      EXPECT_EQ(img.height(), 200) << row.file;
      VImage reference = testing::decode(run_ok(series.reference.read(), r).bytes);
      EXPECT_LT(difference(img, reference), 12.0) << row.file;
      ++checked;
    }
  }
  if (checked == 0 && !testing::corpus_is_fixtures()) GTEST_SKIP() << "no rotated EXIF orientation series in the corpus";
  EXPECT_GT(checked, 0);
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
  PIXMILL_PICK_OR_SKIP(photo, {"photo-small"}, is_jpeg, larger);
  const std::string input = photo.read();
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
  PIXMILL_PICK_OR_SKIP(row, {"png-alpha"});
  const std::string input = row.read();
  VImage png = testing::decode(run_ok(input, to(OutputFormat::Webp)).bytes);
  EXPECT_TRUE(png.has_alpha());
  Recipe r = to(OutputFormat::Jpeg);
  r.background = Colour{0, 0, 255, 255};
  VImage jpeg = testing::decode(run_ok(input, r).bytes);
  EXPECT_FALSE(jpeg.has_alpha());
  EXPECT_EQ(jpeg.bands(), 3);
}

// An animation's length as viewers play it: the sum of its frame delays, where a delay
// under 20 ms (a GIF's 0 or 1 centisecond) shows for 100 ms, as browsers and libwebp's
// encoder treat it.
int total_delay(const VImage& img) {
  int sum = 0;
  for (int d : img.get_array_int("delay")) sum += d < 20 ? 100 : d;
  return sum;
}

// The smallest animated GIF with more than three frames.
std::optional<ManifestRow> animated_gif() {
  for (const auto& row : testing::corpus_category({"gif-animated"}, [](const ManifestRow& r) { return r.format == "gif"; })) {
    const std::string bytes = row.read();
    VImage header = VImage::new_from_buffer(bytes.data(), bytes.size(), "", VImage::option()->set("n", -1));
    if (header.get_typeof("n-pages") && header.get_int("n-pages") > 3) return row;
  }
  return std::nullopt;
}

TEST(Process, AnimationKeepsFramesAndDelays) {
  PIXMILL_PICK_OR_SKIP(row, {"gif-animated"});
  const std::string gif = row.read();
  VImage source = testing::decode(gif);
  const int frames = source.get_int("n-pages");
  ASSERT_GT(frames, 1) << row.file;
  Recipe r = to(OutputFormat::Webp);
  r.resize = ResizeSpec{40, std::nullopt};
  auto out = run_ok(gif, r);
  EXPECT_EQ(out.frames, frames);
  VImage webp = testing::decode(out.bytes);
  // libwebp merges identical consecutive frames and adds up their delays, so the
  // animation's timeline, not its frame count, is what must survive.
  EXPECT_GT(webp.get_int("n-pages"), 1);
  EXPECT_NEAR(webp.get_int("page-height"), 40.0 * source.get_int("page-height") / source.width(), 1.0) << row.file;
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

// Animated AVIF (libavif) and JPEG XL (libjxl) carry an animation as GIF and WebP do:
// every frame, its delay, the loop count (JPEG XL; libavif 0.11 writes none, so AVIF
// plays forever), and back again to WebP, whose libwebp decoder judges the result.
TEST(Process, AnimationToAvifAndJxlKeepsFramesAndDelays) {
  PIXMILL_PICK_OR_SKIP(row, {"gif-animated"});
  const std::string gif = row.read();
  VImage source = testing::decode(gif);
  const int frames = source.get_int("n-pages");
  ASSERT_GT(frames, 1) << row.file;
  for (OutputFormat format : {OutputFormat::Avif, OutputFormat::Jxl}) {
    SCOPED_TRACE(std::string(output_format_name(format)));
    Recipe r = to(format);
    r.resize = ResizeSpec{40, std::nullopt};
    r.output.effort = 0;  // the fastest: the frames are what matter here
    auto out = run_ok(gif, r);
    EXPECT_EQ(out.frames, frames);
    // Identical consecutive frames may merge (libwebp and our JPEG XL writer do so):
    // the timeline is what must survive.
    auto again = run_ok(out.bytes, to(OutputFormat::Webp));
    EXPECT_LE(again.frames, frames);
    VImage webp = testing::decode(again.bytes);
    EXPECT_GT(webp.get_int("n-pages"), 1);
    EXPECT_EQ(webp.width(), 40);
    EXPECT_NEAR(webp.get_int("page-height"), 40.0 * source.get_int("page-height") / source.width(), 1.0) << row.file;
    EXPECT_EQ(total_delay(webp), total_delay(source));
    if (format == OutputFormat::Jxl || source.get_int("loop") == 0) {
      EXPECT_EQ(webp.get_int("loop"), source.get_int("loop"));
    }
    // A still format takes the first frame.
    VImage still = testing::decode(run_ok(out.bytes, to(OutputFormat::Png)).bytes);
    EXPECT_EQ(still.width(), 40);
    EXPECT_EQ(still.height(), webp.get_int("page-height"));
  }
}

TEST(Process, AnimationRotatedPastTheOutputLimitKeepsItsFrames) {
  // Rotating by 45 degrees grows the canvas past the output limit, which then scales
  // the whole strip back: every frame must shrink alike and stay a frame.
  PIXMILL_PICK_OR_SKIP(row, {"gif-animated"});
  const std::string gif = row.read();
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
  const auto row = animated_gif();
  if (!row) {
    if (testing::corpus_is_fixtures()) {
      FAIL() << "tests/fixtures lacks an animated GIF of more than 3 frames";
    }
    GTEST_SKIP() << "no animated GIF of more than 3 frames";
  }
  Error e = run_error(row->read(), to(OutputFormat::Gif), limits);
  EXPECT_EQ(e.code, ErrorCode::TooManyFrames);
}

// The frame and pixel limits hold for animated AVIF and JPEG XL as for GIF: counted from
// the header before any frame decodes, all frames together against MAX_PIXELS; a still
// output reads one frame and passes.
TEST(Process, AvifAndJxlAnimationsMeetTheFrameAndPixelLimits) {
  const auto row = animated_gif();
  if (!row) GTEST_SKIP() << "no animated GIF of more than 3 frames";
  const VImage source = testing::decode(row->read());
  const int frames = source.get_int("n-pages");
  const uint64_t frame_pixels = static_cast<uint64_t>(source.width()) * source.get_int("page-height");
  for (OutputFormat format : {OutputFormat::Avif, OutputFormat::Jxl}) {
    SCOPED_TRACE(std::string(output_format_name(format)));
    Recipe r = to(format);
    r.output.effort = 0;
    const std::string animation = run_ok(row->read(), r).bytes;
    Limits few_frames;
    few_frames.max_frames = 3;
    EXPECT_EQ(run_error(animation, to(OutputFormat::Webp), few_frames).code, ErrorCode::TooManyFrames);
    Limits few_pixels;
    few_pixels.max_pixels = frame_pixels * static_cast<uint64_t>(frames) - 1;
    EXPECT_EQ(run_error(animation, to(OutputFormat::Webp), few_pixels).code, ErrorCode::TooManyPixels);
    EXPECT_EQ(run_ok(animation, to(OutputFormat::Png), few_pixels).frames, 1);
  }
  // Animated AVIF output is bounded by its encoder's lookahead: frame pixels x min(frames, 19).
  Limits small_lookahead;
  small_lookahead.max_avif_animation_pixels = frame_pixels * static_cast<uint64_t>(std::min(frames, 19)) - 1;
  Recipe avif = to(OutputFormat::Avif);
  avif.output.effort = 0;
  const Error refused = run_error(row->read(), avif, small_lookahead);
  EXPECT_EQ(refused.code, ErrorCode::TooManyPixels);
  EXPECT_NE(refused.message.find("AVIF_ANIMATION_MAX_PIXELS"), std::string::npos) << refused.message;
  EXPECT_EQ(run_ok(row->read(), to(OutputFormat::Webp), small_lookahead).frames, frames);  // WebP is not bounded so
  small_lookahead.max_avif_animation_pixels += 1;
  EXPECT_EQ(run_ok(row->read(), avif, small_lookahead).frames, frames);
}

TEST(Process, CmykAndIccProfilesBecomeSrgb) {
  const auto cmyk = testing::corpus_category({"jpeg-cmyk", "tiff-cmyk"});
  const auto profiled = testing::corpus_category({"icc-swap-test", "icc-display-p3", "icc-adobe-rgb", "icc-rec2020"});
  if (cmyk.empty() || profiled.empty()) {
    if (testing::corpus_is_fixtures()) {
      FAIL() << "tests/fixtures lacks CMYK or ICC-profiled images";
    }
    GTEST_SKIP() << "no CMYK or ICC-profiled images in the corpus";
  }
  for (const auto& row : cmyk) {
    auto out = run_ok(row.read(), to(OutputFormat::Jpeg));
    VImage img = testing::decode(out.bytes);
    EXPECT_EQ(img.bands(), 3) << row.file;
    EXPECT_EQ(img.interpretation(), VIPS_INTERPRETATION_sRGB) << row.file;
  }
  for (const auto& row : profiled) {
    VImage converted = testing::decode(run_ok(row.read(), to(OutputFormat::Png)).bytes);
    EXPECT_FALSE(converted.get_typeof("icc-profile-data")) << row.file;  // stripped by default, pixels are sRGB
  }
}

TEST(Process, MetadataStrippedUnlessKept) {
  PIXMILL_PICK_OR_SKIP(row, {"exif-orientation", "photo-small", "photo-medium", "photo-large"}, [](const ManifestRow& r) {
    if (!is_jpeg(r)) return false;
    const std::string bytes = r.read();
    return VImage::new_from_buffer(bytes.data(), bytes.size(), "").get_typeof("exif-data") != 0;
  });
  const std::string input = row.read();
  VImage stripped = testing::decode(run_ok(input, to(OutputFormat::Jpeg)).bytes);
  EXPECT_FALSE(stripped.get_typeof("exif-data"));
  Recipe keep = to(OutputFormat::Jpeg);
  keep.output.strip_metadata = false;
  VImage kept = testing::decode(run_ok(input, keep).bytes);
  EXPECT_TRUE(kept.get_typeof("exif-data"));
}

TEST(Process, SixteenBitBecomesEightBit) {
  const auto rows = testing::corpus_category({"png-16bit", "tiff-16bit"});
  if (rows.empty() && !testing::corpus_is_fixtures()) GTEST_SKIP() << "no 16-bit images in the corpus";
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    VImage img = testing::decode(run_ok(row.read(), to(OutputFormat::Jpeg)).bytes);
    EXPECT_EQ(img.format(), VIPS_FORMAT_UCHAR) << row.file;
  }
}

TEST(Process, TargetSizeIsMet) {
  Recipe r = to(OutputFormat::Jpeg);
  r.output.target_bytes = 60'000;
  PIXMILL_PICK_OR_SKIP(photo, {"photo-medium"}, is_jpeg, larger);
  auto out = run_ok(photo.read(), r);
  EXPECT_LE(out.bytes.size(), 60'000u);
  EXPECT_TRUE(out.target_met);
  EXPECT_GE(out.iterations, 1);
  ASSERT_TRUE(out.quality);
  EXPECT_LE(*out.quality, 80);
}

TEST(Process, TargetSizeDownscalesWhenQualityIsNotEnough) {
  Recipe r = to(OutputFormat::Webp);
  r.output.target_bytes = 4'000;
  PIXMILL_PICK_OR_SKIP(photo, {"photo-medium"}, is_jpeg, larger);
  auto out = run_ok(photo.read(), r);
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
  PIXMILL_PICK_OR_SKIP(photo, {"photo-small"}, is_jpeg);
  const std::string input = photo.read();
  Recipe r;
  r.output.quality = 100;
  r.output.target_bytes = 1 << 20;
  auto out = run_ok(input, r);
  EXPECT_LE(out.bytes.size(), input.size());
  r.output.allow_larger = true;
  EXPECT_GT(run_ok(input, r).bytes.size(), input.size());
}

// A BMP whose header declares an alpha channel: 32 bits per pixel with a V4/V5 header's
// non-zero alpha mask.
bool bmp_declares_alpha(const std::string& b) {
  auto u32 = [&](size_t at) { return at + 4 <= b.size() ? uint32_t(uint8_t(b[at])) | uint32_t(uint8_t(b[at + 1])) << 8 |
                                                             uint32_t(uint8_t(b[at + 2])) << 16 | uint32_t(uint8_t(b[at + 3])) << 24
                                                       : 0u; };
  const uint32_t header_size = u32(14);
  const uint32_t bits = u32(28) & 0xffff;
  return bits == 32 && header_size >= 56 && u32(14 + 52) != 0;
}

TEST(Process, BmpAndHeifReadAndBmpWritten) {
  const auto bmps = testing::corpus_category({"bmp"}, [](const ManifestRow& r) { return r.format == "bmp"; });
  if (bmps.empty() && !testing::corpus_is_fixtures()) GTEST_SKIP() << "no BMP in the corpus";
  ASSERT_FALSE(bmps.empty());
  int with_alpha = 0;
  for (const auto& row : bmps) {
    const std::string input = row.read();
    VImage bmp_in = testing::decode(run_ok(input, to(OutputFormat::Png)).bytes);
    EXPECT_EQ(bmp_in.width(), row.width) << row.file;
    EXPECT_EQ(bmp_in.height(), row.height) << row.file;
    if (bmp_declares_alpha(input)) {
      EXPECT_TRUE(bmp_in.has_alpha()) << row.file;
      ++with_alpha;
    }
  }
  if (testing::corpus_is_fixtures()) {
    EXPECT_GT(with_alpha, 0) << "the fixtures hold a 32-bit BMP with alpha";
  }
  PIXMILL_PICK_OR_SKIP(heif, {"heic"}, [](const ManifestRow& r) { return r.width >= 320; });
  auto heic = run_ok(heif.read(), [] {
    Recipe r = to(OutputFormat::Bmp);
    r.resize = ResizeSpec{320, std::nullopt};
    return r;
  }());
  EXPECT_EQ(heic.bytes.substr(0, 2), "BM");
  EXPECT_EQ(heic.width, 320);
}

TEST(Process, AutoFormatRule) {
  PIXMILL_PICK_OR_SKIP(jpeg, {"photo-small"}, is_jpeg);
  PIXMILL_PICK_OR_SKIP(alpha, {"png-alpha"});
  auto photo = run_ok(jpeg.read(), to(OutputFormat::Auto));
  EXPECT_EQ(photo.format, OutputFormat::Webp);
  Recipe no_webp = to(OutputFormat::Auto);
  no_webp.output.auto_allow_webp = false;
  EXPECT_EQ(run_ok(jpeg.read(), no_webp).format, OutputFormat::Jpeg);
  EXPECT_EQ(run_ok(alpha.read(), no_webp).format, OutputFormat::Png);
  Recipe avif = to(OutputFormat::Auto);
  avif.output.auto_allow_avif = true;
  avif.resize = ResizeSpec{64, std::nullopt};
  EXPECT_EQ(run_ok(jpeg.read(), avif).format, OutputFormat::Avif);
}

TEST(Process, OriginalFormatRules) {
  PIXMILL_PICK_OR_SKIP(webp, {"webp-lossy"});
  PIXMILL_PICK_OR_SKIP(heif, {"heic"});
  PIXMILL_PICK_OR_SKIP(avif_row, {"avif"});
  EXPECT_EQ(run_ok(webp.read(), Recipe{}).format, OutputFormat::Webp);
  EXPECT_EQ(run_ok(heif.read(), [] { Recipe r; r.resize = ResizeSpec{100, std::nullopt}; return r; }()).format,
            OutputFormat::Jpeg);
  Recipe petite;
  petite.output.original_avif_as_jpeg = true;
  EXPECT_EQ(run_ok(avif_row.read(), petite).format, OutputFormat::Jpeg);
}

TEST(Process, ErrorsAreTyped) {
  EXPECT_EQ(run_error("", Recipe{}).code, ErrorCode::InvalidImage);
  EXPECT_EQ(run_error("hello, world, definitely not an image", Recipe{}).code, ErrorCode::UnsupportedFormat);
  for (const auto& row : testing::corpus_category({"truncated"}, is_jpeg)) {
    EXPECT_EQ(run_error(row.read(), to(OutputFormat::Jpeg)).code, ErrorCode::InvalidImage) << row.file;
  }
  PIXMILL_PICK_OR_SKIP(photo, {"photo-small"}, [](const ManifestRow& r) { return is_jpeg(r) && r.pixels() > 1000; });
  Limits small;
  small.max_pixels = 1000;
  EXPECT_EQ(run_error(photo.read(), Recipe{}, small).code, ErrorCode::TooManyPixels);
  Recipe bad;
  bad.output.quality = 0;
  EXPECT_EQ(run_error(photo.read(), bad).code, ErrorCode::InvalidInput);
}

TEST(Process, ExpiredDeadlineIsATimeout) {
  PIXMILL_PICK_OR_SKIP(photo, {"photo-large", "photo-medium"}, is_jpeg);
  const std::string input = photo.read();
  auto r = process_image(bytes_of(input), to(OutputFormat::Webp), Limits{},
                         Deadline(Deadline::Clock::now() - std::chrono::seconds(1)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Timeout);
}

TEST(Process, HostileSvgCostsOneRequest) {
  Limits limits;
  limits.svg_timeout_ms = 1500;
  for (const auto& row : testing::corpus_rows("svg-hostile")) {
    auto start = std::chrono::steady_clock::now();
    const std::string input = row.read();
    auto r = process_image(bytes_of(input), to(OutputFormat::Png), limits);
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
