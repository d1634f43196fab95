// Every corpus image through representative recipes, judged by category, never by
// file name: acceptance runs a hidden corpus of the same categories.

#include <gtest/gtest.h>

#include <set>

#include "pipeline/process.h"
#include "pipeline/sniff.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using testing::bytes_of;

const std::set<std::string> kBrokenCategories = {"truncated", "corrupt", "empty", "not-image", "other-format"};

ErrorCode expected_error(const std::string& category) {
  if (category == "not-image" || category == "other-format") return ErrorCode::UnsupportedFormat;
  return ErrorCode::InvalidImage;
}

bool is_valid_category(const std::string& category) {
  return !kBrokenCategories.count(category) && category != "bomb-dimensions" && category != "svg-hostile";
}

std::string corpus_file(const testing::ManifestRow& row) { return testing::read_file(testing::corpus_dir() + "/" + row.file); }

TEST(Corpus, ValidImagesConvertToEveryOutputFormat) {
  const OutputFormat formats[] = {OutputFormat::Jpeg, OutputFormat::Png, OutputFormat::Webp, OutputFormat::Avif,
                                  OutputFormat::Gif,  OutputFormat::Tiff, OutputFormat::Bmp};
  int converted = 0;
  for (const auto& row : testing::corpus_manifest()) {
    if (!is_valid_category(row.category)) continue;
    const std::string input = corpus_file(row);
    for (OutputFormat format : formats) {
      Recipe r;
      r.output.format = format;
      r.resize = ResizeSpec{96, 96, FitMode::Fit};
      r.output.effort = 0;
      auto out = process_image(bytes_of(input), r, Limits{});
      if (row.category == "jpeg-gainmap" && !out.ok()) {
        // A gain-map JPEG whose primary image is itself cut short must be refused as such.
        EXPECT_EQ(out.error().code, ErrorCode::InvalidImage) << row.file;
        continue;
      }
      ASSERT_TRUE(out.ok()) << row.file << " -> " << output_format_name(format) << ": " << out.error().message;
      EXPECT_EQ(out->format, format);
      EXPECT_LE(out->width, 96) << row.file;
      EXPECT_LE(out->height, 96) << row.file;
      if (format != OutputFormat::Bmp) {
        vips::VImage decoded = testing::decode(out->bytes);
        EXPECT_EQ(decoded.width(), out->width) << row.file;
      } else {
        EXPECT_EQ(out->bytes.substr(0, 2), "BM");
      }
      ++converted;
    }
  }
  EXPECT_GT(converted, 100);
}

TEST(Corpus, ValidImagesSurviveTheFullRecipe) {
  for (const auto& row : testing::corpus_manifest()) {
    if (!is_valid_category(row.category) || row.category == "jpeg-gainmap") continue;
    Recipe r;
    r.output.format = OutputFormat::Webp;
    r.resize = ResizeSpec{120, 80, FitMode::Fill, Gravity::Attention};
    r.rotate = 30;
    r.flop = true;
    r.effects.brightness = 1.2;
    r.effects.contrast = 1.3;
    r.effects.saturation = 0.8;
    r.effects.sharpen_sigma = 1;
    r.effects.blur_sigma = 0.5;
    r.output.target_bytes = 8000;
    auto out = process_image(bytes_of(corpus_file(row)), r, Limits{});
    ASSERT_TRUE(out.ok()) << row.file << ": " << out.error().message;
    EXPECT_LE(out->bytes.size(), 8000u) << row.file;
  }
}

TEST(Corpus, BrokenFilesGiveTheirTypedError) {
  int checked = 0;
  for (const auto& row : testing::corpus_manifest()) {
    if (!kBrokenCategories.count(row.category)) continue;
    Recipe r;
    r.output.format = OutputFormat::Jpeg;
    auto out = process_image(bytes_of(corpus_file(row)), r, Limits{});
    ASSERT_FALSE(out.ok()) << row.file << " was accepted";
    EXPECT_EQ(out.error().code, expected_error(row.category)) << row.file << ": " << out.error().message;
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

TEST(Corpus, BombsAreRefusedFromTheHeaderAboveTheLimit) {
  for (const auto& row : testing::corpus_rows("bomb")) {
    const std::string input = corpus_file(row);
    const uint64_t pixels = static_cast<uint64_t>(row.width) * static_cast<uint64_t>(row.height);
    Limits limits;
    limits.max_pixels = pixels - 1;  // just under: must refuse before decoding
    auto start = std::chrono::steady_clock::now();
    auto refused = process_image(bytes_of(input), Recipe{}, limits);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    ASSERT_FALSE(refused.ok()) << row.file;
    EXPECT_EQ(refused.error().code, ErrorCode::TooManyPixels) << row.file;
    EXPECT_LT(ms, 1000) << row.file << " took " << ms << " ms to refuse";
    // With the default limit, a bomb under it is processed; one over it is refused.
    if (pixels > Limits{}.max_pixels) {
      auto out = process_image(bytes_of(input), Recipe{}, Limits{});
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.error().code, ErrorCode::TooManyPixels);
    }
  }
}

}  // namespace
}  // namespace pixmill::pipeline
