// The sRGB-profile check lets the pipeline skip an ICC transform, so what matters is
// that skipping never changes colours: every profile it accepts must transform to
// sRGB as (almost) the identity, and the wide-gamut and primary-swapping profiles of
// the corpus must be refused. Judged by category and by behaviour, never by file.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "pipeline/srgb_profile.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

std::span<const uint8_t> blob_bytes(VipsBlob* blob) {
  size_t size = 0;
  const void* data = vips_blob_get(blob, &size);
  return {static_cast<const uint8_t*>(data), size};
}

// Largest per-channel change the full transform makes on a downsized copy.
double transform_change(const VImage& image) {
  VImage small = image.resize(std::min(1.0, 256.0 / image.width()));
  if (small.has_alpha()) small = small.flatten();
  VImage transformed = small.icc_transform("srgb", VImage::option()->set("embedded", TRUE)->set("intent", VIPS_INTENT_PERCEPTUAL)->set("depth", 8));
  return (transformed.cast(VIPS_FORMAT_FLOAT) - small.cast(VIPS_FORMAT_FLOAT)).abs().max();
}

struct Profiled {
  std::string file, category;
  std::vector<uint8_t> profile;
  double transform_change = 0;
};

// Every decodable corpus image that carries an RGB ICC profile.
std::vector<Profiled> profiled_corpus_images() {
  std::vector<Profiled> out;
  for (const auto& row : testing::corpus_manifest()) {
    if (row.format != "jpeg" && row.format != "png" && row.format != "webp" && row.format != "tiff") continue;
    static const std::set<std::string> kSkip = {"truncated", "corrupt", "bomb-dimensions", "empty", "not-image"};
    if (kSkip.count(row.category)) continue;
    const std::string bytes = testing::read_file(testing::corpus_dir() + "/" + row.file);
    VImage image;
    try {
      image = VImage::new_from_buffer(bytes.data(), bytes.size(), "", VImage::option()->set("access", VIPS_ACCESS_RANDOM));
    } catch (const vips::VError&) {
      continue;
    }
    if (image.get_typeof("icc-profile-data") == 0 || image.interpretation() != VIPS_INTERPRETATION_sRGB) continue;
    size_t size = 0;
    const auto* data = static_cast<const uint8_t*>(image.get_blob("icc-profile-data", &size));
    // `bytes` backs `image`: measure while it lives.
    out.push_back({row.file, row.category, std::vector<uint8_t>(data, data + size), transform_change(image)});
  }
  return out;
}

TEST(SrgbProfile, LibvipsBuiltInSrgbIsRecognisedAndP3IsNot) {
  VipsBlob* srgb = nullptr;
  VipsBlob* p3 = nullptr;
  ASSERT_EQ(vips_profile_load("srgb", &srgb, nullptr), 0);
  ASSERT_EQ(vips_profile_load("p3", &p3, nullptr), 0);
  EXPECT_TRUE(is_srgb_icc_profile(blob_bytes(srgb)));
  EXPECT_FALSE(is_srgb_icc_profile(blob_bytes(p3)));
  vips_area_unref(VIPS_AREA(srgb));
  vips_area_unref(VIPS_AREA(p3));
}

TEST(SrgbProfile, AcceptedProfilesAreNearIdentityAndWideGamutIsRefused) {
  int accepted = 0, refused_wide = 0;
  for (const auto& p : profiled_corpus_images()) {
    SCOPED_TRACE(p.file);
    const bool srgb = is_srgb_icc_profile(p.profile);
    const bool wide = p.category.rfind("icc-", 0) == 0;  // P3, Adobe RGB, Rec. 2020, swapped primaries
    if (wide) {
      EXPECT_FALSE(srgb) << p.file << " (" << p.category << ") is not sRGB";
      refused_wide += !srgb;
    }
    if (srgb) {
      ++accepted;
      EXPECT_LE(p.transform_change, 2.0) << p.file << ": accepted as sRGB but the transform moves colours";
    }
  }
  EXPECT_GE(accepted, 1) << "the corpus photos carry sRGB profiles; none was recognised";
  EXPECT_GE(refused_wide, 1);
}

TEST(SrgbProfile, TruncatedAndMangledProfilesAreRefusedSafely) {
  VipsBlob* srgb = nullptr;
  ASSERT_EQ(vips_profile_load("srgb", &srgb, nullptr), 0);
  const auto good = blob_bytes(srgb);
  std::vector<uint8_t> bytes(good.begin(), good.end());
  vips_area_unref(VIPS_AREA(srgb));
  for (size_t n : {size_t{0}, size_t{4}, size_t{127}, size_t{131}, bytes.size() / 2, bytes.size() - 1}) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + n);
    EXPECT_FALSE(is_srgb_icc_profile(cut)) << "truncated to " << n;  // tags point past the end
  }
  std::vector<uint8_t> huge_count = bytes;
  huge_count[128] = 0xFF;  // tag count far beyond the data
  EXPECT_FALSE(is_srgb_icc_profile(huge_count));
  std::vector<uint8_t> cmyk = bytes;
  std::copy_n("CMYK", 4, cmyk.begin() + 16);
  EXPECT_FALSE(is_srgb_icc_profile(cmyk));
}

}  // namespace
}  // namespace pixmill::pipeline
