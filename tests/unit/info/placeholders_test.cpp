// BlurHash, ThumbHash, the perceptual hash and the palette on synthetic pixels, with
// exact expectations where the algorithms fix them. (The reference npm decoders check
// the placeholders end to end: tests/integration/test_compositing_reference.py.)

#include <gtest/gtest.h>

#include <cmath>

#include "info/blurhash.h"
#include "info/palette.h"
#include "info/phash.h"
#include "info/thumbhash.h"

namespace pixmill::info {
namespace {

struct Canvas {
  int width, height;
  std::vector<uint8_t> data;
  Canvas(int w, int h, std::array<uint8_t, 4> fill) : width(w), height(h), data(static_cast<size_t>(w) * h * 4) {
    for (size_t i = 0; i < data.size(); i += 4) std::copy(fill.begin(), fill.end(), data.begin() + static_cast<ptrdiff_t>(i));
  }
  void set(int x, int y, std::array<uint8_t, 4> p) { std::copy(p.begin(), p.end(), data.begin() + (static_cast<ptrdiff_t>(y) * width + x) * 4); }
  RgbaView view() const { return {width, height, data}; }
};

TEST(BlurHash, SolidWhiteIsTheWellKnownHash) {
  Canvas white(32, 32, {255, 255, 255, 255});
  EXPECT_EQ(blurhash_encode(white.view(), 1, 1), "00TSUA");
}

TEST(BlurHash, LengthFollowsTheComponents) {
  Canvas c(40, 30, {10, 20, 30, 255});
  for (int x = 0; x < 40; ++x) c.set(x, x % 30, {250, 200, 10, 255});
  const auto hash = blurhash_encode(c.view(), 4, 3);
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->size(), 6u + 2u * (4 * 3 - 1));  // size flag, maximum, 4 DC digits, 2 per AC term
  EXPECT_EQ((*hash)[0], base83_encode(3 + 2 * 9, 1)[0]);
}

TEST(BlurHash, RefusesBadInput) {
  Canvas c(4, 4, {0, 0, 0, 255});
  EXPECT_FALSE(blurhash_encode(c.view(), 0, 3));
  EXPECT_FALSE(blurhash_encode(c.view(), 4, 10));
  EXPECT_FALSE(blurhash_encode(RgbaView{4, 4, std::span<const uint8_t>(c.data).first(10)}, 4, 3));
}

TEST(Base83, EncodesMostSignificantFirst) {
  EXPECT_EQ(base83_encode(0, 2), "00");
  EXPECT_EQ(base83_encode(82, 1), "~");
  EXPECT_EQ(base83_encode(83, 2), "10");
}

TEST(ThumbHash, OpaqueLandscapeHasNineteenBytes) {
  Canvas c(100, 50, {200, 100, 50, 255});
  const auto hash = thumbhash_encode(c.view());
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->size(), 19u);              // 5 header bytes + (18 + 5 + 5) AC nibbles
  EXPECT_EQ((*hash)[2] >> 7, 0);             // no alpha
  EXPECT_EQ((*hash)[4] >> 7, 1);             // landscape
}

TEST(ThumbHash, AlphaAddsItsTerms) {
  Canvas c(50, 50, {0, 0, 0, 0});
  for (int y = 10; y < 40; ++y) {
    for (int x = 10; x < 40; ++x) c.set(x, y, {255, 0, 0, 255});
  }
  const auto hash = thumbhash_encode(c.view());
  ASSERT_TRUE(hash);
  EXPECT_EQ((*hash)[2] >> 7, 1);
  EXPECT_EQ((*hash)[4] >> 7, 0);  // square: not landscape
}

TEST(ThumbHash, RefusesMoreThanAHundredPixelsASide) {
  Canvas c(101, 10, {0, 0, 0, 255});
  EXPECT_FALSE(thumbhash_encode(c.view()));
}

// Not separable in x and y: like a photo, it has energy at every low frequency (a sum of
// functions of x and of y alone would leave most of the 8 x 8 terms at zero, and the bits
// comparing zeros with their median would be noise).
std::vector<double> pattern(double phase, double scale) {
  std::vector<double> v(kPhashSide * kPhashSide);
  for (int y = 0; y < kPhashSide; ++y) {
    for (int x = 0; x < kPhashSide; ++x) {
      const double blob = std::exp(-((x - 10 - 8 * phase) * (x - 10 - 8 * phase) + (y - 20) * (y - 20)) / 60.0);
      v[static_cast<size_t>(y * kPhashSide + x)] = scale * (60 + 120 * blob + 40 * std::sin(x * y / 50.0 + phase));
    }
  }
  return v;
}

TEST(PerceptualHash, IgnoresBrightnessScaleAndSmallNoise) {
  const auto a = perceptual_hash(pattern(0, 1.0));
  const auto b = perceptual_hash(pattern(0, 0.8));
  auto noisy = pattern(0, 1.0);
  for (size_t i = 0; i < noisy.size(); i += 7) noisy[i] += 3;
  const auto c = perceptual_hash(noisy);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_LE(hamming_distance(*a, *c), 4);
}

TEST(PerceptualHash, DiffersForDifferentImages) {
  const auto a = perceptual_hash(pattern(0, 1.0));
  const auto b = perceptual_hash(pattern(2.0, 1.0));
  ASSERT_TRUE(a && b);
  EXPECT_GT(hamming_distance(*a, *b), 10);
  EXPECT_FALSE(perceptual_hash(std::vector<double>(10, 0.0)));
  EXPECT_EQ(phash_hex(0x0123456789abcdefULL), "0123456789abcdef");
}

TEST(Palette, TwoHalvesGiveTwoColoursAndTheMidpoint) {
  Canvas c(20, 10, {200, 30, 30, 255});
  for (int y = 0; y < 10; ++y) {
    for (int x = 10; x < 20; ++x) c.set(x, y, {20, 40, 220, 255});
  }
  const auto palette = dominant_colours(c.view());
  ASSERT_EQ(palette.size(), 2u);
  EXPECT_DOUBLE_EQ(palette[0].share, 0.5);
  EXPECT_DOUBLE_EQ(palette[1].share, 0.5);
  const recipe::Colour avg = average_colour(c.view());
  EXPECT_EQ(avg, (recipe::Colour{110, 35, 125, 255}));
}

TEST(Palette, TransparentPixelsDoNotCount) {
  Canvas c(10, 10, {0, 255, 0, 0});
  c.set(0, 0, {255, 0, 0, 255});
  const auto palette = dominant_colours(c.view());
  ASSERT_EQ(palette.size(), 1u);
  EXPECT_EQ(palette[0].colour, (recipe::Colour{255, 0, 0, 255}));
  EXPECT_EQ(average_colour(c.view()), (recipe::Colour{255, 0, 0, 255}));
}

}  // namespace
}  // namespace pixmill::info
