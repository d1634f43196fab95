#include "info/describe.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "info/blurhash.h"
#include "info/icc_description.h"
#include "info/phash.h"
#include "info/thumbhash.h"
#include "pipeline/steps/steps.h"
#include "pipeline/vips_runtime.h"

namespace pixmill::info {
namespace {

using vips::VImage;

// Large enough for every summary below (ThumbHash wants up to 100 px), small enough that
// a JPEG decodes at 1/8 scale.
constexpr int kWorkingSide = 256;

Result<pipeline::Source> open_small(std::span<const uint8_t> bytes, const pipeline::SourceHeader& header, const recipe::Limits& limits) {
  if (header.format == recipe::InputFormat::Svg) return pipeline::open_svg_source(bytes, recipe::Size{kWorkingSide, kWorkingSide}, limits);
  pipeline::LoadOptions options;
  options.all_frames = false;
  options.sequential = true;
  options.scale = std::min(1.0, static_cast<double>(kWorkingSide) / std::max(header.width, header.height));
  return pipeline::open_source(bytes, header, options, limits);
}

// The first frame, upright, 8-bit sRGB with alpha, at most kWorkingSide a side, in memory.
VImage working_copy(const pipeline::Source& source, const core::Deadline& deadline) {
  VImage image = source.image;
  if (image.height() > source.frame_height) image = image.extract_area(0, 0, image.width(), source.frame_height);
  image = pipeline::steps::to_srgb(pipeline::steps::auto_orient(image));
  if (image.bands() - (image.has_alpha() ? 1 : 0) < 3) image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  if (!image.has_alpha()) image = image.bandjoin_const({255});
  const int longest = std::max(image.width(), image.height());
  if (longest > kWorkingSide) image = pipeline::steps::scale(image, static_cast<double>(kWorkingSide) / longest);
  image = image.cast(VIPS_FORMAT_UCHAR);
  pipeline::watch_deadline(image, deadline);
  return image.copy_memory();
}

// Fits inside side x side (never enlarges), as RGBA bytes.
struct Pixels {
  int width = 0, height = 0;
  std::vector<uint8_t> data;
  RgbaView view() const { return {width, height, data}; }
};

Pixels pixels_of(VImage rgba) {
  rgba = rgba.copy_memory();
  Pixels p;
  p.width = rgba.width();
  p.height = rgba.height();
  const auto* start = static_cast<const uint8_t*>(rgba.data());
  p.data.assign(start, start + static_cast<size_t>(p.width) * p.height * 4);
  return p;
}

Pixels fitted(const VImage& rgba, int side) {
  const int longest = std::max(rgba.width(), rgba.height());
  if (longest <= side) return pixels_of(rgba);
  return pixels_of(pipeline::steps::scale(rgba, static_cast<double>(side) / longest).cast(VIPS_FORMAT_UCHAR));
}

// BlurHash ignores alpha: transparent pixels show the white they are flattened onto.
VImage flattened_rgba(const VImage& rgba) {
  return rgba.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255})).cast(VIPS_FORMAT_UCHAR).bandjoin_const({255});
}

uint64_t phash_of(const VImage& rgba) {
  VImage grey = rgba.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255}))
                    .colourspace(VIPS_INTERPRETATION_B_W);
  grey = grey.resize(static_cast<double>(kPhashSide) / grey.width(),
                     VImage::option()->set("vscale", static_cast<double>(kPhashSide) / grey.height()));
  if (grey.width() != kPhashSide || grey.height() != kPhashSide) {
    grey = grey.embed(0, 0, kPhashSide, kPhashSide, VImage::option()->set("extend", VIPS_EXTEND_COPY));
  }
  grey = grey.cast(VIPS_FORMAT_DOUBLE).copy_memory();
  const auto* values = static_cast<const double*>(grey.data());
  return perceptual_hash({values, static_cast<size_t>(kPhashSide * kPhashSide)}).value_or(0);
}

void read_animation(const VImage& image, ImageFacts& facts) {
  if (image.get_typeof("delay") != 0) {
    facts.delays_ms = image.get_array_int("delay");
    if (static_cast<int>(facts.delays_ms.size()) > facts.header.frames) facts.delays_ms.resize(facts.header.frames);
  }
  if (facts.header.frames > 1 && image.get_typeof("loop") != 0) facts.loop = image.get_int("loop");
}

void read_profile(const VImage& image, ImageFacts& facts) {
  if (image.get_typeof("icc-profile-data") == 0) return;
  size_t size = 0;
  const void* data = image.get_blob("icc-profile-data", &size);
  facts.icc_description = icc_description({static_cast<const uint8_t*>(data), size});
}

}  // namespace

Result<ImageFacts> describe_image(std::span<const uint8_t> bytes, const recipe::Limits& limits, const DescribeOptions& options,
                                  const core::Deadline& deadline) {
  auto header = pipeline::read_header(bytes, limits);
  if (!header) return header.error();
  std::optional<pipeline::Source> source;
  try {
    auto opened = open_small(bytes, *header, limits);
    if (!opened) return opened.error();
    source.emplace(std::move(*opened));
    ImageFacts facts;
    facts.header = header->format == recipe::InputFormat::Svg ? source->header : *header;
    facts.display = facts.header.oriented();
    facts.bytes = bytes.size();
    read_animation(source->image, facts);
    read_profile(source->image, facts);
    facts.exif = summarise_exif(source->image, options.gps_position);
    const VImage rgba = working_copy(*source, deadline);
    const Pixels small = fitted(rgba, 64);
    facts.average = average_colour(small.view());
    facts.palette = dominant_colours(small.view());
    const bool portrait = rgba.height() > rgba.width();
    facts.blurhash = blurhash_encode(fitted(flattened_rgba(rgba), 64).view(), portrait ? 3 : 4, portrait ? 4 : 3).value_or("");
    facts.thumbhash = thumbhash_encode(fitted(rgba, kThumbHashMaxSide).view()).value_or(std::vector<uint8_t>{});
    facts.phash = phash_of(rgba);
    return facts;
  } catch (const vips::VError& e) {
    // The pixels decode lazily, here: the source's watch says whether the client's bytes failed.
    const bool client_bytes = source && source->decode.failed();
    Error error = client_bytes ? pipeline::decode_failure(e.what()) : pipeline::processing_failure(e.what());
    pipeline::clear_vips_error();
    if (deadline.expired()) return make_error(ErrorCode::Timeout, "processing exceeded the time limit");
    return error;
  }
}

}  // namespace pixmill::info
