// quality=auto on real photos: at most six encodes, the chosen output within its
// level's perceptual bound (or the top of the range), and lower levels never larger.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include <vips/vips8>

#include "pipeline/auto_quality.h"
#include "pipeline/perceptual_distance.h"
#include "pipeline/process.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using testing::bytes_of;
using vips::VImage;

struct CountingEncoder {
  int calls = 0;
  std::string operator()(const VImage& image, const EncodeSettings& settings) {
    ++calls;
    return encode(image, settings);
  }
};

VImage photo() {
  auto row = testing::corpus_pick({"photo-small", "photo-kodak"});
  if (!row) return VImage();
  return testing::decode(row->read()).thumbnail_image(320).copy_memory();
}

TEST(AutoQuality, SearchStaysWithinSixEncodesAndItsBound) {
  const VImage image = photo();
  if (image.width() == 0) GTEST_SKIP() << "no photo in the corpus";
  for (OutputFormat format : {OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Avif, OutputFormat::Jxl}) {
    EncodeSettings settings;
    settings.format = format;
    settings.effort = 2;
    int previous_quality = 101;
    size_t previous_bytes = 0;
    for (AutoQuality level : {AutoQuality::High, AutoQuality::Good, AutoQuality::Eco, AutoQuality::Low}) {
      CountingEncoder encoder;
      AutoQualitySearch found = search_auto_quality(image, settings, level, std::ref(encoder));
      SCOPED_TRACE(std::string(output_format_name(format)) + " level " + std::to_string(static_cast<int>(level)));
      EXPECT_LE(encoder.calls, kMaxAutoQualityEncodes);
      EXPECT_EQ(found.encodes, encoder.calls);
      EXPECT_GE(found.quality, 20);
      EXPECT_LE(found.quality, 95);
      if (found.met) {
        EXPECT_LE(found.distance, auto_quality_bound(level, format));
      }
      // The reported distance is the chosen output's.
      EXPECT_NEAR(PerceptualReference(image).distance_to(found.bytes, format), found.distance, 1e-3);
      EXPECT_LE(found.quality, previous_quality);
      if (previous_bytes) {
        EXPECT_LE(found.bytes.size(), previous_bytes + previous_bytes / 50);
      }
      previous_quality = found.quality;
      previous_bytes = found.bytes.size();
    }
  }
}

// AVIF without an effort: the search probes at the default effort and settles at effort 4
// a few qualities lower, still within six encodes and its bound; the answer is the
// smallest passing output it saw. A named effort is kept throughout.
TEST(AutoQuality, AvifSettlesAtAFinerEffortOnlyWhenNoneIsNamed) {
  const VImage image = photo();
  if (image.width() == 0) GTEST_SKIP() << "no photo in the corpus";
  struct Probe {
    std::optional<int> effort;
    int quality;
    size_t bytes;
  };
  std::vector<Probe> probes;
  auto recording = [&](const VImage& in, const EncodeSettings& s) {
    std::string out = encode(in, s);
    probes.push_back({s.effort, s.quality, out.size()});
    return out;
  };
  EncodeSettings settings;
  settings.format = OutputFormat::Avif;
  EXPECT_EQ(auto_quality_finer_effort(settings), 4);
  AutoQualitySearch found = search_auto_quality(image, settings, AutoQuality::Good, recording);
  ASSERT_LE(probes.size(), static_cast<size_t>(kMaxAutoQualityEncodes));
  EXPECT_EQ(found.encodes, static_cast<int>(probes.size()));
  const auto fine = std::count_if(probes.begin(), probes.end(), [](const Probe& p) { return p.effort == 4; });
  EXPECT_GE(fine, 1);
  EXPECT_LE(fine, 3);
  // The coarse probes come first, at the default effort.
  EXPECT_FALSE(probes.front().effort.has_value());
  if (found.met) {
    EXPECT_LE(found.distance, auto_quality_bound(AutoQuality::Good, OutputFormat::Avif));
  }
  EXPECT_NEAR(PerceptualReference(image).distance_to(found.bytes, OutputFormat::Avif), found.distance, 1e-3);
  // Never larger than the coarse answer at the quality it settled from.
  for (const Probe& p : probes) {
    if (!p.effort && p.quality == found.quality) {
      EXPECT_LE(found.bytes.size(), p.bytes);
    }
  }

  probes.clear();
  settings.effort = 3;
  EXPECT_FALSE(auto_quality_finer_effort(settings));
  search_auto_quality(image, settings, AutoQuality::Good, recording);
  EXPECT_TRUE(std::all_of(probes.begin(), probes.end(), [](const Probe& p) { return p.effort == 3; }));
  settings.effort.reset();
  settings.preview = true;
  EXPECT_FALSE(auto_quality_finer_effort(settings));
  settings.preview = false;
  settings.format = OutputFormat::Webp;
  EXPECT_FALSE(auto_quality_finer_effort(settings));
}

TEST(AutoQuality, EachFormatsBoundsFollowItsOwnQ80) {
  for (OutputFormat format : {OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Avif, OutputFormat::Heic, OutputFormat::Jxl}) {
    SCOPED_TRACE(std::string(output_format_name(format)));
    EXPECT_LT(auto_quality_bound(AutoQuality::High, format), auto_quality_bound(AutoQuality::Good, format));
    EXPECT_LT(auto_quality_bound(AutoQuality::Good, format), auto_quality_bound(AutoQuality::Eco, format));
    EXPECT_LT(auto_quality_bound(AutoQuality::Eco, format), auto_quality_bound(AutoQuality::Low, format));
  }
  // WebP's q80 is coarser than JPEG's and AVIF's much finer (bench/RESULTS.md): "auto"
  // may spend WebP's slack and must not fall below AVIF's own q80.
  EXPECT_GT(auto_quality_bound(AutoQuality::Good, OutputFormat::Webp), auto_quality_bound(AutoQuality::Good, OutputFormat::Jpeg));
  EXPECT_LT(auto_quality_bound(AutoQuality::Good, OutputFormat::Avif), auto_quality_bound(AutoQuality::Good, OutputFormat::Jpeg));
  EXPECT_EQ(auto_quality_bound(AutoQuality::Good, OutputFormat::Heic), auto_quality_bound(AutoQuality::Good, OutputFormat::Avif));
}

TEST(AutoQuality, TinyImagesKeepTheDefaultQualityInOneEncode) {
  EncodeSettings settings;
  CountingEncoder encoder;
  AutoQualitySearch found = search_auto_quality(testing::synthetic(6, 5).copy_memory(), settings, AutoQuality::Good,
                                                std::ref(encoder));
  EXPECT_EQ(encoder.calls, 1);
  EXPECT_EQ(found.quality, settings.quality);
}

// A small photo fitted into 300 px, written as `format`: the process_image cases.
Recipe fitted_to_300(OutputFormat format) {
  Recipe recipe;
  recipe.output.format = format;
  recipe.resize = ResizeSpec{300, 300, FitMode::Fit};
  return recipe;
}

TEST(AutoQuality, ProcessReportsTheChosenQualityAndEncodes) {
  auto row = testing::corpus_pick({"photo-small"});
  if (!row) GTEST_SKIP() << "no photo in the corpus";
  Recipe recipe = fitted_to_300(OutputFormat::Webp);
  recipe.output.auto_quality = AutoQuality::Eco;
  auto out = process_image(bytes_of(row->read()), recipe, Limits{});
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_TRUE(out->quality.has_value());
  EXPECT_GE(*out->quality, 30);
  EXPECT_LE(*out->quality, 95);
  EXPECT_LE(out->iterations, kMaxAutoQualityEncodes);
  EXPECT_GE(out->iterations, 2);
}

// AVIF with nothing named: one judged probe at the default quality, then at most one
// re-encode, up when the probe scored over the target and down when under.
struct RecordingEncoder {
  std::vector<int> qualities;
  std::vector<std::string> outputs;
  std::string operator()(const VImage& image, const EncodeSettings& settings) {
    qualities.push_back(settings.quality);
    outputs.push_back(encode(image, settings));
    return outputs.back();
  }
};

void expect_default_moves_toward_target(const VImage& image) {
  EncodeSettings settings = encode_settings_for(OutputSpec{}, OutputFormat::Avif);
  RecordingEncoder encoder;
  AutoQualitySearch found = correct_default_quality(image, settings, std::ref(encoder));
  ASSERT_GE(encoder.qualities.size(), 1u);
  ASSERT_LE(encoder.qualities.size(), 2u);
  EXPECT_EQ(found.encodes, static_cast<int>(encoder.qualities.size()));
  EXPECT_EQ(encoder.qualities.front(), default_quality(OutputFormat::Avif));
  EXPECT_EQ(found.quality, encoder.qualities.back());
  EXPECT_EQ(found.bytes, encoder.outputs.back());
  const double first = PerceptualReference(image).distance_to(encoder.outputs.front(), OutputFormat::Avif);
  if (encoder.qualities.size() == 1) {
    EXPECT_NEAR(found.distance, first, 1e-3);
    return;
  }
  EXPECT_LT(found.distance, 0.0);  // the re-encode is not judged
  if (first > kAvifDefaultDistance) {
    EXPECT_GT(found.quality, encoder.qualities.front());
  } else {
    EXPECT_LT(found.quality, encoder.qualities.front());
    EXPECT_GE(found.quality, encoder.qualities.front() - 16);
  }
}

TEST(AutoQuality, AvifDefaultJudgesOneProbeAndMovesTowardItsTarget) {
  const VImage image = photo();
  if (image.width() == 0) GTEST_SKIP() << "no photo in the corpus";
  expect_default_moves_toward_target(image);
}

TEST(AutoQuality, AvifDefaultMovesDownOnFlatAndUpOnNoisyImages) {
  // A flat field judges near 0: the furthest step down, never below the range.
  const VImage flat = VImage::black(256, 192, VImage::option()->set("bands", 3)).linear(1.0, 128.0).cast(VIPS_FORMAT_UCHAR).copy_memory();
  RecordingEncoder down;
  AutoQualitySearch easy = correct_default_quality(flat, encode_settings_for(OutputSpec{}, OutputFormat::Avif), std::ref(down));
  ASSERT_EQ(down.qualities.size(), 2u);
  EXPECT_EQ(easy.quality, default_quality(OutputFormat::Avif) - 16);
  EXPECT_LT(easy.bytes.size(), down.outputs.front().size() + 1);
  // Uniform noise is the hardest content there is: the probe scores over the target.
  const VImage noise = VImage::gaussnoise(256, 192, VImage::option()->set("sigma", 60.0)->set("mean", 128.0))
                           .bandjoin({VImage::gaussnoise(256, 192), VImage::gaussnoise(256, 192)})
                           .cast(VIPS_FORMAT_UCHAR)
                           .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB))
                           .copy_memory();
  RecordingEncoder up;
  AutoQualitySearch hard = correct_default_quality(noise, encode_settings_for(OutputSpec{}, OutputFormat::Avif), std::ref(up));
  ASSERT_EQ(up.qualities.size(), 2u);
  EXPECT_GT(hard.quality, default_quality(OutputFormat::Avif));
  EXPECT_LE(hard.quality, 85);
  // Too small to judge: the default quality in one encode.
  RecordingEncoder tiny;
  AutoQualitySearch small = correct_default_quality(testing::synthetic(6, 5).copy_memory(),
                                                    encode_settings_for(OutputSpec{}, OutputFormat::Avif), std::ref(tiny));
  EXPECT_EQ(tiny.qualities.size(), 1u);
  EXPECT_EQ(small.quality, default_quality(OutputFormat::Avif));
}

TEST(AutoQuality, AvifDefaultAppliesOnlyWhenNothingIsNamed) {
  OutputSpec spec;
  EXPECT_TRUE(perceptual_default_applies(spec, encode_settings_for(spec, OutputFormat::Avif)));
  EXPECT_FALSE(perceptual_default_applies(spec, encode_settings_for(spec, OutputFormat::Webp)));
  EXPECT_FALSE(perceptual_default_applies(spec, encode_settings_for(spec, OutputFormat::Heic)));
  auto named = [](auto change) {
    OutputSpec s;
    change(s);
    return perceptual_default_applies(s, encode_settings_for(s, OutputFormat::Avif));
  };
  EXPECT_FALSE(named([](OutputSpec& s) { s.quality = 50; }));
  EXPECT_FALSE(named([](OutputSpec& s) { s.effort = 3; }));
  EXPECT_FALSE(named([](OutputSpec& s) { s.preview = true; }));
  EXPECT_FALSE(named([](OutputSpec& s) { s.lossless = true; }));
  EXPECT_FALSE(named([](OutputSpec& s) { s.max_compression = true; }));
  EXPECT_FALSE(named([](OutputSpec& s) { s.auto_quality = AutoQuality::Good; }));
}

// Through process_image: the default reports the quality it settled on and its encodes;
// a named quality is one encode at that quality.
TEST(AutoQuality, ProcessReportsTheAvifDefaultsQualityAndEncodes) {
  auto row = testing::corpus_pick({"photo-small"});
  if (!row) GTEST_SKIP() << "no photo in the corpus";
  Recipe recipe = fitted_to_300(OutputFormat::Avif);
  auto out = process_image(bytes_of(row->read()), recipe, Limits{});
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_TRUE(out->quality.has_value());
  EXPECT_GE(*out->quality, 20);
  EXPECT_LE(*out->quality, 85);
  EXPECT_GE(out->iterations, 1);
  EXPECT_LE(out->iterations, 2);
  recipe.output.quality = 50;
  auto fixed = process_image(bytes_of(row->read()), recipe, Limits{});
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_EQ(fixed->quality, 50);
  EXPECT_EQ(fixed->iterations, 1);
}

}  // namespace
}  // namespace pixmill::pipeline
