#include "pipeline/steps/remove_background.h"

#include <algorithm>

namespace pixmill::pipeline::steps {
namespace {

using vips::VImage;

// The model sees 1024x1024; more than twice that is only copying. libvips shrinks big
// frames first (with antialiasing), the backend then stretches to its input size.
constexpr int kMaxSegmentationSide = 2048;

ai::RgbImage to_rgb(VImage frame) {
  VImage colour = frame.has_alpha() ? frame.extract_band(0, VImage::option()->set("n", frame.bands() - 1)) : frame;
  if (colour.bands() < 3) colour = colour.colourspace(VIPS_INTERPRETATION_sRGB);
  if (colour.format() != VIPS_FORMAT_UCHAR) colour = colour.cast(VIPS_FORMAT_UCHAR);
  const int longest = std::max(colour.width(), colour.height());
  if (longest > kMaxSegmentationSide) colour = colour.resize(static_cast<double>(kMaxSegmentationSide) / longest);
  colour = colour.copy_memory();
  ai::RgbImage rgb;
  rgb.width = colour.width();
  rgb.height = colour.height();
  const auto* data = static_cast<const uint8_t*>(colour.data());
  rgb.pixels.assign(data, data + size_t(rgb.width) * rgb.height * 3);
  return rgb;
}

}  // namespace

VImage mask_to_alpha(const ai::Mask& mask, int width, int height) {
  VImage m = VImage::new_from_memory_copy(const_cast<float*>(mask.values.data()), mask.values.size() * sizeof(float),
                                          mask.width, mask.height, 1, VIPS_FORMAT_FLOAT);
  m = m.linear(255.0, 0.0);
  const double h = static_cast<double>(width) / mask.width;
  const double v = static_cast<double>(height) / mask.height;
  m = m.resize(h, VImage::option()->set("vscale", v)->set("kernel", VIPS_KERNEL_CUBIC));
  // resize rounds the output size; make it exact, then clip cubic overshoot into 0..255.
  if (m.width() != width || m.height() != height) {
    m = m.embed(0, 0, width, height, VImage::option()->set("extend", VIPS_EXTEND_COPY));
  }
  return (m + 0.5).cast(VIPS_FORMAT_UCHAR);  // cast clips to the format's range
}

Result<VImage> remove_background(VImage frame, ai::Segmenter& segmenter, const Deadline& deadline) {
  const auto remaining = deadline.remaining();
  const auto now = ai::Segmenter::Clock::now();
  const auto until = remaining > std::chrono::hours(24) ? now + std::chrono::hours(24) : now + remaining;
  // Computed once into memory: the mask needs the pixels and so does the encoder, and a
  // sequential load cannot be read twice.
  watch_deadline(frame, deadline);
  frame = frame.copy_memory();
  auto mask = segmenter.segment(to_rgb(frame), until, deadline.cancel_flag());
  if (!mask) return mask.error();
  VImage alpha = mask_to_alpha(*mask, frame.width(), frame.height());
  VImage colour = frame;
  if (frame.has_alpha()) {
    colour = frame.extract_band(0, VImage::option()->set("n", frame.bands() - 1));
    VImage existing = frame.extract_band(frame.bands() - 1);
    alpha = (alpha.cast(VIPS_FORMAT_FLOAT) * existing / 255.0 + 0.5).cast(VIPS_FORMAT_UCHAR);
  }
  VImage out = colour.bandjoin(alpha);
  out = out.copy(VImage::option()->set("interpretation", colour.bands() >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W));
  return out;
}

}  // namespace pixmill::pipeline::steps
