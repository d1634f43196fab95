// AVIF's encoder defaults (bench/RESULTS.md, "AVIF encoder settings"): full-resolution
// chroma and effort 3 unless asked otherwise; preview=true the fast 4:2:0 path. Read from
// the AV1 codec configuration box the file itself carries, not from our own settings.

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include <vips/vips8>

#include "pipeline/encode.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

struct ChromaLayout {
  int profile;         // seq_profile: 0 Main (4:2:0), 1 High (4:4:4)
  bool subsampled_x;
  bool subsampled_y;
};

// The 'av1C' box (AV1 codec ISO media file format binding, section 2.3): after the
// marker/version byte, seq_profile is the top 3 bits of the next byte, and the byte
// after that holds tier, bit depth, monochrome, then chroma_subsampling_x and _y.
std::optional<ChromaLayout> chroma_of(const std::string& avif) {
  const size_t at = avif.find("av1C");
  if (at == std::string::npos || at + 7 > avif.size()) return std::nullopt;
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(avif[at + 4 + i]); };
  return ChromaLayout{byte(1) >> 5, ((byte(2) >> 3) & 1) != 0, ((byte(2) >> 2) & 1) != 0};
}

std::string encode_avif(const EncodeSettings& overrides) {
  EncodeSettings settings = overrides;
  settings.format = OutputFormat::Avif;
  settings.quality = default_quality(OutputFormat::Avif);
  return encode(testing::synthetic(96, 64).copy_memory(), settings);
}

TEST(AvifDefaults, FullResolutionChroma) {
  const auto layout = chroma_of(encode_avif({}));
  ASSERT_TRUE(layout) << "no av1C box";
  EXPECT_EQ(layout->profile, 1);
  EXPECT_FALSE(layout->subsampled_x);
  EXPECT_FALSE(layout->subsampled_y);
}

TEST(AvifDefaults, PreviewSubsamplesChroma) {
  EncodeSettings preview;
  preview.preview = true;
  const auto layout = chroma_of(encode_avif(preview));
  ASSERT_TRUE(layout) << "no av1C box";
  EXPECT_EQ(layout->profile, 0);
  EXPECT_TRUE(layout->subsampled_x);
  EXPECT_TRUE(layout->subsampled_y);
}

TEST(AvifDefaults, EffortThreeUnlessAsked) {
  EncodeSettings three, four;
  three.effort = 3;
  four.effort = 4;
  const std::string unset = encode_avif({});
  EXPECT_EQ(unset, encode_avif(three));
  EXPECT_NE(unset, encode_avif(four));
}

}  // namespace
}  // namespace pixmill::pipeline
