#include "pipeline/compose.h"

#include "core/bytes.h"
#include "pipeline/layer_memo.h"
#include "pipeline/overlay_image.h"
#include "pipeline/steps/steps.h"
#include "pipeline/text_render.h"

namespace pixmill::pipeline {

using vips::VImage;

Result<VImage> LayerCache::overlay(const Overlay& overlay) {
  if (auto it = overlays_.find(&overlay); it != overlays_.end()) return it->second;
  if (!overlay.source.bytes || overlay.source.bytes->empty()) {
    return make_error(ErrorCode::InvalidInput, "watermark: no image for " + overlay.source.reference.substr(0, 64), "watermark");
  }
  LayerMemo& memo = LayerMemo::shared();
  std::optional<VImage> decoded = memo.overlay(overlay.source.bytes);
  if (!decoded) {
    auto fresh = decode_overlay(as_bytes(*overlay.source.bytes), limits_);
    if (!fresh) return fresh.error();
    memo.keep_overlay(overlay.source.bytes, *fresh);
    decoded = *fresh;
  }
  overlays_.emplace(&overlay, *decoded);
  return *decoded;
}

Result<std::pair<VImage, int>> LayerCache::text(const TextLayer& layer, int base_width) {
  const auto key = std::make_pair(&layer, base_width);
  if (auto it = texts_.find(key); it != texts_.end()) return it->second;
  LayerMemo& memo = LayerMemo::shared();
  const int wrap_width = effective_wrap_width(layer, base_width);
  std::optional<RenderedText> rendered = memo.text(layer, wrap_width);
  if (!rendered) {
    auto fresh = render_text(layer, base_width);
    if (!fresh) return fresh.error();
    memo.keep_text(layer, wrap_width, *fresh);
    rendered = *fresh;
  }
  auto entry = std::make_pair(rendered->image, rendered->margin);
  texts_.emplace(key, entry);
  return entry;
}

namespace {

bool uses_compositing_here(const Recipe& r) {
  return r.colour_tools.any() || !r.overlays.empty() || !r.texts.empty() || r.frame.any() || r.frame.trim.enabled;
}

bool makes_alpha_here(const Recipe& r) {
  const Frame& f = r.frame;
  const bool extend_clear = f.extend.any() && f.extend_colour.value_or(r.background).a < 255;
  return f.radius > 0 || f.mask != MaskShape::None || (f.border > 0 && f.border_colour.a < 255) || extend_clear;
}

}  // namespace

bool uses_compositing(const Recipe& recipe) { return uses_compositing_here(recipe) || !recipe.operations.empty(); }

bool makes_alpha(const Recipe& recipe) {
  if (makes_alpha_here(recipe)) return true;
  for (const Recipe& step : recipe.operations) {
    if (makes_alpha_here(step) || step.remove_background) return true;
  }
  return false;
}

bool compositing_needs_random_access(const Recipe& recipe) {
  return recipe.frame.trim.enabled || recipe.colour_tools.normalize || !recipe.operations.empty();
}

VImage apply_colour_tools(VImage image, const ColourTools& tools) {
  if (!tools.any()) return image;
  image = steps::modulate(image, tools);
  image = steps::gamma(image, tools);
  image = steps::normalize(image, tools);
  image = steps::tint(image, tools);
  image = steps::duotone(image, tools);
  image = steps::negate(image, tools);
  image = steps::unsharp(image, tools);
  image = steps::pixelate(image, tools);
  return image;
}

Result<VImage> apply_layers(VImage image, const Recipe& recipe, LayerCache& cache) {
  for (const Overlay& overlay : recipe.overlays) {
    auto decoded = cache.overlay(overlay);
    if (!decoded) return decoded.error();
    image = steps::watermark(image, overlay, *decoded);
  }
  for (const TextLayer& layer : recipe.texts) {
    auto rendered = cache.text(layer, image.width());
    if (!rendered) return rendered.error();
    image = steps::place_layer(image, rendered->first, layer.placement, rendered->second);
  }
  return image;
}

VImage apply_frame(VImage image, const Recipe& recipe) {
  image = steps::mask(image, recipe.frame);
  image = steps::border(image, recipe.frame);
  image = steps::extend(image, recipe.frame, recipe.background);
  return image;
}

}  // namespace pixmill::pipeline
