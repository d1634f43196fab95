// The DecodeWatch tells a failure to decode the client's bytes from a failure of our
// own processing, without reading libvips' error text.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "pipeline/deadline.h"
#include "pipeline/decode_watch.h"
#include "pipeline/vips_runtime.h"
#include "damaged_images.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

// The bytes must outlive the image: libvips reads them lazily, without a copy.
VImage load_png(const std::string& png) {
  VipsBlob* blob = vips_blob_new(nullptr, png.data(), png.size());
  VImage image = VImage::pngload_buffer(blob, VImage::option()->set("fail_on", VIPS_FAIL_ON_ERROR));
  vips_area_unref(VIPS_AREA(blob));
  return image;
}

// The PNG's last IDAT byte is the end of its zlib stream: damage inside the stream
// passes the header, then fails when the pixels are read.
std::string png_with_damaged_pixels(const VImage& image) {
  std::string png = testing::encode_as(image, ".png");
  const size_t idat = png.find("IDAT");
  for (size_t at = idat + 40; at < idat + 200 && at < png.size(); ++at) png[at] = static_cast<char>(png[at] ^ 0xA5);
  return png;
}

// Writes through the whole pipeline; returns whether it succeeded.
bool encodes(const VImage& image, const char* suffix) {
  try {
    testing::encode_as(image, suffix);
    return true;
  } catch (const vips::VError&) {
    clear_vips_error();
    return false;
  }
}

TEST(DecodeWatch, PassesPixelsAndMetadataThrough) {
  VImage source = testing::synthetic(40, 30, true);
  source.set("page-height", 15);
  DecodeWatch watch;
  VImage watched = watch.watch(source);
  EXPECT_EQ(watched.width(), 40);
  EXPECT_EQ(watched.height(), 30);
  EXPECT_EQ(watched.bands(), 4);
  EXPECT_EQ(watched.get_int("page-height"), 15);
  EXPECT_EQ((watched.cast(VIPS_FORMAT_INT) - source.cast(VIPS_FORMAT_INT)).abs().max(), 0.0);
  EXPECT_FALSE(watch.failed());
  EXPECT_EQ(watch.first_failed_page(), -1);
}

TEST(DecodeWatch, SeesALazyDecodeFailureDuringTheEncode) {
  const std::string png = png_with_damaged_pixels(testing::synthetic(300, 200));
  DecodeWatch watch;
  VImage watched = watch.watch(load_png(png));  // the header alone decodes
  EXPECT_FALSE(watch.failed());
  EXPECT_FALSE(encodes(watched.resize(0.5), ".webp"));
  EXPECT_TRUE(watch.failed());
}

TEST(DecodeWatch, DoesNotBlameTheDecodeForOurOwnFailure) {
  const std::string png = testing::encode_as(testing::synthetic(300, 200), ".png");
  {
    // WebP has no room for 17000 columns: the encoder refuses, the decode is fine.
    DecodeWatch watch;
    VImage wide = watch.watch(load_png(png)).embed(0, 0, 17000, 200);
    EXPECT_FALSE(encodes(wide, ".webp"));
    EXPECT_FALSE(watch.failed());
  }
  {
    // Stopped half way by an expired deadline, after pixels have been decoded.
    DecodeWatch watch;
    VImage big = watch.watch(load_png(png)).resize(8.0);
    const Deadline expired = Deadline::after(std::chrono::milliseconds(-1));
    watch_deadline(big, expired);
    EXPECT_FALSE(encodes(big, ".png"));
    EXPECT_FALSE(watch.failed());
  }
}

TEST(DecodeWatch, ReportsThePageOfTheFirstFailure) {
  // Four 16-row frames; the third ends its LZW stream before its first pixel.
  const std::string gif = testing::animated_gif(
      {testing::gif_frame(0), testing::gif_frame(1), std::string("\x05", 1), testing::gif_frame(2)});
  VipsBlob* blob = vips_blob_new(nullptr, gif.data(), gif.size());
  // Read top to bottom, as the pipeline reads animations: the first request that
  // fails is the broken frame's.
  VImage animation = VImage::gifload_buffer(
      blob, VImage::option()->set("n", -1)->set("fail_on", VIPS_FAIL_ON_ERROR)->set("access", VIPS_ACCESS_SEQUENTIAL));
  vips_area_unref(VIPS_AREA(blob));
  DecodeWatch watch;
  VImage watched = watch.watch(animation);
  EXPECT_FALSE(encodes(watched, ".webp"));
  ASSERT_TRUE(watch.failed());
  EXPECT_EQ(watch.first_failed_page(), 2);
}

TEST(DecodeWatch, OutlivesTheCallerThatMadeIt) {
  VImage watched;
  {
    DecodeWatch watch;
    watched = watch.watch(testing::synthetic(16, 16));
  }
  EXPECT_TRUE(encodes(watched, ".png"));
}

}  // namespace
}  // namespace pixmill::pipeline
