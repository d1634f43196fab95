// Damaged client files are the client's fault: INVALID_IMAGE (a 422), never
// PROCESSING_FAILED (a 500), whatever output was asked for and whenever the decoder
// notices (at open, or lazily while the encoder pulls pixels). And one input must not
// succeed or fail by the output format. Every file is made here, then damaged.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/process.h"
#include "damaged_images.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using testing::animated_gif;
using testing::bytes_of;
using testing::gif_frame;
using testing::png_with_bad_crc;

constexpr OutputFormat kEveryOutput[] = {OutputFormat::Jpeg, OutputFormat::Png, OutputFormat::Webp,
                                         OutputFormat::Gif,  OutputFormat::Tiff, OutputFormat::Avif,
                                         OutputFormat::Bmp};

Result<ProcessResult> process_to(const std::string& input, OutputFormat format) {
  Recipe recipe;
  recipe.output.format = format;
  return process_image(bytes_of(input), recipe, Limits{});
}

void expect_invalid_image_for_every_output(const std::string& input, const std::string& what) {
  for (OutputFormat format : kEveryOutput) {
    auto result = process_to(input, format);
    ASSERT_FALSE(result.ok()) << what << " -> " << output_format_name(format) << " decoded";
    EXPECT_EQ(error_code_name(result.error().code), "INVALID_IMAGE")
        << what << " -> " << output_format_name(format) << ": " << result.error().message;
  }
}

// libpng only warns about the IHDR's CRC when the header is read, then fails the
// pixel read without a word in libvips' error buffer: this was a 500.
TEST(DamagedInput, PngWithABadIhdrCrcIsInvalidImage) {
  expect_invalid_image_for_every_output(png_with_bad_crc("IHDR"), "PNG, IHDR CRC");
}

TEST(DamagedInput, PngWithABadIdatCrcIsInvalidImage) {
  expect_invalid_image_for_every_output(png_with_bad_crc("IDAT"), "PNG, IDAT CRC");
}

// An animation whose third frame does not decode (its LZW stream ends before its
// first pixel) plays its first two frames, as browsers do: a still output reads only
// the first frame, so WebP and GIF must not fail where PNG succeeds.
TEST(DamagedInput, AnimationWithABrokenLaterFrameKeepsTheFramesBeforeIt) {
  const std::string gif = animated_gif({gif_frame(0), gif_frame(1), std::string("\x05", 1)});
  for (OutputFormat format : kEveryOutput) {
    auto result = process_to(gif, format);
    ASSERT_TRUE(result.ok()) << output_format_name(format) << ": " << result.error().message;
    EXPECT_EQ(result->width, 16);
    EXPECT_EQ(result->height, 16);
    const bool animated = format_is_animated(format);  // GIF, WebP, AVIF, JPEG XL
    EXPECT_EQ(result->frames, animated ? 2 : 1) << output_format_name(format);
    if (format == OutputFormat::Bmp) continue;  // our libvips build reads no BMP
    vips::VImage decoded = testing::decode(result->bytes);
    EXPECT_EQ(decoded.height(), 16 * result->frames) << output_format_name(format);
  }
}

TEST(DamagedInput, AnimationWhoseFirstFrameIsBrokenIsInvalidImage) {
  // A first frame with an LZW code that is neither clear, a palette index nor the end.
  const std::string broken_first = animated_gif({std::string("\x07\x07\x07", 3), gif_frame(1)});
  auto still = process_to(broken_first, OutputFormat::Png);
  auto animated = process_to(broken_first, OutputFormat::Webp);
  ASSERT_EQ(still.ok(), animated.ok()) << "one input, two answers";
  if (!still.ok()) {
    EXPECT_EQ(still.error().code, ErrorCode::InvalidImage);
    EXPECT_EQ(animated.error().code, ErrorCode::InvalidImage);
  }
}

// TIFF extra samples beyond one alpha (RGB + alpha + an unspecified sample) have no
// place in any output: JPEG refused the fifth band with a 500.
TEST(DamagedInput, TiffWithExtraSamplesEncodesToEveryFormat) {
  vips::VImage five = testing::synthetic(24, 16, true).bandjoin(testing::synthetic(24, 16).extract_band(0));
  const std::string tiff = testing::encode_as(five, ".tif");
  for (OutputFormat format : kEveryOutput) {
    auto result = process_to(tiff, format);
    ASSERT_TRUE(result.ok()) << output_format_name(format) << ": " << result.error().message;
    EXPECT_EQ(result->width, 24);
  }
}

}  // namespace
}  // namespace pixmill::pipeline
