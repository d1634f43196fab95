// UltraHDR gain maps through the pipeline: kept (resized and cropped with the image)
// when the output is JPEG, stripMetadata or not; dropped with its XMP claim when the
// output format cannot carry it or the geometry no longer maps (smart crop).

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "pipeline/process.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

using testing::bytes_of;
using vips::VImage;

struct GainMapped {
  int width = 0, height = 0;          // the primary image
  int map_width = 0, map_height = 0;  // its gain map
};

// The image and gain-map sizes of an UltraHDR JPEG; nullopt when it carries none.
std::optional<GainMapped> read_gain_map(const std::string& bytes) {
  if (vips_foreign_is_a_buffer("uhdrload_buffer", bytes.data(), bytes.size()) == 0) return std::nullopt;
  VipsBlob* blob = vips_blob_new(nullptr, bytes.data(), bytes.size());
  VImage image = VImage::uhdrload_buffer(blob);
  vips_area_unref(VIPS_AREA(blob));
  if (image.get_typeof("gainmap-data") == 0) return std::nullopt;
  VImage map = image.gainmap();
  return GainMapped{image.width(), image.height(), map.width(), map.height()};
}

bool claims_gain_map(const std::string& bytes) {
  return bytes.find("http://ns.adobe.com/hdr-gain-map/") != std::string::npos;
}

ProcessResult run_ok(const std::string& input, const Recipe& recipe) {
  auto out = process_image(bytes_of(input), recipe, Limits{});
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
  return out.ok() ? std::move(*out) : ProcessResult{};
}

// The output's gain map keeps the source's gain-map/base ratio, to the pixel.
void expect_scaled_like_source(const GainMapped& source, const ProcessResult& out) {
  auto kept = read_gain_map(out.bytes);
  ASSERT_TRUE(kept) << "the JPEG output lost its gain map";
  EXPECT_EQ(kept->width, out.width);
  EXPECT_EQ(kept->height, out.height);
  const double rx = static_cast<double>(source.map_width) / source.width;
  const double ry = static_cast<double>(source.map_height) / source.height;
  EXPECT_EQ(kept->map_width, std::lround(out.width * rx));
  EXPECT_EQ(kept->map_height, std::lround(out.height * ry));
}

TEST(GainMap, ResizedJpegKeepsItScaledLikeTheImage) {
  PIXMILL_PICK_OR_SKIP(row, {"jpeg-gainmap-ultrahdr"});
  const std::string input = row.read();
  auto source = read_gain_map(input);
  ASSERT_TRUE(source) << row.file << " has no gain map";
  for (bool strip : {true, false}) {
    Recipe recipe;
    recipe.output.format = OutputFormat::Jpeg;
    recipe.output.strip_metadata = strip;  // the gain map is image data: stripping keeps it
    recipe.resize = ResizeSpec{400, std::nullopt, FitMode::Fit};
    const ProcessResult out = run_ok(input, recipe);
    EXPECT_EQ(out.width, 400);
    expect_scaled_like_source(*source, out);
  }
}

TEST(GainMap, CropAndFillCropCutTheGainMapToo) {
  PIXMILL_PICK_OR_SKIP(row, {"jpeg-gainmap-ultrahdr"});
  const std::string input = row.read();
  auto source = read_gain_map(input);
  ASSERT_TRUE(source);
  Recipe crop;
  crop.output.format = OutputFormat::Jpeg;
  crop.crop = CropRect{100, 100, source->width / 2, source->height / 3};
  crop.resize = ResizeSpec{300, std::nullopt, FitMode::Fit};
  expect_scaled_like_source(*source, run_ok(input, crop));

  Recipe fill;
  fill.output.format = OutputFormat::Jpeg;
  fill.resize = ResizeSpec{240, 240, FitMode::Fill, Gravity::North};
  fill.rotate = 90;
  const ProcessResult out = run_ok(input, fill);
  EXPECT_EQ(out.width, 240);
  EXPECT_EQ(out.height, 240);
  expect_scaled_like_source(*source, out);
}

TEST(GainMap, FormatsWithoutGainMapsDropItAndItsXmpClaim) {
  PIXMILL_PICK_OR_SKIP(row, {"jpeg-gainmap-ultrahdr"});
  const std::string input = row.read();
  ASSERT_TRUE(claims_gain_map(input));
  for (OutputFormat format : {OutputFormat::Webp, OutputFormat::Png}) {
    Recipe recipe;
    recipe.output.format = format;
    recipe.output.strip_metadata = false;
    recipe.resize = ResizeSpec{320, std::nullopt, FitMode::Fit};
    const ProcessResult out = run_ok(input, recipe);
    EXPECT_FALSE(claims_gain_map(out.bytes)) << output_format_name(format);
    VImage decoded = testing::decode(out.bytes);
    EXPECT_EQ(decoded.get_typeof("gainmap-data"), 0u);
    EXPECT_EQ(decoded.width(), 320);
  }
}

TEST(GainMap, SmartCropDropsItAndItsXmpClaim) {
  PIXMILL_PICK_OR_SKIP(row, {"jpeg-gainmap-ultrahdr"});
  Recipe recipe;
  recipe.output.format = OutputFormat::Jpeg;
  recipe.output.strip_metadata = false;
  recipe.resize = ResizeSpec{200, 200, FitMode::Fill, Gravity::Attention};
  const ProcessResult out = run_ok(row.read(), recipe);
  EXPECT_FALSE(read_gain_map(out.bytes));
  EXPECT_FALSE(claims_gain_map(out.bytes));
  EXPECT_EQ(out.width, 200);
}

}  // namespace
}  // namespace pixmill::pipeline
