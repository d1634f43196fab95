#include "pipeline/perceptual_distance.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "codecs/butteraugli_distance.h"
#include "codecs/heif_decoder.h"
#include "codecs/jxl_decoder.h"
#include "pipeline/source.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

// Encoded candidates are at most the output's size: no pixel limit beyond that.
constexpr uint64_t kNoLimit = ~uint64_t{0};

VImage from_pixels(const codecs::PixelBuffer& p) { return pixels_as_image(p).copy_memory(); }

// Decodes with the same code that reads uploads; formats libvips' build lacks go
// through their codecs.
VImage decode(const std::string& encoded, OutputFormat format) {
  const std::span<const uint8_t> bytes = as_bytes(encoded);
  if (format == OutputFormat::Jxl || format == OutputFormat::Heic) {
    auto pixels = format == OutputFormat::Jxl ? codecs::jxl_decode(bytes, kNoLimit) : codecs::heif_decode(bytes, kNoLimit);
    if (!pixels) throw vips::VError("the candidate does not decode");
    return from_pixels(*pixels);
  }
  return VImage::new_from_buffer(encoded.data(), encoded.size(), "").copy_memory();
}

// 8-bit sRGB, alpha flattened onto white, scaled by `scale`: the compared form.
VImage comparable(VImage image, double scale) {
  if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.format() != VIPS_FORMAT_UCHAR) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (image.has_alpha()) image = image.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255}));
  if (image.bands() > 3) image = image.extract_band(0, VImage::option()->set("n", 3));
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  if (scale < 1.0) image = image.resize(scale);
  return image;
}

std::vector<uint8_t> to_bytes(const VImage& image) {
  size_t size = 0;
  std::unique_ptr<void, decltype(&g_free)> data(image.write_to_memory(&size), &g_free);
  const auto* begin = static_cast<const uint8_t*>(data.get());
  return std::vector<uint8_t>(begin, begin + size);
}

}  // namespace

PerceptualReference::PerceptualReference(const VImage& image, int side) {
  scale_ = std::min(1.0, static_cast<double>(side) / std::max(image.width(), image.height()));
  const VImage reference = comparable(image, scale_);
  width_ = reference.width();
  height_ = reference.height();
  pixels_ = to_bytes(reference);
}

double PerceptualReference::distance_to(const std::string& encoded, OutputFormat format) const {
  VImage candidate = comparable(decode(encoded, format), scale_);
  if (candidate.width() != width_ || candidate.height() != height_) {
    // Rounding in the resize: match the reference exactly.
    candidate = candidate.embed(0, 0, width_, height_, VImage::option()->set("extend", VIPS_EXTEND_COPY));
  }
  const std::vector<uint8_t> pixels = to_bytes(candidate);
  auto distance = codecs::butteraugli_distance(pixels_.data(), pixels.data(), width_, height_);
  if (!distance) throw vips::VError(distance.error().message.c_str());
  return *distance;
}

}  // namespace pixmill::pipeline
