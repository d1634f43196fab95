#include <algorithm>
#include <cmath>

#include "pipeline/steps/steps.h"

namespace pixmill::pipeline::steps {
namespace {

VipsBlendMode vips_blend(BlendMode mode) {
  switch (mode) {
    case BlendMode::Over: return VIPS_BLEND_MODE_OVER;
    case BlendMode::Multiply: return VIPS_BLEND_MODE_MULTIPLY;
    case BlendMode::Screen: return VIPS_BLEND_MODE_SCREEN;
    case BlendMode::Overlay: return VIPS_BLEND_MODE_OVERLAY;
    case BlendMode::SoftLight: return VIPS_BLEND_MODE_SOFT_LIGHT;
    case BlendMode::HardLight: return VIPS_BLEND_MODE_HARD_LIGHT;
    case BlendMode::Darken: return VIPS_BLEND_MODE_DARKEN;
    case BlendMode::Lighten: return VIPS_BLEND_MODE_LIGHTEN;
    case BlendMode::ColourDodge: return VIPS_BLEND_MODE_COLOUR_DODGE;
    case BlendMode::ColourBurn: return VIPS_BLEND_MODE_COLOUR_BURN;
    case BlendMode::Difference: return VIPS_BLEND_MODE_DIFFERENCE;
    case BlendMode::Exclusion: return VIPS_BLEND_MODE_EXCLUSION;
    case BlendMode::Add: return VIPS_BLEND_MODE_ADD;
  }
  return VIPS_BLEND_MODE_OVER;
}

// composite2 answers in the compositing space with an alpha band; the base keeps its own
// shape: no alpha band when it had none (an opaque base stays opaque whatever the mode).
// Only the part of the base under the layer is composited and put back: composite2 would
// otherwise blend every pixel of a large image for a small logo.
VImage composite_at(VImage base, VImage layer, int x, int y, VipsBlendMode mode) {
  const int left = std::max(0, x), top = std::max(0, y);
  const int right = std::min(base.width(), x + layer.width()), bottom = std::min(base.height(), y + layer.height());
  if (right <= left || bottom <= top) return base;
  if (base.bands() - (base.has_alpha() ? 1 : 0) < 3) base = base.colourspace(VIPS_INTERPRETATION_sRGB);
  const bool base_alpha = base.has_alpha();
  VImage region = base.extract_area(left, top, right - left, bottom - top);
  VImage out = region.composite2(layer, mode, VImage::option()->set("x", x - left)->set("y", y - top));
  if (out.format() != VIPS_FORMAT_UCHAR) out = out.cast(VIPS_FORMAT_UCHAR);
  if (!base_alpha && out.has_alpha()) out = out.extract_band(0, VImage::option()->set("n", out.bands() - 1));
  if (left == 0 && top == 0 && out.width() == base.width() && out.height() == base.height()) return out;
  return base.insert(out, left, top);
}

VImage with_opacity(VImage layer, double opacity) {
  if (opacity >= 1.0) return layer;
  VImage colour = layer.extract_band(0, VImage::option()->set("n", layer.bands() - 1));
  VImage alpha = (layer.extract_band(layer.bands() - 1) * opacity + 0.5).cast(VIPS_FORMAT_UCHAR);
  return colour.bandjoin(alpha).copy(VImage::option()->set("interpretation", layer.interpretation()));
}

// The overlay repeated over the whole base, `spacing` transparent pixels between copies.
VImage tiled(VImage layer, int spacing, int width, int height) {
  const int cell_w = layer.width() + spacing, cell_h = layer.height() + spacing;
  VImage cell = layer.embed(0, 0, cell_w, cell_h, VImage::option()->set("extend", VIPS_EXTEND_BLACK));
  const int across = (width + cell_w - 1) / cell_w, down = (height + cell_h - 1) / cell_h;
  return cell.replicate(across, down).extract_area(0, 0, width, height);
}

}  // namespace

std::pair<int, int> layer_position(int base_w, int base_h, int w, int h, const Placement& p) {
  int x = (base_w - w) / 2 + p.offset_x;
  int y = (base_h - h) / 2 + p.offset_y;
  switch (p.gravity) {
    case Gravity::West: case Gravity::NorthWest: case Gravity::SouthWest: x = p.offset_x; break;
    case Gravity::East: case Gravity::NorthEast: case Gravity::SouthEast: x = base_w - w - p.offset_x; break;
    default: break;
  }
  switch (p.gravity) {
    case Gravity::North: case Gravity::NorthWest: case Gravity::NorthEast: y = p.offset_y; break;
    case Gravity::South: case Gravity::SouthWest: case Gravity::SouthEast: y = base_h - h - p.offset_y; break;
    default: break;
  }
  return {x, y};
}

VImage place_layer(VImage image, VImage layer, const Placement& placement, int margin) {
  const auto [x, y] =
      layer_position(image.width(), image.height(), layer.width() - 2 * margin, layer.height() - 2 * margin, placement);
  return composite_at(image, layer, x - margin, y - margin, VIPS_BLEND_MODE_OVER);
}

// `decoded` is the overlay as 8-bit sRGB with alpha (pipeline/overlay_image.h). Scale is
// relative to this base, so an overlay keeps its share of the picture at any output size.
VImage watermark(VImage image, const Overlay& overlay, VImage decoded) {
  VImage layer = decoded;
  if (overlay.scale > 0.0) {
    const int target = std::max(1, static_cast<int>(std::lround(image.width() * overlay.scale)));
    if (target != layer.width()) layer = scale(layer, static_cast<double>(target) / layer.width());
  }
  layer = with_opacity(layer, overlay.opacity);
  const VipsBlendMode mode = vips_blend(overlay.blend);
  if (overlay.tile) return composite_at(image, tiled(layer, overlay.tile_spacing, image.width(), image.height()), 0, 0, mode);
  const auto [x, y] = layer_position(image.width(), image.height(), layer.width(), layer.height(), overlay.placement);
  return composite_at(image, layer, x, y, mode);
}

}  // namespace pixmill::pipeline::steps
