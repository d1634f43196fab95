// .svgz (gzip-compressed SVG): sniffed by its content, rendered as its SVG, and a
// gzip bomb refused at the SVG size bound before the rasteriser starts.

#include <gtest/gtest.h>

#include <string>

#include "../codecs/gzip_builder.h"
#include "pipeline/process.h"
#include "pipeline/sniff.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using testing::bytes_of;

const std::string kSvg =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\">"
    "<rect width=\"20\" height=\"30\" fill=\"#ff0000\"/><rect x=\"20\" width=\"20\" height=\"30\" fill=\"#0000ff\"/></svg>";

Result<ProcessResult> to_png(const std::string& input) {
  Recipe recipe;
  recipe.output.format = OutputFormat::Png;
  return process_image(bytes_of(input), recipe, Limits{});
}

TEST(Svgz, IsSniffedByWhatItHolds) {
  EXPECT_EQ(sniff_format(bytes_of(testing::gzip_stored(kSvg))), InputFormat::Svg);
  EXPECT_EQ(sniff_format(bytes_of(testing::gzip_stored("<?xml version=\"1.0\"?>\n" + kSvg))), InputFormat::Svg);
  EXPECT_EQ(sniff_format(bytes_of(testing::gzip_stored("just some text"))), InputFormat::Unknown);
  EXPECT_EQ(sniff_format(bytes_of(testing::gzip_stored("\x89PNG\r\n\x1A\n"))), InputFormat::Unknown);
}

// Refused before as an unsupported format.
TEST(Svgz, RendersAsItsSvg) {
  auto plain = to_png(kSvg);
  auto compressed = to_png(testing::gzip_stored(kSvg));
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  ASSERT_TRUE(compressed.ok()) << compressed.error().message;
  EXPECT_EQ(compressed->width, 40);
  EXPECT_EQ(compressed->height, 30);
  EXPECT_EQ(compressed->bytes, plain->bytes);
}

TEST(Svgz, ABombIsFileTooLarge) {
  // A valid SVG padded by a comment of 100 MiB of spaces, in under 1 MB of gzip.
  const std::string bomb = testing::gzip_spaces(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"><!--", uint64_t{100} << 20, "--></svg>", false);
  ASSERT_EQ(sniff_format(bytes_of(bomb)), InputFormat::Svg);
  auto result = to_png(bomb);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::FileTooLarge);
}

TEST(Svgz, ACutStreamIsInvalidImage) {
  const std::string whole = testing::gzip_stored(kSvg + std::string(2000, ' '));
  auto result = to_png(whole.substr(0, whole.size() - 40));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::InvalidImage);
}

}  // namespace
}  // namespace pixmill::pipeline
