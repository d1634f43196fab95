// HEIC output through Debian's libheif and x265: what we encode decodes back through
// the HEIC decoder (size, alpha, ICC).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codecs/heif_decoder.h"
#include "codecs/heif_encoder.h"
#include "test_images.h"

namespace pixmill::codecs {
namespace {

using testing::bytes_of;

std::vector<uint8_t> pattern(int width, int height, int bands) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * bands);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>((i * 13) % 251);
  return pixels;
}

TEST(HeicEncoder, RoundTripKeepsSizeAndAlpha) {
  if (!heic_encoder_available()) GTEST_SKIP() << "libheif has no HEVC encoder here";
  for (int bands : {3, 4}) {
    auto encoded = heic_encode(pattern(66, 40, bands).data(), 66, 40, bands, "", HeicEncodeOptions{});
    ASSERT_TRUE(encoded.ok()) << encoded.error().message;
    auto header = heif_read_header(bytes_of(*encoded));
    ASSERT_TRUE(header.ok()) << header.error().message;
    EXPECT_EQ(header->width, 66);
    EXPECT_EQ(header->height, 40);
    EXPECT_EQ(header->has_alpha, bands == 4);
    auto decoded = heif_decode(bytes_of(*encoded), 1'000'000);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->bands, bands);
  }
}

TEST(HeicEncoder, IccProfileTravels) {
  if (!heic_encoder_available()) GTEST_SKIP() << "libheif has no HEVC encoder here";
  auto row = testing::corpus_pick({"icc-display-p3", "icc-adobe-rgb"});
  if (!row) GTEST_SKIP() << "no profiled image in the corpus";
  const vips::VImage image = testing::decode(row->read());
  size_t size = 0;
  const void* data = image.get_blob("icc-profile-data", &size);
  const std::string icc(static_cast<const char*>(data), size);
  auto encoded = heic_encode(pattern(32, 32, 3).data(), 32, 32, 3, icc, HeicEncodeOptions{});
  ASSERT_TRUE(encoded.ok());
  auto decoded = heif_decode(bytes_of(*encoded), 1'000'000);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->icc_profile, icc);
}

}  // namespace
}  // namespace pixmill::codecs
