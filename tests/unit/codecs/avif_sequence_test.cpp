// Animated AVIF through Debian's libavif: what we encode decodes back with its frames,
// durations, size and alpha (exactly, when lossless); the frame count comes from the
// container alone; stills count as one frame; and hostile bytes (truncated, bit flips,
// frames over the pixel bound) get a typed refusal or the frames before the damage.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "codecs/avif_sequence.h"
#include "test_images.h"

namespace pixmill::codecs {
namespace {

using testing::bytes_of;

// Frames that differ from each other (a moving gradient), so an encoder cannot merge them.
std::vector<uint8_t> frames_of(int width, int height, int bands, int frames) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * bands * frames);
  size_t i = 0;
  for (int f = 0; f < frames; ++f) {
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        for (int b = 0; b < bands; ++b) {
          const int value = b == 3 ? 255 - (x * 255 / width) : (x * 9 + y * 5 + f * 70 + b * 40);
          pixels[i++] = static_cast<uint8_t>(value % 256);
        }
      }
    }
  }
  return pixels;
}

Timeline timeline_of(std::vector<int> delays) {
  Timeline t;
  t.frames = static_cast<int>(delays.size());
  t.delays_ms = std::move(delays);
  return t;
}

std::string encode_ok(const std::vector<uint8_t>& pixels, int width, int height, int bands, const Timeline& timeline,
                      AvifSequenceOptions options = {}) {
  options.speed = 9;  // the fastest: the tests need bytes, not the best ones (lossless: 8)
  auto encoded = avif_sequence_encode(pixels.data(), width, height, bands, "", timeline, options);
  EXPECT_TRUE(encoded.ok()) << (encoded.ok() ? "" : encoded.error().message);
  return encoded.ok() ? *encoded : std::string();
}

TEST(AvifSequence, LosslessRoundTripKeepsEveryFrameDurationAndAlpha) {
  for (int bands : {3, 4}) {
    const auto pixels = frames_of(24, 18, bands, 3);
    AvifSequenceOptions options;
    options.lossless = true;
    const std::string encoded = encode_ok(pixels, 24, 18, bands, timeline_of({100, 250, 40}), options);
    // An image sequence by its brand, and counted from the container.
    EXPECT_NE(encoded.find("avis"), std::string::npos);
    auto header = avif_sequence_header(bytes_of(encoded));
    ASSERT_TRUE(header.ok()) << header.error().message;
    EXPECT_EQ(header->frames, 3);
    EXPECT_EQ(header->width, 24);
    EXPECT_EQ(header->height, 18);
    EXPECT_EQ(header->has_alpha, bands == 4);
    auto decoded = avif_sequence_decode(bytes_of(encoded), 1'000'000, 100);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->width, 24);
    EXPECT_EQ(decoded->height, 18);
    EXPECT_EQ(decoded->bands, bands);
    EXPECT_EQ(decoded->timeline.frames, 3);
    EXPECT_EQ(decoded->timeline.delays_ms, (std::vector<int>{100, 250, 40}));
    EXPECT_EQ(decoded->pixels, pixels) << bands << " bands";
  }
}

TEST(AvifSequence, LossyFramesStayCloseToTheirSource) {
  const auto pixels = frames_of(32, 32, 3, 4);
  AvifSequenceOptions options;
  options.quality = 80;
  const std::string encoded = encode_ok(pixels, 32, 32, 3, timeline_of({80, 80, 80, 80}), options);
  auto decoded = avif_sequence_decode(bytes_of(encoded), 1'000'000, 100);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->pixels.size(), pixels.size());
  // Each frame stays near its own source, not near another frame's.
  const size_t frame = decoded->frame_bytes();
  for (size_t f = 0; f < 4; ++f) {
    double error = 0;
    for (size_t i = 0; i < frame; ++i) error += std::abs(int{decoded->pixels[f * frame + i]} - int{pixels[f * frame + i]});
    EXPECT_LT(error / static_cast<double>(frame), 6.0) << "frame " << f;
  }
  // Subsampled chroma (the preview setting) is smaller still.
  options.subsample = true;
  EXPECT_LT(encode_ok(pixels, 32, 32, 3, timeline_of({80, 80, 80, 80}), options).size(), encoded.size());
}

TEST(AvifSequence, DecodingStopsAtTheFrameCap) {
  const auto pixels = frames_of(16, 16, 3, 5);
  const std::string encoded = encode_ok(pixels, 16, 16, 3, timeline_of({10, 20, 30, 40, 50}));
  auto decoded = avif_sequence_decode(bytes_of(encoded), 1'000'000, 2);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->timeline.frames, 2);
  EXPECT_EQ(decoded->timeline.delays_ms, (std::vector<int>{10, 20}));
  EXPECT_EQ(decoded->pixels.size(), decoded->frame_bytes() * 2);
}

TEST(AvifSequence, AStillCountsAsOneFrame) {
  PIXMILL_PICK_OR_SKIP(row, {"avif"});
  auto header = avif_sequence_header(bytes_of(row.read()));
  ASSERT_TRUE(header.ok()) << row.file << ": " << header.error().message;
  EXPECT_EQ(header->frames, 1) << row.file;
}

TEST(AvifSequence, FramesOverThePixelBoundAreRefusedBeforeDecoding) {
  const auto pixels = frames_of(40, 30, 3, 2);
  const std::string encoded = encode_ok(pixels, 40, 30, 3, timeline_of({50, 50}));
  // One frame too many pixels, and two frames together (the bound is for all frames).
  for (uint64_t bound : {uint64_t{40 * 30 - 1}, uint64_t{2 * 40 * 30 - 1}}) {
    auto decoded = avif_sequence_decode(bytes_of(encoded), bound, 100);
    ASSERT_FALSE(decoded.ok()) << bound;
    EXPECT_EQ(decoded.error().code, ErrorCode::TooManyPixels) << bound;
  }
  EXPECT_TRUE(avif_sequence_decode(bytes_of(encoded), 40 * 30, 1).ok());  // one frame fits
}

TEST(AvifSequence, DamagedFilesAreRefusedOrKeepTheFramesBeforeTheDamage) {
  const auto pixels = frames_of(24, 24, 4, 3);
  const std::string encoded = encode_ok(pixels, 24, 24, 4, timeline_of({60, 60, 60}));
  for (size_t cut : {size_t{0}, size_t{12}, size_t{40}, encoded.size() / 2, encoded.size() - 10}) {
    auto decoded = avif_sequence_decode(bytes_of(encoded.substr(0, cut)), 1'000'000, 100);
    if (decoded.ok()) {
      EXPECT_GE(decoded->timeline.frames, 1);
      EXPECT_LE(decoded->timeline.frames, 3);
      EXPECT_EQ(decoded->pixels.size(), decoded->frame_bytes() * static_cast<size_t>(decoded->timeline.frames));
    } else {
      EXPECT_EQ(decoded.error().code, ErrorCode::InvalidImage) << "cut at " << cut;
    }
  }
  std::srand(7);
  for (int trial = 0; trial < 40; ++trial) {
    std::string flipped = encoded;
    for (int k = 0; k < 4; ++k) flipped[static_cast<size_t>(std::rand()) % flipped.size()] ^= static_cast<char>(1 << (std::rand() % 8));
    auto decoded = avif_sequence_decode(bytes_of(flipped), 1'000'000, 100);
    if (!decoded.ok()) {
      EXPECT_TRUE(decoded.error().code == ErrorCode::InvalidImage || decoded.error().code == ErrorCode::TooManyPixels);
    } else {
      EXPECT_EQ(decoded->pixels.size(), decoded->frame_bytes() * static_cast<size_t>(decoded->timeline.frames));
    }
  }
}

}  // namespace
}  // namespace pixmill::codecs
