#include "pipeline/steps/remove_background.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "ai/alpha_matting.h"
#include "pipeline/steps/ai_input.h"

namespace pixmill::pipeline::steps {
namespace {

using vips::VImage;

// The model sees 1024x1024; more than twice that is only copying. libvips shrinks big
// frames first (with antialiasing), the backend then stretches to its input size.
constexpr int kMaxSegmentationSide = 2048;

// `image` at exactly width x height: resize rounds its output size, so the last row or
// column is made up by copying its neighbour.
VImage resized_to(const VImage& image, int width, int height, VipsKernel kernel = VIPS_KERNEL_LANCZOS3) {
  if (image.width() == width && image.height() == height) return image;
  VImage out = image.resize(static_cast<double>(width) / image.width(),
                            VImage::option()->set("vscale", static_cast<double>(height) / image.height())->set("kernel", kernel));
  if (out.width() != width || out.height() != height) {
    out = out.embed(0, 0, width, height, VImage::option()->set("extend", VIPS_EXTEND_COPY));
  }
  return out;
}

// The alpha with its uncertain band refined against the frame's colours, at most
// kMaxSegmentationSide on a side (a bigger frame is refined on a shrunk copy and the
// refined band scaled back; what the model was sure of is never touched).
Result<VImage> refined_alpha(const VImage& colour, const VImage& alpha, ai::Segmenter& segmenter, const Deadline& deadline) {
  ai::RgbImage rgb = to_rgb(colour, kMaxSegmentationSide);
  const VImage small = resized_to(alpha, rgb.width, rgb.height);
  size_t size = 0;
  std::unique_ptr<void, decltype(&g_free)> bytes(small.cast(VIPS_FORMAT_UCHAR).write_to_memory(&size), &g_free);
  const auto* first = static_cast<const uint8_t*>(bytes.get());
  std::vector<uint8_t> values(first, first + size);
  const int width = rgb.width, height = rgb.height;
  auto refined = segmenter.refine_edges(std::move(rgb), std::move(values), ai_deadline(deadline), deadline.cancel_flag());
  if (!refined) return refined.error();
  VImage out = VImage::new_from_memory_copy(refined->data(), refined->size(), width, height, 1, VIPS_FORMAT_UCHAR);
  if (width == alpha.width() && height == alpha.height()) return out;
  out = resized_to(out, alpha.width(), alpha.height());
  const ai::MattingLimits band;
  return ((alpha > band.low) & (alpha < band.high)).ifthenelse(out.cast(VIPS_FORMAT_UCHAR), alpha);
}

}  // namespace

VImage mask_to_alpha(const ai::Mask& mask, int width, int height) {
  VImage m = VImage::new_from_memory_copy(const_cast<float*>(mask.values.data()), mask.values.size() * sizeof(float),
                                          mask.width, mask.height, 1, VIPS_FORMAT_FLOAT);
  m = resized_to(m.linear(255.0, 0.0), width, height, VIPS_KERNEL_CUBIC);
  return (m + 0.5).cast(VIPS_FORMAT_UCHAR);  // cast clips cubic overshoot into 0..255
}

Result<VImage> remove_background(VImage frame, ai::Segmenter& segmenter, const Deadline& deadline, bool refine_edges) {
  // Computed once into memory: the mask needs the pixels and so does the encoder, and a
  // sequential load cannot be read twice.
  watch_deadline(frame, deadline);
  frame = frame.copy_memory();
  auto mask = segmenter.segment(to_rgb(frame, kMaxSegmentationSide), ai_deadline(deadline), deadline.cancel_flag());
  if (!mask) return mask.error();
  VImage alpha = mask_to_alpha(*mask, frame.width(), frame.height());
  VImage colour = frame;
  if (frame.has_alpha()) colour = frame.extract_band(0, VImage::option()->set("n", frame.bands() - 1));
  if (refine_edges) {
    auto refined = refined_alpha(colour, alpha.copy_memory(), segmenter, deadline);
    if (!refined) return refined.error();
    alpha = *refined;
  }
  if (frame.has_alpha()) {
    VImage existing = frame.extract_band(frame.bands() - 1);
    alpha = (alpha.cast(VIPS_FORMAT_FLOAT) * existing / 255.0 + 0.5).cast(VIPS_FORMAT_UCHAR);
  }
  VImage out = colour.bandjoin(alpha);
  out = out.copy(VImage::option()->set("interpretation", colour.bands() >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W));
  return out;
}

}  // namespace pixmill::pipeline::steps
