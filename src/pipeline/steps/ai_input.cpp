#include "pipeline/steps/ai_input.h"

#include <algorithm>

namespace pixmill::pipeline::steps {

using vips::VImage;

ai::RgbImage to_rgb(VImage frame, int max_side) {
  VImage colour = frame.has_alpha() ? frame.extract_band(0, VImage::option()->set("n", frame.bands() - 1)) : frame;
  if (colour.bands() < 3) colour = colour.colourspace(VIPS_INTERPRETATION_sRGB);
  if (colour.format() != VIPS_FORMAT_UCHAR) colour = colour.cast(VIPS_FORMAT_UCHAR);
  const int longest = std::max(colour.width(), colour.height());
  if (longest > max_side) colour = colour.resize(static_cast<double>(max_side) / longest);
  colour = colour.copy_memory();
  ai::RgbImage rgb;
  rgb.width = colour.width();
  rgb.height = colour.height();
  const auto* data = static_cast<const uint8_t*>(colour.data());
  rgb.pixels.assign(data, data + size_t(rgb.width) * rgb.height * 3);
  return rgb;
}

std::chrono::steady_clock::time_point ai_deadline(const Deadline& deadline) {
  const auto remaining = deadline.remaining();
  const auto now = std::chrono::steady_clock::now();
  return remaining > std::chrono::hours(24) ? now + std::chrono::hours(24) : now + remaining;
}

}  // namespace pixmill::pipeline::steps
