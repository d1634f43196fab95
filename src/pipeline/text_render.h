#pragma once
// Rendering a text layer with libvips text (Pango, HarfBuzz, fontconfig): plain UTF-8
// in, an 8-bit sRGB image with alpha out, with room around the glyphs for the outline
// and the shadow. Limits are checked before anything is rendered.

#include <vips/vips8>

#include "core/result.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

struct RenderedText {
  vips::VImage image;  // sRGB + alpha
  int margin = 0;      // transparent pixels on each side of the text box (outline, shadow)
};

// Pixels a text layer may cover before it is rendered (estimated from its length and
// size): far above any caption, far below what would exhaust memory.
inline constexpr double kMaxTextPixels = 40'000'000;

// `base_width` is the width of the image the text goes on: it sets the default wrap
// width. Errors: InvalidInput for an unknown font or text too large to render.
Result<RenderedText> render_text(const TextLayer& layer, int base_width);

// The wrap width a layer gets on a base this wide: its own, else the base less its offsets.
int effective_wrap_width(const TextLayer& layer, int base_width);

// Pango markup is not ours to accept: <, > and & are escaped so the text stays text.
std::string escape_markup(const std::string& text);

}  // namespace pixmill::pipeline
