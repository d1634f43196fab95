// JPEG XL and HEIC through the whole pipeline: JXL in and out (size, alpha), auto
// choosing JXL only when asked to, JXL_MAX_PIXELS and a missing HEVC encoder as typed
// refusals, HEIC out that the HEIC reader opens again.

#include <gtest/gtest.h>

#include <vips/vips8>

#include <vector>

#include "codecs/heif_encoder.h"
#include "codecs/jxl_encoder.h"
#include "pipeline/process.h"
#include "pipeline/sniff.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using testing::bytes_of;

// Each test starts from a small photo of the corpus (skipped without one).
class PhotoOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    auto row = testing::corpus_pick({"photo-small"});
    if (!row) GTEST_SKIP() << "no photo in the corpus";
    photo_ = row->read();
  }

  Result<ProcessResult> process(const Recipe& recipe, const Limits& limits = Limits{}) {
    return process_image(bytes_of(photo_), recipe, limits);
  }

  std::string photo_;
};

// An output opened again by our own reader, as PNG.
Result<ProcessResult> reopen_as_png(const std::string& bytes) {
  Recipe back;
  back.output.format = OutputFormat::Png;
  return process_image(bytes_of(bytes), back, Limits{});
}

using JxlOutput = PhotoOutput;
using HeicOutput = PhotoOutput;

TEST_F(JxlOutput, RoundTripsThroughTheReader) {
  Recipe recipe;
  recipe.output.format = OutputFormat::Jxl;
  recipe.resize = ResizeSpec{200, 150, FitMode::Fit};
  auto out = process(recipe);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(sniff_format(bytes_of(out->bytes)), InputFormat::Jxl);
  EXPECT_EQ(out->quality, 80);
  // And back: JXL in, PNG out, the same size.
  auto png = reopen_as_png(out->bytes);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->width, out->width);
  EXPECT_EQ(png->height, out->height);
  EXPECT_EQ(png->input_format, InputFormat::Jxl);
}

// A 16-bit JPEG XL is read as 16 bits (the header says so) and its samples scale
// correctly onto the 8-bit output: 65535 is white, not a wrapped byte.
TEST(JxlDeepInput, SixteenBitsAreReadAsSixteenBits) {
  constexpr int kWidth = 1024, kHeight = 4;
  std::vector<uint16_t> ramp(static_cast<size_t>(kWidth) * kHeight);
  for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<uint16_t>((i % kWidth) * 64 + (i % kWidth) / 16);
  codecs::JxlEncodeOptions options;
  options.lossless = true;
  options.effort = 3;
  options.bits = 16;
  auto jxl = codecs::jxl_encode(reinterpret_cast<const uint8_t*>(ramp.data()), kWidth, kHeight, 1, "", options);
  ASSERT_TRUE(jxl.ok()) << jxl.error().message;
  auto header = probe_image(bytes_of(*jxl), Limits{});
  ASSERT_TRUE(header.ok()) << header.error().message;
  EXPECT_EQ(header->bits_per_sample, 16);
  auto png = reopen_as_png(*jxl);
  ASSERT_TRUE(png.ok()) << png.error().message;
  vips::VImage out = vips::VImage::new_from_buffer(png->bytes.data(), png->bytes.size(), "");
  ASSERT_EQ(out.format(), VIPS_FORMAT_UCHAR);
  for (int x : {0, 100, 511, 700, 1023}) {
    const double expected = ramp[static_cast<size_t>(x)] / 257.0;
    EXPECT_NEAR(out.getpoint(x, 0)[0], expected, 1.0) << "x=" << x;
  }
}

TEST(JxlAlphaOutput, AlphaSurvivesAndOriginalStaysJxl) {
  auto row = testing::corpus_pick({"jxl-alpha"});
  if (!row) GTEST_SKIP() << "no JXL with alpha in the corpus";
  Recipe recipe;  // format: original
  recipe.resize = ResizeSpec{100, 100, FitMode::Fit};
  auto out = process_image(bytes_of(row->read()), recipe, Limits{});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->format, OutputFormat::Jxl);
  auto png = reopen_as_png(out->bytes);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_TRUE(testing::decode(png->bytes).has_alpha());
}

TEST_F(JxlOutput, AutoChoosesJxlOnlyWhenTheClientAccepts) {
  Recipe recipe;
  recipe.output.format = OutputFormat::Auto;
  recipe.output.auto_allow_avif = true;
  auto without = process(recipe);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->format, OutputFormat::Avif);
  recipe.output.auto_allow_jxl = true;
  auto with = process(recipe);
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(with->format, OutputFormat::Jxl);
  // A source over JXL_MAX_PIXELS falls back to the next candidate instead of failing.
  Limits small;
  small.max_jxl_pixels = 100;
  auto fallback = process(recipe, small);
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->format, OutputFormat::Avif);
}

TEST_F(JxlOutput, OverTheEncodeBoundIsTooManyPixels) {
  Recipe recipe;
  recipe.output.format = OutputFormat::Jxl;
  Limits limits;
  limits.max_jxl_pixels = 1000;
  auto out = process(recipe, limits);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::TooManyPixels);
  EXPECT_NE(out.error().message.find("JXL_MAX_PIXELS"), std::string::npos);
}

TEST_F(HeicOutput, RoundTripsThroughTheReaderOrNamesTheMissingEncoder) {
  Recipe recipe;
  recipe.output.format = OutputFormat::Heic;
  recipe.resize = ResizeSpec{160, 120, FitMode::Fit};
  auto out = process(recipe);
  if (!codecs::heic_encoder_available()) {
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(out.error().message.find("x265"), std::string::npos);
    return;
  }
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(sniff_format(bytes_of(out->bytes)), InputFormat::Heif);
  auto png = reopen_as_png(out->bytes);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->width, out->width);
  EXPECT_EQ(png->height, out->height);
}

}  // namespace
}  // namespace pixmill::pipeline
