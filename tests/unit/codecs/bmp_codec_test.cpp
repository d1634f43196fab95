// BMP variants as Windows tools write them, built here byte by byte: which decode
// (and to what), which are named as unsupported (415), which are broken (422), and
// that the size is bounded before a pixel is decoded.

#include <gtest/gtest.h>

#include <string>

#include "bmp_builder.h"
#include "codecs/bmp_codec.h"
#include "test_images.h"

namespace pixmill::codecs {
namespace {

using testing::BmpSpec;
using testing::bmp_file;
using testing::bytes;
using testing::bytes_of;
using testing::stored_rows;

constexpr int kWidth = 5;
constexpr int kRows = 3;

// A pixel whose colour says where it is: red = x, green = stored row.
std::string bgr(int x, int row) { return bytes({200, row * 100, x * 50}); }
std::string bgra(int x, int row) { return bytes({200, row * 100, x * 50, 60 + x}); }

PixelBuffer decode_ok(const std::string& file) {
  auto decoded = bmp_decode(bytes_of(file), 1'000'000);
  EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message);
  return decoded.ok() ? std::move(*decoded) : PixelBuffer{};
}

ErrorCode decode_error(const std::string& file) {
  auto decoded = bmp_decode(bytes_of(file), 1'000'000);
  EXPECT_FALSE(decoded.ok());
  return decoded.ok() ? ErrorCode::Internal : decoded.error().code;
}

// Red and green of the pixel at (x, y), y from the top.
std::pair<int, int> red_green(const PixelBuffer& p, int x, int y) {
  const size_t i = (static_cast<size_t>(y) * p.width + x) * p.bands;
  return {p.pixels[i], p.pixels[i + 1]};
}

TEST(BmpCodec, BottomUpRowsAreStoredLastRowFirst) {
  BmpSpec spec{kWidth, kRows, 24};
  spec.pixels = stored_rows(kWidth, kRows, bgr);
  PixelBuffer p = decode_ok(bmp_file(spec));
  EXPECT_EQ(p.height, kRows);
  EXPECT_EQ(red_green(p, 4, 0), std::make_pair(200, 200));  // the top is the last stored row
  EXPECT_EQ(red_green(p, 0, 2), std::make_pair(0, 0));
}

// A negative height means the rows are stored top first. Refused before as "the
// header could not be read".
TEST(BmpCodec, TopDown24And32BitDecodeUpright) {
  for (uint16_t bits : {uint16_t{24}, uint16_t{32}}) {
    BmpSpec spec{kWidth, -kRows, bits};
    spec.pixels = stored_rows(kWidth, kRows, bits == 24 ? bgr : bgra);
    const std::string file = bmp_file(spec);
    auto header = bmp_read_header(bytes_of(file));
    ASSERT_TRUE(header.ok()) << bits << ": " << header.error().message;
    EXPECT_EQ(header->height, kRows);
    PixelBuffer p = decode_ok(file);
    EXPECT_EQ(p.width, kWidth);
    EXPECT_EQ(p.height, kRows);
    EXPECT_EQ(red_green(p, 4, 0), std::make_pair(200, 0)) << bits;
    EXPECT_EQ(red_green(p, 1, 2), std::make_pair(50, 200)) << bits;
  }
}

TEST(BmpCodec, TopDown32BitWithAnAlphaMaskKeepsAlpha) {
  BmpSpec spec{kWidth, -kRows, 32, 3, 124};
  spec.masks = {0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000};
  spec.pixels = stored_rows(kWidth, kRows, bgra);
  PixelBuffer p = decode_ok(bmp_file(spec));
  ASSERT_EQ(p.bands, 4);
  EXPECT_EQ(p.pixels[3], 60);       // (0, 0): the first stored row
  EXPECT_EQ(p.pixels[4 * 4 + 3], 64);
}

TEST(BmpCodec, Rle8DecodesWithItsPalette) {
  BmpSpec spec{4, 2, 8, 1};
  spec.palette = testing::test_palette(4);
  spec.colours_used = 4;
  // Bottom row: 4 x green, end of line. Top row: 2 x red, an absolute run of 3 x white
  // (padded) whose last pixel is past the row's end, then the end of bitmap.
  spec.pixels = bytes({4, 1, 0, 0, 2, 0, 0, 3, 3, 3, 3, 0, 0, 1});
  PixelBuffer p = decode_ok(bmp_file(spec));
  ASSERT_EQ(p.width, 4);
  ASSERT_EQ(p.height, 2);
  EXPECT_EQ(red_green(p, 0, 1), std::make_pair(0, 255));    // bottom row: green
  EXPECT_EQ(red_green(p, 1, 0), std::make_pair(255, 0));    // red
  EXPECT_EQ(red_green(p, 3, 0), std::make_pair(255, 255));  // white, clipped at the row end
  EXPECT_EQ(p.bands, 3);
}

TEST(BmpCodec, Rle4DecodesWithItsPalette) {
  BmpSpec spec{3, 1, 4, 2};
  spec.palette = testing::test_palette(16);
  spec.pixels = bytes({3, 0x21, 0, 1});  // blue, green, blue
  PixelBuffer p = decode_ok(bmp_file(spec));
  ASSERT_EQ(p.width, 3);
  EXPECT_EQ(red_green(p, 0, 0), std::make_pair(0, 0));
  EXPECT_EQ(red_green(p, 1, 0), std::make_pair(0, 255));
}

TEST(BmpCodec, RleWithoutItsEndIsInvalidImage) {
  BmpSpec spec{4, 2, 8, 1};
  spec.palette = testing::test_palette(4);
  spec.pixels = bytes({4, 1, 0, 0, 2});
  EXPECT_EQ(decode_error(bmp_file(spec)), ErrorCode::InvalidImage);
}

TEST(BmpCodec, TopDownRleIsInvalidImage) {
  BmpSpec spec{4, -2, 8, 1};
  spec.palette = testing::test_palette(4);
  spec.pixels = bytes({0, 1});
  EXPECT_EQ(decode_error(bmp_file(spec)), ErrorCode::InvalidImage);
}

TEST(BmpCodec, HugeDimensionsAreRefusedBeforeDecoding) {
  // A dozen bytes of runs claiming 60000 x 60000 (and the largest a header can say):
  // refused on the header, never allocated.
  for (int32_t side : {60000, 0x7FFFFFFF}) {
    BmpSpec spec{side, side, 8, 1};
    spec.palette = testing::test_palette(4);
    spec.pixels = bytes({0, 1});
    EXPECT_EQ(decode_error(bmp_file(spec)), ErrorCode::TooManyPixels) << side;
  }
  BmpSpec uncompressed{70000, -70000, 24};
  uncompressed.pixels = std::string(64, '\0');
  EXPECT_EQ(decode_error(bmp_file(uncompressed)), ErrorCode::TooManyPixels);
}

TEST(BmpCodec, UnsupportedVariantsAreNamed) {
  struct Case {
    uint16_t bits;
    uint32_t compression;
    uint32_t header_size;
    const char* named;
  };
  for (const Case& c : {Case{0, 4, 40, "JPEG"}, Case{0, 5, 40, "PNG"}, Case{2, 0, 40, "2 bits"},
                        Case{64, 0, 40, "64 bits"}, Case{1, 3, 64, "Huffman"}, Case{8, 11, 40, "compression type 11"}}) {
    BmpSpec spec{4, 4, c.bits, c.compression, c.header_size};
    spec.pixels = std::string(64, '\0');
    auto decoded = bmp_decode(bytes_of(bmp_file(spec)), 1'000'000);
    ASSERT_FALSE(decoded.ok()) << c.named;
    EXPECT_EQ(decoded.error().code, ErrorCode::UnsupportedFormat) << c.named;
    EXPECT_NE(decoded.error().message.find(c.named), std::string::npos) << decoded.error().message;
  }
}

TEST(BmpCodec, CompressionThatContradictsTheDepthIsInvalidImage) {
  BmpSpec spec{4, 4, 24, 1};  // RLE8 on a 24-bit bitmap
  spec.pixels = bytes({0, 1});
  EXPECT_EQ(decode_error(bmp_file(spec)), ErrorCode::InvalidImage);
}

}  // namespace
}  // namespace pixmill::codecs
