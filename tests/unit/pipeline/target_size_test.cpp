// The target-size search, with stand-in encoders whose output size is a known function
// of the frame size and quality, so each search path can be steered.

#include <gtest/gtest.h>

#include <vips/vips8>

#include "pipeline/target_size.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

using SizeModel = std::function<size_t(int width, int quality)>;

struct CountingEncoder {
  SizeModel model;
  int calls = 0;
  std::string operator()(const VImage& image, const EncodeSettings& settings) {
    ++calls;
    return std::string(model(image.width(), settings.quality), 'x');
  }
};

TargetSearch search(const SizeModel& model, uint64_t target, CountingEncoder& encoder) {
  encoder.model = model;
  EncodeSettings settings;  // JPEG at 80: quality applies
  return search_target_size(testing::synthetic(400, 300).copy_memory(), settings, target, std::ref(encoder));
}

TEST(TargetSize, QualityAloneWhenItIsEnough) {
  CountingEncoder encoder;
  // 100 bytes per quality point at full size: 5 000 fits at quality 50.
  auto found = search([](int width, int q) { return size_t(width / 4 * q); }, 5'000, encoder);
  EXPECT_TRUE(found.met);
  EXPECT_FALSE(found.downscaled);
  // Seven encodes in all bound the binary search: it lands at, or just below, 50.
  EXPECT_GE(found.quality, 45);
  EXPECT_LE(found.quality, 50);
  EXPECT_EQ(found.width, 400);
  EXPECT_LE(found.bytes.size(), 5'000u);
  EXPECT_EQ(found.iterations, encoder.calls);
  EXPECT_LE(encoder.calls, 7);
}

TEST(TargetSize, DownscalesWhenQualityIsNotEnough) {
  CountingEncoder encoder;
  // Bytes follow the area; even quality 5 at full size is 3 000 bytes.
  auto found = search([](int width, int q) { return size_t(width * width * (q + 10) / 800); }, 1'000, encoder);
  EXPECT_TRUE(found.met);
  EXPECT_TRUE(found.downscaled);
  EXPECT_LT(found.width, 400);
  EXPECT_LE(found.bytes.size(), 1'000u);
  EXPECT_EQ(found.iterations, encoder.calls);
}

TEST(TargetSize, UnreachableTargetGivesTheSmallestOutputSeen) {
  CountingEncoder encoder;
  // A smaller frame costs more (as per-frame overhead can make it): full size is the
  // smallest output, whatever the later rounds try.
  auto found = search([](int width, int q) { return size_t(2'000 + 400'000 / width + q); }, 100, encoder);
  EXPECT_FALSE(found.met);
  EXPECT_FALSE(found.downscaled);
  EXPECT_EQ(found.width, 400);
  EXPECT_EQ(found.height, 300);
  EXPECT_EQ(found.bytes.size(), size_t(2'000 + 1'000 + 5));
  EXPECT_EQ(found.quality, 5);
  EXPECT_GT(encoder.calls, 7);  // it did try smaller sizes
  EXPECT_EQ(found.iterations, encoder.calls);
}

}  // namespace
}  // namespace pixmill::pipeline
