#include "pipeline/text_render.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "pipeline/font_lookup.h"
#include "pipeline/steps/steps.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

size_t code_points(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

VipsAlign vips_align(TextAlign align) {
  switch (align) {
    case TextAlign::Centre: return VIPS_ALIGN_CENTRE;
    case TextAlign::Right: return VIPS_ALIGN_HIGH;
    case TextAlign::Left: break;
  }
  return VIPS_ALIGN_LOW;
}

// A disc of the given radius as a morphology mask: 255 must be set, 128 do not care.
VImage disc(int radius) {
  const int side = 2 * radius + 1;
  VImage m = VImage::new_matrix(side, side);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const double d = std::hypot(x - radius, y - radius);
      *VIPS_MATRIX(m.get_image(), x, y) = d <= radius + 0.5 ? 255.0 : 128.0;
    }
  }
  return m;
}

// The glyph coverage grown by `width` pixels: binarise, dilate by a disc, soften the
// staircase edge by half a pixel.
VImage dilate(VImage coverage, int width) {
  VImage binary = (coverage > 64).cast(VIPS_FORMAT_UCHAR);
  VImage grown = binary.morph(disc(width), VIPS_OPERATION_MORPHOLOGY_DILATE);
  return grown.gaussblur(0.5).cast(VIPS_FORMAT_UCHAR);
}

// One colour over the whole canvas, its alpha the coverage scaled by the colour's alpha.
VImage coloured(VImage coverage, Colour colour) {
  VImage fill = coverage.new_from_image({double(colour.r), double(colour.g), double(colour.b)});
  VImage alpha = (coverage.cast(VIPS_FORMAT_FLOAT) * (colour.a / 255.0) + 0.5).cast(VIPS_FORMAT_UCHAR);
  return fill.cast(VIPS_FORMAT_UCHAR).bandjoin(alpha).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

int margin_for(const TextLayer& layer) {
  int margin = 1;
  if (layer.outline) margin += layer.outline_width;
  if (layer.shadow) margin += layer.shadow_offset + static_cast<int>(std::ceil(3 * layer.shadow_blur));
  return margin;
}

VImage glyph_coverage(const TextLayer& layer, const FontMatch& font, int wrap_width) {
  const std::string description = font.family + (layer.bold ? " Bold " : " ") + std::to_string(layer.size);
  // dpi 72: one point is one pixel, so the size is the em in pixels.
  VImage coverage = VImage::text(escape_markup(layer.text).c_str(), VImage::option()
                                                                       ->set("font", description.c_str())
                                                                       ->set("fontfile", font.file.c_str())
                                                                       ->set("dpi", 72)
                                                                       ->set("width", wrap_width)
                                                                       ->set("wrap", VIPS_TEXT_WRAP_WORD_CHAR)
                                                                       ->set("align", vips_align(layer.align)));
  return coverage;
}

}  // namespace

int effective_wrap_width(const TextLayer& layer, int base_width) {
  if (layer.wrap_width > 0) return layer.wrap_width;
  return std::max(layer.size, base_width - 2 * std::abs(layer.placement.offset_x));
}

std::string escape_markup(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      default: out += c;
    }
  }
  return out;
}

Result<RenderedText> render_text(const TextLayer& layer, int base_width) {
  const double estimate = static_cast<double>(code_points(layer.text)) * layer.size * layer.size;
  if (estimate > kMaxTextPixels) {
    return make_error(ErrorCode::InvalidInput, "text is too large to render: use less text or a smaller textSize", "text");
  }
  auto font = find_font(layer.font, layer.bold);
  if (!font) return font.error();
  const int wrap_width = effective_wrap_width(layer, base_width);
  // Text that is only white space has no ink: libvips refuses to render it.
  if (layer.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return RenderedText{VImage::black(1, 1, VImage::option()->set("bands", 4)).copy(
                            VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB)), 0};
  }
  VImage glyphs = glyph_coverage(layer, *font, wrap_width);
  const int margin = margin_for(layer);
  VImage coverage = glyphs.embed(margin, margin, glyphs.width() + 2 * margin, glyphs.height() + 2 * margin);
  std::vector<VImage> layers;
  VImage outline = layer.outline ? dilate(coverage, layer.outline_width) : coverage;
  if (layer.shadow) {
    const int d = layer.shadow_offset;
    VImage shadow = outline.embed(d, d, outline.width(), outline.height());
    if (layer.shadow_blur > 0) shadow = shadow.gaussblur(layer.shadow_blur).cast(VIPS_FORMAT_UCHAR);
    layers.push_back(coloured(shadow, *layer.shadow));
  }
  if (layer.outline) layers.push_back(coloured(outline, *layer.outline));
  layers.push_back(coloured(coverage, layer.colour));
  VImage stacked = layers.front();
  for (size_t i = 1; i < layers.size(); ++i) stacked = stacked.composite2(layers[i], VIPS_BLEND_MODE_OVER);
  if (stacked.format() != VIPS_FORMAT_UCHAR) stacked = stacked.cast(VIPS_FORMAT_UCHAR);
  // Opacity applies to the stack as one layer: the shadow must not show through the text.
  if (layer.opacity < 1.0) {
    VImage alpha = (stacked.extract_band(3) * layer.opacity + 0.5).cast(VIPS_FORMAT_UCHAR);
    stacked = stacked.extract_band(0, VImage::option()->set("n", 3)).bandjoin(alpha);
  }
  return RenderedText{stacked.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB)).copy_memory(), margin};
}

}  // namespace pixmill::pipeline
