// Truncated files must be refused, not decoded with a zero-filled remainder: stb's BMP
// reader and libvips' tiled-TIFF tile cache would otherwise both "succeed". Also the
// classification of failures that only show during the write (lazy decoders).

#include <gtest/gtest.h>

#include <string>

#include "codecs/bmp_codec.h"
#include "pipeline/process.h"
#include "pipeline/tiff_extent.h"
#include "pipeline/vips_runtime.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using testing::bytes_of;

std::string bmp_of(int width, int height) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * 3, 128);
  auto bmp = codecs::bmp_encode(pixels.data(), width, height, 3);
  EXPECT_TRUE(bmp.ok());
  return std::string(bmp->begin(), bmp->end());
}

TEST(Truncation, CompleteBmpDecodes) {
  const std::string bmp = bmp_of(33, 17);
  auto decoded = codecs::bmp_decode(bytes_of(bmp), 1'000'000);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->width, 33);
}

TEST(Truncation, BmpMissingRowsIsInvalidImage) {
  const std::string bmp = bmp_of(33, 17);
  for (size_t cut : {bmp.size() - 1, bmp.size() / 2, size_t{60}}) {
    auto decoded = codecs::bmp_decode(bytes_of(bmp.substr(0, cut)), 1'000'000);
    ASSERT_FALSE(decoded.ok()) << "cut at " << cut;
    EXPECT_EQ(decoded.error().code, ErrorCode::InvalidImage);
  }
}

// Builds a little-endian TIFF with one IFD whose strips are at `offsets` with `sizes`.
std::string tiff_with_strips(const std::vector<uint32_t>& offsets, const std::vector<uint32_t>& sizes, size_t length) {
  std::string t(length, '\0');
  auto put16 = [&](size_t at, uint16_t v) { t[at] = static_cast<char>(v & 0xff); t[at + 1] = static_cast<char>(v >> 8); };
  auto put32 = [&](size_t at, uint32_t v) { for (int i = 0; i < 4; ++i) t[at + i] = static_cast<char>((v >> (8 * i)) & 0xff); };
  t[0] = 'I', t[1] = 'I';
  put16(2, 42);
  put32(4, 8);
  put16(8, 2);
  const size_t arrays = 8 + 2 + 2 * 12 + 4;
  auto entry = [&](size_t at, uint16_t tag, const std::vector<uint32_t>& values, size_t array_at) {
    put16(at, tag);
    put16(at + 2, 4);
    put32(at + 4, static_cast<uint32_t>(values.size()));
    if (values.size() == 1) {
      put32(at + 8, values[0]);
    } else {
      put32(at + 8, static_cast<uint32_t>(array_at));
      for (size_t i = 0; i < values.size(); ++i) put32(array_at + 4 * i, values[i]);
    }
  };
  entry(10, 273, offsets, arrays);
  entry(22, 279, sizes, arrays + 4 * offsets.size());
  return t;
}

TEST(Truncation, TiffStripsInsideTheFilePass) {
  EXPECT_TRUE(check_tiff_extent(bytes_of(tiff_with_strips({100}, {50}, 150))).ok());
  EXPECT_TRUE(check_tiff_extent(bytes_of(tiff_with_strips({100, 150}, {50, 50}, 200))).ok());
}

TEST(Truncation, TiffStripPastTheEndIsInvalidImage) {
  for (const auto& t : {tiff_with_strips({100}, {50}, 149), tiff_with_strips({100, 150}, {50, 50}, 199),
                        tiff_with_strips({100, 4000000000u}, {50, 1}, 300)}) {
    auto s = check_tiff_extent(bytes_of(t));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::InvalidImage);
  }
}

TEST(Truncation, TiffHeaderCutShortIsInvalidImage) {
  const std::string t = tiff_with_strips({100}, {50}, 150);
  EXPECT_FALSE(check_tiff_extent(bytes_of(t.substr(0, 20))).ok());
  EXPECT_FALSE(check_tiff_extent(bytes_of(t.substr(0, 6))).ok());
}

// Cut in half, a TIFF is refused, or (when only trailing metadata was lost) decodes to
// exactly what the whole file gives: never to a zero-filled remainder.
TEST(Truncation, EveryCorpusTiffCutInHalfIsRefusedOrComplete) {
  int seen = 0;
  for (const auto& row : testing::corpus_manifest()) {
    // Single-image TIFFs: a multipage file cut in half may keep its whole first page.
    if (row.format != "tiff" || row.category == "tiff-multipage") continue;
    const std::string bytes = testing::read_file(testing::corpus_dir() + "/" + row.file);
    Recipe recipe;
    recipe.output.format = OutputFormat::Png;
    auto whole = process_image(bytes_of(bytes), recipe, Limits{});
    ASSERT_TRUE(whole.ok()) << row.file;
    auto half = process_image(bytes_of(bytes.substr(0, bytes.size() / 2)), recipe, Limits{});
    if (half.ok()) {
      EXPECT_EQ(half->bytes, whole->bytes) << row.file << ": a truncated file decoded differently";
    } else {
      EXPECT_EQ(half.error().code, ErrorCode::InvalidImage) << row.file;
    }
    ++seen;
  }
  if (seen == 0) GTEST_SKIP() << "no TIFF in the corpus";
}

TEST(Truncation, LazyDecoderFailuresAreInvalidImage) {
  EXPECT_EQ(classify_vips_failure("webp2vips: unable to read pixels\nvips2png: unable to write to target").code,
            ErrorCode::InvalidImage);
  EXPECT_EQ(classify_vips_failure("tiff2vips: read error").code, ErrorCode::InvalidImage);
  EXPECT_EQ(classify_vips_failure("vips_affine: out of memory").code, ErrorCode::ProcessingFailed);
}

}  // namespace
}  // namespace pixmill::pipeline
