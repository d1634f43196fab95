// The hand-written run expansion of BI_RLE8 / BI_RLE4 bitmaps, on streams written
// here byte by byte, pixel for pixel.

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "bmp_builder.h"
#include "codecs/bmp_rle.h"

namespace pixmill::codecs {
namespace {

using testing::bytes;

const std::vector<testing::Rgb> kPalette = testing::test_palette(256);

std::string palette_bytes(const std::vector<testing::Rgb>& palette) {
  std::string out;
  for (const auto& c : palette) out += {static_cast<char>(c.b), static_cast<char>(c.g), static_cast<char>(c.r), '\0'};
  return out;
}

struct Decoded {
  PixelBuffer buffer;
  // The colour at (x, y), y from the top; alpha 0 for a skipped pixel.
  std::array<int, 4> at(int x, int y) const {
    const size_t i = (static_cast<size_t>(y) * buffer.width + x) * buffer.bands;
    const auto& p = buffer.pixels;
    return {p[i], p[i + 1], p[i + 2], buffer.bands == 4 ? p[i + 3] : 255};
  }
};

Result<PixelBuffer> expand(int width, int height, int bits, const std::string& stream, int palette_entries = 256) {
  static std::string palette;
  palette = palette_bytes(testing::test_palette(palette_entries));
  BmpRle rle;
  rle.width = width;
  rle.height = height;
  rle.bits = bits;
  rle.palette = {reinterpret_cast<const uint8_t*>(palette.data()), palette.size()};
  rle.data = {reinterpret_cast<const uint8_t*>(stream.data()), stream.size()};
  return bmp_rle_decode(rle);
}

Decoded expand_ok(int width, int height, int bits, const std::string& stream, int palette_entries = 256) {
  auto result = expand(width, height, bits, stream, palette_entries);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return {result.ok() ? std::move(*result) : PixelBuffer{}};
}

using Colour = std::array<int, 4>;
constexpr Colour kRed{255, 0, 0, 255}, kGreen{0, 255, 0, 255}, kBlue{0, 0, 255, 255}, kWhite{255, 255, 255, 255},
    kSkipped{0, 0, 0, 0};

// Row y (from the top) holds exactly `colours`, left to right.
void expect_row(const Decoded& d, int y, const std::vector<Colour>& colours) {
  ASSERT_EQ(d.buffer.width, static_cast<int>(colours.size()));
  for (int x = 0; x < d.buffer.width; ++x) EXPECT_EQ(d.at(x, y), colours[static_cast<size_t>(x)]) << x << "," << y;
}

TEST(BmpRle, Rle8RunsAbsoluteRunsEndOfLineAndEndOfBitmap) {
  // Bottom row first: 3 x red, then 3 literal indices (green, blue, white) and a pad
  // byte; end of line; 4 x blue over a 4-pixel row; end of bitmap.
  const std::string stream = bytes({3, 0, 0, 3, 1, 2, 3, 0, 0, 0, 4, 2, 0, 1});
  Decoded d = expand_ok(6, 2, 8, stream);
  ASSERT_EQ(d.buffer.height, 2);
  expect_row(d, 1, {kRed, kRed, kRed, kGreen, kBlue, kWhite});
  // The end of bitmap came before the last two pixels of the top row.
  expect_row(d, 0, {kBlue, kBlue, kBlue, kBlue, kSkipped, kSkipped});
  EXPECT_EQ(d.buffer.bands, 4);
}

TEST(BmpRle, EveryPixelWrittenGivesRgb) {
  Decoded d = expand_ok(2, 2, 8, bytes({2, 1, 0, 0, 2, 3, 0, 1}));
  EXPECT_EQ(d.buffer.bands, 3);
  EXPECT_EQ(d.buffer.pixels.size(), 2u * 2u * 3u);
  EXPECT_EQ(d.at(0, 1), kGreen);
  EXPECT_EQ(d.at(1, 0), kWhite);
}

TEST(BmpRle, DeltaSkipsPixelsAndRows) {
  // 1 red at (0, bottom), move right 2 and up 1, 1 green, end of bitmap.
  Decoded d = expand_ok(4, 3, 8, bytes({1, 0, 0, 2, 2, 1, 1, 1, 0, 1}));
  expect_row(d, 2, {kRed, kSkipped, kSkipped, kSkipped});
  expect_row(d, 1, {kSkipped, kSkipped, kSkipped, kGreen});
  expect_row(d, 0, {kSkipped, kSkipped, kSkipped, kSkipped});
}

TEST(BmpRle, Rle4AlternatesTheTwoNibbles) {
  // 5 pixels alternating index 1 and 2; end of line; an absolute run of 3 nibbles
  // (0, 3, 1: two bytes) padded to 16 bits; a run of 2 x index 3; end of bitmap.
  Decoded d = expand_ok(5, 2, 4, bytes({5, 0x12, 0, 0, 0, 3, 0x03, 0x10, 2, 0x33, 0, 1}), 16);
  expect_row(d, 1, {kGreen, kBlue, kGreen, kBlue, kGreen});
  expect_row(d, 0, {kRed, kWhite, kGreen, kWhite, kWhite});
}

TEST(BmpRle, AbsoluteRunWithAnOddByteCountIsPadded) {
  // RLE8: 3 literal bytes then a pad byte, then a run: the run must not start at the pad.
  Decoded d = expand_ok(5, 1, 8, bytes({0, 3, 1, 1, 1, 0xEE, 2, 2, 0, 1}));
  expect_row(d, 0, {kGreen, kGreen, kGreen, kBlue, kBlue});
}

TEST(BmpRle, RunsPastTheEndOfARowAreClipped) {
  // 255 x red on a 3-pixel row, an absolute run of 5 past the end, a delta far right.
  Decoded d = expand_ok(3, 2, 8, bytes({255, 0, 0, 5, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 200, 0, 2, 2, 0, 1}));
  for (int x = 0; x < 3; ++x) EXPECT_EQ(d.at(x, 1), kRed);
  EXPECT_EQ(d.at(0, 0), kSkipped);
}

TEST(BmpRle, RowsPastTheTopEndTheBitmap) {
  // Moves beyond the last row: whatever follows is never read, even garbage.
  Decoded d = expand_ok(2, 2, 8, bytes({2, 3, 0, 2, 0, 9, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(d.at(0, 1), kWhite);
  EXPECT_EQ(d.at(0, 0), kSkipped);
  Decoded by_lines = expand_ok(1, 2, 8, bytes({1, 1, 0, 0, 1, 2, 0, 0}));
  EXPECT_EQ(by_lines.buffer.bands, 3);
}

TEST(BmpRle, IndicesPastThePaletteAreBlack) {
  Decoded d = expand_ok(2, 1, 8, bytes({1, 9, 1, 1, 0, 1}), 4);
  EXPECT_EQ(d.at(0, 0), (Colour{0, 0, 0, 255}));
  EXPECT_EQ(d.at(1, 0), kGreen);
}

TEST(BmpRle, StreamsCutShortAreInvalidImage) {
  const std::string whole = bytes({3, 0, 0, 3, 1, 2, 3, 0, 0, 0, 2, 1, 0, 2, 1, 1, 1, 2, 0, 1});
  for (size_t cut : {size_t{0}, size_t{1}, size_t{3}, size_t{5}, size_t{13}, size_t{15}}) {
    auto result = expand(6, 3, 8, whole.substr(0, cut));
    ASSERT_FALSE(result.ok()) << "cut at " << cut;
    EXPECT_EQ(result.error().code, ErrorCode::InvalidImage);
  }
  EXPECT_TRUE(expand(6, 3, 8, whole).ok());
}

TEST(BmpRle, BadGeometryIsRefused) {
  EXPECT_FALSE(expand(0, 3, 8, bytes({0, 1})).ok());
  EXPECT_FALSE(expand(3, 0, 8, bytes({0, 1})).ok());
  EXPECT_FALSE(expand(3, 3, 2, bytes({0, 1})).ok());
}

}  // namespace
}  // namespace pixmill::codecs
