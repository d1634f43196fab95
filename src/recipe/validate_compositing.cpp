// validate_compositing(): bounds of the overlay, text, frame and colour-tool fields and of
// the operations list. Field names are the native parameter names, as in validate.cpp.

#include <cmath>
#include <string>

#include "recipe/recipe.h"

namespace pixmill::recipe {

bool ColourTools::any() const {
  return gamma != 1.0 || hue != 0.0 || lightness != 1.0 || chroma != 1.0 || tint || duotone_shadow ||
         duotone_highlight || normalize || negate || pixelate > 0 || unsharp.sigma > 0.0;
}

namespace {

std::string number_text(double v) {
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

Error out_of_range(const std::string& field, double lo, double hi) {
  return make_error(ErrorCode::InvalidInput, field + " must be between " + number_text(lo) + " and " + number_text(hi),
                    field);
}

bool within(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

// A check that fails with the field's range: `if (!ok) return out_of_range(...)`, as data.
struct RangeCheck {
  const char* field;
  double value, lo, hi;
  bool off_allowed = false;  // 0 means "off" and is allowed outside [lo, hi]
};

Status run_checks(std::initializer_list<RangeCheck> checks) {
  for (const RangeCheck& c : checks) {
    if (c.off_allowed && c.value == 0.0) continue;
    if (!within(c.value, c.lo, c.hi)) return out_of_range(c.field, c.lo, c.hi);
  }
  return ok_status();
}

bool is_compass(Gravity g) { return g != Gravity::Attention && g != Gravity::Entropy; }

Status validate_placement(const Placement& p, const char* prefix) {
  const std::string p_name(prefix);
  if (!is_compass(p.gravity)) {
    return make_error(ErrorCode::InvalidInput, p_name + "Gravity must be a compass direction or centre", p_name + "Gravity");
  }
  const double m = kMaxOutputDimension;
  if (!within(p.offset_x, -m, m)) return out_of_range(p_name + "X", -m, m);
  if (!within(p.offset_y, -m, m)) return out_of_range(p_name + "Y", -m, m);
  return ok_status();
}

Status validate_overlay(const Overlay& o) {
  if (auto s = validate_placement(o.placement, "watermark"); !s) return s;
  return run_checks({{"watermarkSpacing", double(o.tile_spacing), 0, kMaxOutputDimension},
                     {"watermarkScale", o.scale, 0.01, 1.0, true},
                     {"watermarkOpacity", o.opacity, 0.0, 1.0}});
}

// Strict UTF-8 (no overlong forms, surrogates or NUL): Pango refuses anything else, and
// a NUL would end the C string early.
bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    size_t extra = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c == 0) return false;
    if (c < 0x80) {
      extra = 0;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (extra > s.size() - i - 1) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const unsigned char next = byte(i + k);
      const unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
      if (next < min || next > max) return false;
    }
    i += extra + 1;
  }
  return true;
}

Status validate_text(const TextLayer& t) {
  if (t.text.empty()) return make_error(ErrorCode::InvalidInput, "text must not be empty", "text");
  if (t.text.size() > static_cast<size_t>(kMaxTextBytes)) {
    return make_error(ErrorCode::InvalidInput, "text must be at most " + std::to_string(kMaxTextBytes) + " bytes", "text");
  }
  if (!valid_utf8(t.text)) return make_error(ErrorCode::InvalidInput, "text must be UTF-8", "text");
  if (t.font.empty() || t.font.size() > 100) return make_error(ErrorCode::InvalidInput, "font must be a font family name", "font");
  if (auto s = validate_placement(t.placement, "text"); !s) return s;
  return run_checks({{"textSize", double(t.size), 4, kMaxTextSize},
                     {"textOpacity", t.opacity, 0.0, 1.0},
                     {"textWidth", double(t.wrap_width), 1, kMaxOutputDimension, true},
                     {"textShadowOffset", double(t.shadow_offset), 0, 100},
                     {"textShadowBlur", t.shadow_blur, 0.3, 50, true},
                     {"textOutlineWidth", double(t.outline_width), 1, 50}});
}

Status validate_frame(const Frame& f) {
  const double m = kMaxOutputDimension;
  return run_checks({{"trimThreshold", f.trim.threshold, 0, 255},
                     {"radius", double(f.radius), 0, m},
                     {"border", double(f.border), 0, 1000},
                     {"extendTop", double(f.extend.top), 0, m},
                     {"extendRight", double(f.extend.right), 0, m},
                     {"extendBottom", double(f.extend.bottom), 0, m},
                     {"extendLeft", double(f.extend.left), 0, m}});
}

Status validate_colour_tools(const ColourTools& c) {
  if (c.duotone_shadow.has_value() != c.duotone_highlight.has_value()) {
    return make_error(ErrorCode::InvalidInput, "duotone needs two colours: shadow,highlight", "duotone");
  }
  return run_checks({{"gamma", c.gamma, 0.1, 10},
                     {"hue", c.hue, -360, 360},
                     {"lightness", c.lightness, 0, 3},
                     {"chroma", c.chroma, 0, 3},
                     {"pixelate", double(c.pixelate), 2, 1000, true},
                     {"unsharpSigma", c.unsharp.sigma, 0.3, 10, true},
                     {"unsharpFlat", c.unsharp.flat, 0, 10},
                     {"unsharpJagged", c.unsharp.jagged, 0, 20}});
}

Status validate_layers(const Recipe& recipe) {
  if (recipe.overlays.size() > static_cast<size_t>(kMaxOverlays)) {
    return make_error(ErrorCode::InvalidInput, "at most " + std::to_string(kMaxOverlays) + " watermarks per request", "watermark");
  }
  if (recipe.texts.size() > static_cast<size_t>(kMaxTextLayers)) {
    return make_error(ErrorCode::InvalidInput, "at most " + std::to_string(kMaxTextLayers) + " text layers per request", "text");
  }
  for (const Overlay& o : recipe.overlays) {
    if (auto s = validate_overlay(o); !s) return s;
  }
  for (const TextLayer& t : recipe.texts) {
    if (auto s = validate_text(t); !s) return s;
  }
  return ok_status();
}

}  // namespace

Status validate_compositing(const Recipe& recipe) {
  if (auto s = validate_layers(recipe); !s) return s;
  if (auto s = validate_frame(recipe.frame); !s) return s;
  if (auto s = validate_colour_tools(recipe.colour_tools); !s) return s;
  if (recipe.operations.size() > static_cast<size_t>(kMaxOperations)) {
    return make_error(ErrorCode::InvalidInput, "at most " + std::to_string(kMaxOperations) + " operations", "operations");
  }
  size_t layers = recipe.overlays.size(), texts = recipe.texts.size();
  for (const Recipe& step : recipe.operations) {
    if (!step.operations.empty()) {
      return make_error(ErrorCode::InvalidInput, "operations cannot be nested", "operations");
    }
    if (auto s = validate(step); !s) return s;
    layers += step.overlays.size();
    texts += step.texts.size();
  }
  // The per-request totals, whichever way the layers were spread over the passes.
  if (layers > static_cast<size_t>(kMaxOverlays)) {
    return make_error(ErrorCode::InvalidInput, "at most " + std::to_string(kMaxOverlays) + " watermarks per request", "watermark");
  }
  if (texts > static_cast<size_t>(kMaxTextLayers)) {
    return make_error(ErrorCode::InvalidInput, "at most " + std::to_string(kMaxTextLayers) + " text layers per request", "text");
  }
  return ok_status();
}

}  // namespace pixmill::recipe
