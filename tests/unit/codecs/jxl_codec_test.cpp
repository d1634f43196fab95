// JPEG XL through Debian's libjxl: the committed JXL files (Pillow's test images)
// decode to their manifest size, what we encode decodes back (size, alpha, grey, ICC,
// an animation's frames, durations and loop count), and hostile bytes (truncated, bit flips, too many pixels) get a typed refusal.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "codecs/jxl_decoder.h"
#include "codecs/jxl_encoder.h"
#include "test_images.h"

namespace pixmill::codecs {
namespace {

using testing::bytes_of;

// A picture whose every pixel differs from its neighbours: gradients and a pattern.
std::vector<uint8_t> pattern(int width, int height, int bands) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * bands);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int b = 0; b < bands; ++b) {
        pixels[(static_cast<size_t>(y) * width + x) * bands + b] = static_cast<uint8_t>((x * 7 + y * 3 + b * 60) % 256);
      }
    }
  }
  return pixels;
}

std::string encode_ok(const std::vector<uint8_t>& pixels, int width, int height, int bands, JxlEncodeOptions options,
                      const std::string& icc = "") {
  auto encoded = jxl_encode(pixels.data(), width, height, bands, icc, options);
  EXPECT_TRUE(encoded.ok()) << (encoded.ok() ? "" : encoded.error().message);
  return encoded.ok() ? *encoded : std::string();
}

std::vector<testing::ManifestRow> jxl_rows() {
  std::vector<testing::ManifestRow> rows;
  for (auto& row : testing::corpus_manifest()) {
    if (row.format == "jxl") rows.push_back(row);
  }
  return rows;
}

TEST(JxlDecoder, CorpusFilesDecodeToTheirManifestSize) {
  const auto rows = jxl_rows();
  if (rows.empty()) {
    if (testing::corpus_is_fixtures()) FAIL() << "the fixtures have no JXL file";
    GTEST_SKIP() << "no JXL in the corpus";
  }
  for (const auto& row : rows) {
    const std::string bytes = row.read();
    ASSERT_TRUE(is_jxl(bytes_of(bytes))) << row.file;
    auto header = jxl_read_header(bytes_of(bytes));
    ASSERT_TRUE(header.ok()) << row.file << ": " << header.error().message;
    EXPECT_EQ(header->width, row.width) << row.file;
    EXPECT_EQ(header->height, row.height) << row.file;
    auto decoded = jxl_decode(bytes_of(bytes), 100'000'000);
    ASSERT_TRUE(decoded.ok()) << row.file << ": " << decoded.error().message;
    EXPECT_EQ(decoded->width, row.width);
    EXPECT_EQ(decoded->height, row.height);
    const bool alpha = row.category == "jxl-alpha" || row.category == "jxl-animated";
    EXPECT_EQ(header->has_alpha, alpha) << row.file;
    EXPECT_TRUE(decoded->bands == 2 || decoded->bands == 4 || !alpha) << row.file;
    EXPECT_EQ(decoded->pixels.size(), static_cast<size_t>(decoded->width) * decoded->height * decoded->bands * (decoded->bits / 8));
  }
}

TEST(JxlEncoder, LosslessRoundTripIsExactForEveryBandCount) {
  for (int bands = 1; bands <= 4; ++bands) {
    const auto pixels = pattern(37, 23, bands);
    JxlEncodeOptions options;
    options.lossless = true;
    options.effort = 3;
    const std::string encoded = encode_ok(pixels, 37, 23, bands, options);
    auto decoded = jxl_decode(bytes_of(encoded), 1'000'000);
    ASSERT_TRUE(decoded.ok()) << bands << " bands: " << decoded.error().message;
    EXPECT_EQ(decoded->width, 37);
    EXPECT_EQ(decoded->height, 23);
    EXPECT_EQ(decoded->bands, bands);
    EXPECT_EQ(decoded->pixels, pixels) << bands << " bands";
  }
}

// 16-bit samples whose low byte matters: an 8-bit decode would lose it.
std::vector<uint8_t> deep_pattern(int width, int height, int bands) {
  std::vector<uint16_t> samples(static_cast<size_t>(width) * height * bands);
  for (size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<uint16_t>((i * 2654435761u) >> 7);
  std::vector<uint8_t> bytes(samples.size() * 2);
  std::memcpy(bytes.data(), samples.data(), bytes.size());
  return bytes;
}

TEST(JxlEncoder, SixteenBitLosslessRoundTripKeepsEverySample) {
  for (int bands = 1; bands <= 4; ++bands) {
    const auto pixels = deep_pattern(29, 17, bands);
    JxlEncodeOptions options;
    options.lossless = true;
    options.effort = 3;
    options.bits = 16;
    const std::string encoded = encode_ok(pixels, 29, 17, bands, options);
    auto decoded = jxl_decode(bytes_of(encoded), 1'000'000);
    ASSERT_TRUE(decoded.ok()) << bands << " bands: " << decoded.error().message;
    EXPECT_EQ(decoded->bits, 16) << bands << " bands";
    EXPECT_EQ(decoded->bands, bands);
    EXPECT_EQ(decoded->pixels, pixels) << bands << " bands";
  }
  // An 8-bit file still decodes to 8 bits.
  JxlEncodeOptions eight;
  eight.lossless = true;
  auto decoded = jxl_decode(bytes_of(encode_ok(pattern(8, 8, 3), 8, 8, 3, eight)), 1'000'000);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->bits, 8);
}

TEST(JxlEncoder, LossyRoundTripIsCloseAndSmallerAtLowerQuality) {
  const auto pixels = pattern(96, 64, 3);
  JxlEncodeOptions options;
  options.effort = 3;
  options.quality = 95;
  const std::string fine = encode_ok(pixels, 96, 64, 3, options);
  options.quality = 40;
  const std::string coarse = encode_ok(pixels, 96, 64, 3, options);
  EXPECT_LT(coarse.size(), fine.size());
  auto decoded = jxl_decode(bytes_of(fine), 1'000'000);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->pixels.size(), pixels.size());
  double total = 0;
  for (size_t i = 0; i < pixels.size(); ++i) total += std::abs(int(decoded->pixels[i]) - int(pixels[i]));
  // The pattern is all high frequency, the hardest case for a lossy codec.
  EXPECT_LT(total / pixels.size(), 10.0);
}

TEST(JxlEncoder, IccProfileTravelsWithLosslessPixels) {
  auto row = testing::corpus_pick({"icc-display-p3", "icc-adobe-rgb"});
  if (!row) GTEST_SKIP() << "no profiled image in the corpus";
  const vips::VImage image = testing::decode(row->read());
  ASSERT_NE(image.get_typeof("icc-profile-data"), 0);
  size_t size = 0;
  const void* data = image.get_blob("icc-profile-data", &size);
  const std::string icc(static_cast<const char*>(data), size);
  JxlEncodeOptions options;
  options.lossless = true;
  options.effort = 2;
  const std::string encoded = encode_ok(pattern(16, 16, 3), 16, 16, 3, options, icc);
  auto decoded = jxl_decode(bytes_of(encoded), 1'000'000);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->icc_profile, icc);
}

// Frames that differ (the pattern shifted), one under the other.
std::vector<uint8_t> animation(int width, int height, int bands, int frames) {
  std::vector<uint8_t> strip;
  for (int f = 0; f < frames; ++f) {
    auto frame = pattern(width, height, bands);
    for (auto& v : frame) v = static_cast<uint8_t>(v + f * 50);
    strip.insert(strip.end(), frame.begin(), frame.end());
  }
  return strip;
}

TEST(JxlEncoder, AnimationRoundTripKeepsFramesDurationsAndLoops) {
  for (int bands : {3, 4}) {
    const auto strip = animation(21, 13, bands, 3);
    JxlEncodeOptions options;
    options.lossless = true;
    options.effort = 2;
    options.timeline.frames = 3;
    options.timeline.delays_ms = {100, 250, 40};
    options.timeline.loop = 2;
    const std::string encoded = encode_ok(strip, 21, 13, bands, options);
    auto header = jxl_read_header(bytes_of(encoded));
    ASSERT_TRUE(header.ok()) << header.error().message;
    EXPECT_EQ(header->frames, 3);
    auto decoded = jxl_decode(bytes_of(encoded), 1'000'000, 100);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->width, 21);
    EXPECT_EQ(decoded->height, 13);
    EXPECT_EQ(decoded->timeline.frames, 3);
    EXPECT_EQ(decoded->timeline.delays_ms, (std::vector<int>{100, 250, 40}));
    EXPECT_EQ(decoded->timeline.loop, 2);
    EXPECT_EQ(decoded->pixels, strip) << bands << " bands";
    // The first frame alone, as a still output reads it.
    auto first = jxl_decode(bytes_of(encoded), 1'000'000);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->timeline.frames, 1);
    EXPECT_TRUE(first->timeline.delays_ms.empty());
    EXPECT_EQ(first->pixels, std::vector<uint8_t>(strip.begin(), strip.begin() + static_cast<long>(first->frame_bytes())));
  }
}

TEST(JxlEncoder, IdenticalConsecutiveFramesAreWrittenOnceForTheirSummedDelay) {
  auto strip = animation(16, 12, 3, 4);
  const size_t frame = strip.size() / 4;
  std::copy(strip.begin() + static_cast<long>(frame), strip.begin() + static_cast<long>(2 * frame),
            strip.begin() + static_cast<long>(2 * frame));  // the third frame repeats the second
  JxlEncodeOptions options;
  options.lossless = true;
  options.effort = 1;
  options.timeline.frames = 4;
  options.timeline.delays_ms = {10, 20, 30, 40};
  auto decoded = jxl_decode(bytes_of(encode_ok(strip, 16, 12, 3, options)), 1'000'000, 100);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->timeline.frames, 3);
  EXPECT_EQ(decoded->timeline.delays_ms, (std::vector<int>{10, 50, 40}));
  strip.erase(strip.begin() + static_cast<long>(2 * frame), strip.begin() + static_cast<long>(3 * frame));
  EXPECT_EQ(decoded->pixels, strip);
}

// A still background with a small square moving over it, one frame under the other.
std::vector<uint8_t> moving_square(int width, int height, int bands, int frames) {
  const auto background = pattern(width, height, bands);
  std::vector<uint8_t> strip;
  for (int f = 0; f < frames; ++f) {
    auto frame = background;
    for (int y = 4; y < 10; ++y) {
      for (int x = 3 + f * 5; x < 9 + f * 5; ++x) {
        for (int b = 0; b < bands; ++b) frame[(static_cast<size_t>(y) * width + x) * bands + b] = static_cast<uint8_t>(200 + b);
      }
    }
    strip.insert(strip.end(), frame.begin(), frame.end());
  }
  return strip;
}

TEST(JxlEncoder, LaterFramesCodeOnlyWhatChangedAndDecodeWhole) {
  for (int bands : {3, 4}) {
    const int width = 48, height = 32, frames = 5;
    const auto strip = moving_square(width, height, bands, frames);
    JxlEncodeOptions options;
    options.lossless = true;
    options.effort = 2;
    options.timeline.frames = frames;
    options.timeline.delays_ms = std::vector<int>(frames, 40);
    const std::string encoded = encode_ok(strip, width, height, bands, options);
    auto decoded = jxl_decode(bytes_of(encoded), 1'000'000, 100);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->timeline.frames, frames);
    EXPECT_EQ(decoded->pixels, strip) << bands << " bands";  // every frame whole and exact
    // Each later frame costs its changed box, not the whole frame again.
    JxlEncodeOptions still = options;
    still.timeline = Timeline{};
    const size_t one = encode_ok(strip, width, height, bands, still).size();
    EXPECT_LT(encoded.size(), one * 2) << bands << " bands: " << encoded.size() << " bytes against " << one << " for one frame";
  }
}

TEST(JxlDecoder, AnAnimationStopsAtThePixelBudgetOfAllItsFrames) {
  JxlEncodeOptions options;
  options.lossless = true;
  options.effort = 1;
  options.timeline.frames = 3;
  options.timeline.delays_ms = {10, 20, 30};
  const std::string encoded = encode_ok(animation(16, 12, 3, 3), 16, 12, 3, options);
  auto decoded = jxl_decode(bytes_of(encoded), 2 * 16 * 12, 100);  // room for two frames
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->timeline.frames, 2);
  EXPECT_EQ(decoded->timeline.delays_ms, (std::vector<int>{10, 20}));
  EXPECT_EQ(decoded->pixels.size(), decoded->frame_bytes() * 2);
}

TEST(JxlDecoder, CorpusAnimationsDecodeEveryFrameTheHeaderCounts) {
  bool seen = false;
  for (const auto& row : jxl_rows()) {
    if (row.category != "jxl-animated") continue;
    seen = true;
    const std::string bytes = row.read();
    auto header = jxl_read_header(bytes_of(bytes));
    ASSERT_TRUE(header.ok()) << row.file;
    EXPECT_GT(header->frames, 1) << row.file;
    auto decoded = jxl_decode(bytes_of(bytes), 100'000'000, 1000);
    ASSERT_TRUE(decoded.ok()) << row.file << ": " << decoded.error().message;
    EXPECT_EQ(decoded->timeline.frames, header->frames) << row.file;
    EXPECT_EQ(decoded->timeline.delays_ms.size(), static_cast<size_t>(header->frames));
    for (int d : decoded->timeline.delays_ms) EXPECT_GT(d, 0) << row.file;
    EXPECT_EQ(decoded->pixels.size(), decoded->frame_bytes() * static_cast<size_t>(header->frames));
    auto capped = jxl_decode(bytes_of(bytes), 100'000'000, 2);
    ASSERT_TRUE(capped.ok());
    EXPECT_EQ(capped->timeline.frames, 2);
  }
  if (!seen && testing::corpus_is_fixtures()) FAIL() << "the fixtures have no animated JXL";
}

TEST(JxlEncoder, QualityMapsOntoDistanceAsLibjxlDoes) {
  EXPECT_FLOAT_EQ(jxl_distance_for_quality(100), 0.0f);
  EXPECT_NEAR(jxl_distance_for_quality(90), 1.0f, 1e-5);
  EXPECT_NEAR(jxl_distance_for_quality(30), 6.4f, 1e-4);
  EXPECT_NEAR(jxl_distance_for_quality(25), 6.4f + 2.5f / 6.25f, 1e-4);
  for (int q = 1; q < 100; ++q) EXPECT_GT(jxl_distance_for_quality(q), jxl_distance_for_quality(q + 1)) << q;
}

TEST(JxlEncoder, RefusesMorePixelsThanItsBound) {
  JxlEncodeOptions options;
  options.max_pixels = 399;
  auto encoded = jxl_encode(pattern(20, 20, 3).data(), 20, 20, 3, "", options);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.error().code, ErrorCode::TooManyPixels);
  EXPECT_NE(encoded.error().message.find("JXL_MAX_PIXELS"), std::string::npos);
}

TEST(JxlDecoder, RefusesMorePixelsThanItsBoundFromTheHeader) {
  JxlEncodeOptions options;
  options.effort = 1;
  const std::string encoded = encode_ok(pattern(40, 30, 3), 40, 30, 3, options);
  auto decoded = jxl_decode(bytes_of(encoded), 40 * 30 - 1);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::TooManyPixels);
}

TEST(JxlDecoder, TruncatedFilesAreInvalid) {
  JxlEncodeOptions options;
  options.effort = 3;
  const std::string encoded = encode_ok(pattern(64, 64, 4), 64, 64, 4, options);
  for (size_t cut : {size_t{1}, size_t{2}, size_t{8}, encoded.size() / 2, encoded.size() - 1}) {
    auto decoded = jxl_decode(bytes_of(encoded.substr(0, cut)), 1'000'000);
    ASSERT_FALSE(decoded.ok()) << "cut at " << cut;
    EXPECT_EQ(decoded.error().code, ErrorCode::InvalidImage) << "cut at " << cut;
  }
}

TEST(JxlDecoder, BitFlipsDecodeOrAreInvalid) {
  JxlEncodeOptions options;
  options.effort = 3;
  const std::string encoded = encode_ok(pattern(48, 40, 3), 48, 40, 3, options);
  for (size_t i = 2; i < encoded.size(); i += 3) {
    std::string flipped = encoded;
    flipped[i] = static_cast<char>(flipped[i] ^ (1 << (i % 8)));
    auto decoded = jxl_decode(bytes_of(flipped), 1'000'000);
    if (decoded.ok()) {
      EXPECT_EQ(decoded->pixels.size(), static_cast<size_t>(decoded->width) * decoded->height * decoded->bands);
    } else {
      EXPECT_TRUE(decoded.error().code == ErrorCode::InvalidImage || decoded.error().code == ErrorCode::TooManyPixels)
          << decoded.error().message;
    }
  }
}

}  // namespace
}  // namespace pixmill::codecs
