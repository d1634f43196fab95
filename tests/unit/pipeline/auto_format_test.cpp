// The format rule for OutputFormat::Auto, on header facts alone (no pixels decoded).
#include "pipeline/process.h"

#include <gtest/gtest.h>

namespace pixmill::pipeline {
namespace {

SourceHeader source(InputFormat format, int frames = 1, bool alpha = false) {
  SourceHeader h;
  h.format = format;
  h.width = 640;
  h.height = 480;
  h.frames = frames;
  h.has_alpha = alpha;
  return h;
}

// A URL grammar's negotiated recipe: Auto over what the client accepts, else the source's format.
Recipe negotiated(bool avif, bool webp) {
  Recipe r;
  r.output.format = OutputFormat::Auto;
  r.output.auto_else_original = true;
  r.output.auto_allow_avif = avif;
  r.output.auto_allow_webp = webp;
  return r;
}

const Limits kLimits;

TEST(AutoFormat, AnAnimationIsNeverAvif) {
  EXPECT_EQ(output_format_for(negotiated(true, true), source(InputFormat::Gif, 8), kLimits), OutputFormat::Webp);
  EXPECT_EQ(output_format_for(negotiated(true, false), source(InputFormat::Gif, 8), kLimits), OutputFormat::Gif);
  EXPECT_EQ(output_format_for(negotiated(true, false), source(InputFormat::Webp, 8), kLimits), OutputFormat::Webp);
  EXPECT_EQ(output_format_for(negotiated(true, false), source(InputFormat::Gif, 1), kLimits), OutputFormat::Avif);
}

TEST(AutoFormat, NothingAcceptedKeepsTheSourcesFormat) {
  EXPECT_EQ(output_format_for(negotiated(false, false), source(InputFormat::Jpeg), kLimits), OutputFormat::Jpeg);
  EXPECT_EQ(output_format_for(negotiated(false, false), source(InputFormat::Webp), kLimits), OutputFormat::Webp);
  EXPECT_EQ(output_format_for(negotiated(false, false), source(InputFormat::Gif), kLimits), OutputFormat::Gif);
  // A JPEG that gains alpha (a transparent cut-out) cannot stay JPEG.
  Recipe cutout = negotiated(false, false);
  cutout.remove_background = true;
  EXPECT_EQ(output_format_for(cutout, source(InputFormat::Jpeg), kLimits), OutputFormat::Png);
}

TEST(AutoFormat, TheNativeRuleStillChoosesByContent) {
  Recipe r;
  r.output.format = OutputFormat::Auto;
  r.output.auto_allow_webp = false;
  EXPECT_EQ(output_format_for(r, source(InputFormat::Webp), kLimits), OutputFormat::Jpeg);
  EXPECT_EQ(output_format_for(r, source(InputFormat::Webp, 1, true), kLimits), OutputFormat::Png);
  EXPECT_EQ(output_format_for(r, source(InputFormat::Gif, 8), kLimits), OutputFormat::Gif);
}

TEST(AutoFormat, JpegXlOverItsPixelLimitTakesTheNextAccepted) {
  Recipe r = negotiated(true, true);
  r.output.auto_allow_jxl = true;
  Limits small = kLimits;
  small.max_jxl_pixels = 1000;
  EXPECT_EQ(output_format_for(r, source(InputFormat::Png), kLimits), OutputFormat::Jxl);
  EXPECT_EQ(output_format_for(r, source(InputFormat::Png), small), OutputFormat::Avif);
}

}  // namespace
}  // namespace pixmill::pipeline
