// The native parameters for watermarks, text, shape and frame, and colour tools
// (docs/compositing.md). Layer parameters build lists: each `watermark` (or `text`) value
// starts a new layer unless the newest one is still waiting for its source, and every
// modifier (watermarkGravity, textSize, …) applies to the newest layer, creating one if
// none exists yet. So `?watermark=a&watermarkGravity=north&watermark=b` gives two
// watermarks, and modifiers may come before a multipart part that they qualify.

#include <charconv>

#include "core/text.h"
#include "dialects/native_params.h"
#include "recipe/overlay_source.h"

namespace pixmill::dialects {
namespace {

using Apply = std::function<Status(recipe::Recipe&, const ParamValue&)>;

Status ok() { return ok_status(); }

ParamSpec spec(std::string name, std::vector<std::string> aliases, ParamType type, double min, double max,
               std::string def, std::string doc, Apply apply, std::vector<std::string> choices = {}) {
  return ParamSpec{std::move(name), std::move(aliases), type, min, max, std::move(choices), std::move(def), std::move(doc), std::move(apply)};
}

const std::vector<std::string> kCompass = {"center", "centre", "north", "northeast", "east", "southeast", "south",
                                           "southwest", "west", "northwest", "top", "bottom", "left", "right"};

struct BlendName {
  const char* name;
  recipe::BlendMode mode;
};
constexpr BlendName kBlends[] = {
    {"over", recipe::BlendMode::Over},           {"multiply", recipe::BlendMode::Multiply},      {"screen", recipe::BlendMode::Screen},
    {"overlay", recipe::BlendMode::Overlay},     {"soft-light", recipe::BlendMode::SoftLight},   {"hard-light", recipe::BlendMode::HardLight},
    {"darken", recipe::BlendMode::Darken},       {"lighten", recipe::BlendMode::Lighten},        {"colour-dodge", recipe::BlendMode::ColourDodge},
    {"colour-burn", recipe::BlendMode::ColourBurn}, {"difference", recipe::BlendMode::Difference}, {"exclusion", recipe::BlendMode::Exclusion},
    {"add", recipe::BlendMode::Add},
};

std::vector<std::string> blend_names() {
  std::vector<std::string> names;
  for (const auto& b : kBlends) names.push_back(b.name);
  return names;
}

recipe::BlendMode blend_from(const std::string& v) {
  for (const auto& b : kBlends) {
    if (v == b.name) return b.mode;
  }
  return recipe::BlendMode::Over;
}

// ---- layer lists

recipe::Overlay& newest_overlay(recipe::Recipe& r) {
  if (r.overlays.empty()) r.overlays.emplace_back();
  return r.overlays.back();
}

recipe::TextLayer& newest_text(recipe::Recipe& r) {
  if (r.texts.empty()) r.texts.emplace_back();
  return r.texts.back();
}

// Refuses before the list grows without bound (1,000 overlays in one query string).
Status room_for_layer(size_t count, int max, const char* field) {
  if (count >= static_cast<size_t>(max)) {
    return make_error(ErrorCode::InvalidInput, std::string("at most ") + std::to_string(max) + " " + field + " layers per request", field);
  }
  return ok();
}

Status apply_watermark(recipe::Recipe& r, const ParamValue& v) {
  if (v.text.empty()) return make_error(ErrorCode::InvalidInput, "watermark must name an image", "watermark");
  const bool waiting = !r.overlays.empty() && r.overlays.back().source.reference.empty();
  if (!waiting) {
    if (auto s = room_for_layer(r.overlays.size(), recipe::kMaxOverlays, "watermark"); !s) return s;
    r.overlays.emplace_back();
  }
  r.overlays.back().source = recipe::overlay_source_from(v.text);
  return ok();
}

Status apply_text(recipe::Recipe& r, const ParamValue& v) {
  const bool waiting = !r.texts.empty() && r.texts.back().text.empty();
  if (!waiting) {
    if (auto s = room_for_layer(r.texts.size(), recipe::kMaxTextLayers, "text"); !s) return s;
    r.texts.emplace_back();
  }
  r.texts.back().text = v.text;
  return ok();
}

Apply on_overlay(void (*set)(recipe::Overlay&, const ParamValue&)) {
  return [set](recipe::Recipe& r, const ParamValue& v) {
    set(newest_overlay(r), v);
    return ok();
  };
}

Apply on_text(void (*set)(recipe::TextLayer&, const ParamValue&)) {
  return [set](recipe::Recipe& r, const ParamValue& v) {
    set(newest_text(r), v);
    return ok();
  };
}

// ---- frame and colour

// CSS-like: "10" (all sides), "10,20" (vertical, horizontal), "10,20,30" (top,
// horizontal, bottom) or "10,20,30,40" (top, right, bottom, left).
Status apply_extend_text(recipe::Recipe& r, const ParamValue& v) {
  std::vector<int> values;
  for (const auto& item : core::split_comma_list(v.text)) {
    int n = -1;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    if (ec != std::errc() || end != item.data() + item.size() || n < 0 || n > recipe::kMaxOutputDimension) {
      values.clear();
      break;
    }
    values.push_back(n);
  }
  recipe::Sides& s = r.frame.extend;
  switch (values.size()) {
    case 1: s = {values[0], values[0], values[0], values[0]}; return ok();
    case 2: s = {values[0], values[1], values[0], values[1]}; return ok();
    case 3: s = {values[0], values[1], values[2], values[1]}; return ok();
    case 4: s = {values[0], values[1], values[2], values[3]}; return ok();
    default: break;
  }
  return make_error(ErrorCode::InvalidInput,
                    "extend must be 1 to 4 comma-separated pixel counts (top,right,bottom,left), each 0.." +
                        std::to_string(recipe::kMaxOutputDimension),
                    "extend");
}

Status apply_duotone(recipe::Recipe& r, const ParamValue& v) {
  const auto colours = core::split_comma_list(v.text);
  std::optional<recipe::Colour> dark, light;
  if (colours.size() == 2) {
    dark = recipe::parse_colour(colours[0]);
    light = recipe::parse_colour(colours[1]);
  }
  if (!dark || !light) {
    return make_error(ErrorCode::InvalidInput, "duotone must be two colours: shadow,highlight (e.g. #202050,#f0e0a0)", "duotone");
  }
  r.colour_tools.duotone_shadow = dark;
  r.colour_tools.duotone_highlight = light;
  return ok();
}

void add_watermark_params(ParamTable& t) {
  using T = ParamType;
  const double m = recipe::kMaxOutputDimension;
  t.push_back(spec("watermark", {"wm"}, T::Text, 0, 0, "",
                   "Watermark image: an http(s) URL, the name of a file in WATERMARKS_DIR, or a multipart file part named "
                   "watermark; repeat for several, applied in order",
                   apply_watermark));
  t.push_back(spec("watermarkGravity", {"wmGravity"}, T::Enum, 0, 0, "center", "Where the newest watermark sits",
                   on_overlay([](recipe::Overlay& o, const ParamValue& v) { o.placement.gravity = gravity_from(v.text); }), kCompass));
  t.push_back(spec("watermarkX", {"wmX"}, T::Integer, -m, m, "0", "Horizontal offset in pixels, away from the anchored edge",
                   on_overlay([](recipe::Overlay& o, const ParamValue& v) { o.placement.offset_x = static_cast<int>(v.integer); })));
  t.push_back(spec("watermarkY", {"wmY"}, T::Integer, -m, m, "0", "Vertical offset in pixels, away from the anchored edge",
                   on_overlay([](recipe::Overlay& o, const ParamValue& v) { o.placement.offset_y = static_cast<int>(v.integer); })));
  t.push_back(spec("watermarkScale", {"wmScale"}, T::Number, 0, 1, "0", "Watermark width as a fraction of the image width (0: as is)",
                   on_overlay([](recipe::Overlay& o, const ParamValue& v) { o.scale = v.number > 0 && v.number < 0.01 ? 0.01 : v.number; })));
  t.push_back(spec("watermarkOpacity", {"wmOpacity"}, T::Number, 0, 1, "1", "Watermark opacity, 0 to 1",
                   on_overlay([](recipe::Overlay& o, const ParamValue& v) { o.opacity = v.number; })));
  t.push_back(spec("watermarkBlend", {"wmBlend", "blend"}, T::Enum, 0, 0, "over", "How the watermark's colour meets the image",
                   on_overlay([](recipe::Overlay& o, const ParamValue& v) { o.blend = blend_from(v.text); }), blend_names()));
  t.push_back(spec("watermarkTile", {"wmTile"}, T::Boolean, 0, 1, "false", "Repeat the watermark over the whole image",
                   on_overlay([](recipe::Overlay& o, const ParamValue& v) { o.tile = v.boolean; })));
  t.push_back(spec("watermarkSpacing", {"wmSpacing"}, T::Integer, 0, m, "0", "Pixels between tiled copies",
                   on_overlay([](recipe::Overlay& o, const ParamValue& v) { o.tile_spacing = static_cast<int>(v.integer); })));
}

void add_text_params(ParamTable& t) {
  using T = ParamType;
  const double m = recipe::kMaxOutputDimension;
  t.push_back(spec("text", {}, T::Text, 0, 0, "", "A text layer (UTF-8, at most 2000 bytes); repeat for several", apply_text));
  t.push_back(spec("font", {"textFont"}, T::Text, 0, 0, "DejaVu Sans", "Font family of the newest text layer (installed fonts)",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.font = v.text; })));
  t.push_back(spec("textBold", {}, T::Boolean, 0, 1, "false", "Bold weight",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.bold = v.boolean; })));
  t.push_back(spec("textSize", {"fontSize"}, T::Integer, 4, recipe::kMaxTextSize, "32", "Text size in pixels (the em)",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.size = static_cast<int>(v.integer); })));
  t.push_back(spec("textColor", {"textColour", "fontColor"}, T::Colour, 0, 0, "#ffffff", "Text colour",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.colour = v.colour; })));
  t.push_back(spec("textOpacity", {}, T::Number, 0, 1, "1", "Text opacity, 0 to 1",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.opacity = v.number; })));
  t.push_back(spec("textGravity", {}, T::Enum, 0, 0, "center", "Where the text sits",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.placement.gravity = gravity_from(v.text); }), kCompass));
  t.push_back(spec("textX", {}, T::Integer, -m, m, "0", "Horizontal offset in pixels, away from the anchored edge",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.placement.offset_x = static_cast<int>(v.integer); })));
  t.push_back(spec("textY", {}, T::Integer, -m, m, "0", "Vertical offset in pixels, away from the anchored edge",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.placement.offset_y = static_cast<int>(v.integer); })));
  t.push_back(spec("textWidth", {"textWrap"}, T::Integer, 0, m, "image width", "Wrap lines at this width in pixels",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.wrap_width = static_cast<int>(v.integer); })));
  t.push_back(spec("textAlign", {}, T::Enum, 0, 0, "left", "Alignment of wrapped lines",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) {
                     l.align = v.text == "right" ? recipe::TextAlign::Right : v.text == "left" ? recipe::TextAlign::Left : recipe::TextAlign::Centre;
                   }),
                   {"left", "center", "centre", "right"}));
  t.push_back(spec("textShadow", {}, T::Colour, 0, 0, "", "Drop-shadow colour (none unless set)",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.shadow = v.colour; })));
  t.push_back(spec("textShadowOffset", {}, T::Integer, 0, 100, "2", "Shadow offset in pixels (right and down)",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.shadow_offset = static_cast<int>(v.integer); })));
  t.push_back(spec("textShadowBlur", {}, T::Number, 0, 50, "0", "Shadow blur sigma in pixels",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.shadow_blur = v.number > 0 && v.number < 0.3 ? 0.3 : v.number; })));
  t.push_back(spec("textOutline", {}, T::Colour, 0, 0, "", "Outline colour (none unless set)",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.outline = v.colour; })));
  t.push_back(spec("textOutlineWidth", {}, T::Integer, 1, 20, "2", "Outline width in pixels",
                   on_text([](recipe::TextLayer& l, const ParamValue& v) { l.outline_width = static_cast<int>(v.integer); })));
}

void add_frame_params(ParamTable& t) {
  using T = ParamType;
  const double m = recipe::kMaxOutputDimension;
  t.push_back(spec("trim", {}, T::Boolean, 0, 1, "false", "Trim a uniform border (colour of the top-left pixel unless trimColor)",
                   [](recipe::Recipe& r, const ParamValue& v) { r.frame.trim.enabled = v.boolean; return ok(); }));
  t.push_back(spec("trimThreshold", {}, T::Number, 0, 255, "10", "How far from the border colour still counts as border (implies trim)",
                   [](recipe::Recipe& r, const ParamValue& v) { r.frame.trim.enabled = true; r.frame.trim.threshold = v.number; return ok(); }));
  t.push_back(spec("trimColor", {"trimColour"}, T::Colour, 0, 0, "auto", "Border colour to trim (implies trim)",
                   [](recipe::Recipe& r, const ParamValue& v) { r.frame.trim.enabled = true; r.frame.trim.background = v.colour; return ok(); }));
  t.push_back(spec("radius", {"cornerRadius"}, T::Integer, 0, m, "0", "Rounded corners, radius in pixels",
                   [](recipe::Recipe& r, const ParamValue& v) { r.frame.radius = static_cast<int>(v.integer); return ok(); }));
  t.push_back(spec("mask", {}, T::Enum, 0, 0, "none", "Shape mask: transparent outside (background colour without alpha)",
                   [](recipe::Recipe& r, const ParamValue& v) {
                     r.frame.mask = v.text == "circle" ? recipe::MaskShape::Circle : v.text == "ellipse" ? recipe::MaskShape::Ellipse : recipe::MaskShape::None;
                     return ok();
                   },
                   {"none", "circle", "ellipse"}));
  t.push_back(spec("border", {}, T::Integer, 0, 1000, "0", "Border width in pixels on every side (follows a mask)",
                   [](recipe::Recipe& r, const ParamValue& v) { r.frame.border = static_cast<int>(v.integer); return ok(); }));
  t.push_back(spec("borderColor", {"borderColour"}, T::Colour, 0, 0, "#000000", "Border colour",
                   [](recipe::Recipe& r, const ParamValue& v) { r.frame.border_colour = v.colour; return ok(); }));
  t.push_back(spec("extend", {"padding"}, T::Text, 0, 0, "0", "Padding: top,right,bottom,left in pixels (CSS-style 1 to 4 values)",
                   apply_extend_text));
  const std::pair<const char*, int recipe::Sides::*> sides[] = {
      {"extendTop", &recipe::Sides::top}, {"extendRight", &recipe::Sides::right}, {"extendBottom", &recipe::Sides::bottom}, {"extendLeft", &recipe::Sides::left}};
  for (const auto& side : sides) {
    int recipe::Sides::*member = side.second;  // a copy: lambdas cannot capture structured bindings in clang 14
    t.push_back(spec(side.first, {}, T::Integer, 0, m, "0", "Padding on one side in pixels",
                     [member](recipe::Recipe& r, const ParamValue& v) { r.frame.extend.*member = static_cast<int>(v.integer); return ok(); }));
  }
  t.push_back(spec("extendColor", {"extendColour", "paddingColor"}, T::Colour, 0, 0, "background", "Padding colour",
                   [](recipe::Recipe& r, const ParamValue& v) { r.frame.extend_colour = v.colour; return ok(); }));
}

void add_colour_params(ParamTable& t) {
  using T = ParamType;
  auto tools = [](void (*set)(recipe::ColourTools&, const ParamValue&)) -> Apply {
    return [set](recipe::Recipe& r, const ParamValue& v) { set(r.colour_tools, v); return ok(); };
  };
  t.push_back(spec("gamma", {}, T::Number, 0.1, 10, "1", "Gamma: output = input^(1/gamma); above 1 lifts mid-tones",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.gamma = v.number; })));
  t.push_back(spec("hue", {"hueRotate"}, T::Number, -360, 360, "0", "Hue rotation in degrees (in modulateSpace)",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.hue = v.number; })));
  t.push_back(spec("lightness", {}, T::Number, 0, 3, "1", "Lightness multiplier (in modulateSpace)",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.lightness = v.number; })));
  t.push_back(spec("chroma", {}, T::Number, 0, 3, "1", "Chroma multiplier (in modulateSpace)",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.chroma = v.number; })));
  t.push_back(spec("modulateSpace", {}, T::Enum, 0, 0, "oklch", "Colour space of hue, lightness and chroma",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.space = v.text == "lch" ? recipe::ModulateSpace::Lch : recipe::ModulateSpace::Oklch; }),
                   {"oklch", "lch"}));
  t.push_back(spec("tint", {}, T::Colour, 0, 0, "", "Tint the image with this colour's hue (mid-tones most)",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.tint = v.colour; })));
  t.push_back(spec("duotone", {}, T::Text, 0, 0, "", "Two colours shadow,highlight: map dark to light onto them", apply_duotone));
  t.push_back(spec("normalize", {"normalise"}, T::Boolean, 0, 1, "false", "Auto-levels: stretch lightness to the full range",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.normalize = v.boolean; })));
  t.push_back(spec("negate", {"invert"}, T::Boolean, 0, 1, "false", "Invert the colours (alpha is kept)",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.negate = v.boolean; })));
  t.push_back(spec("pixelate", {}, T::Integer, 0, 1000, "0", "Pixelate into blocks of this many pixels (0 off, else at least 2)",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.pixelate = v.integer == 1 ? 0 : static_cast<int>(v.integer); })));
  t.push_back(spec("unsharpSigma", {}, T::Number, 0, 10, "0", "Unsharp mask: blur sigma (0 off, else at least 0.3)",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.unsharp.sigma = v.number > 0 && v.number < 0.3 ? 0.3 : v.number; })));
  t.push_back(spec("unsharpFlat", {}, T::Number, 0, 10, "1", "Unsharp mask: gain in flat areas",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.unsharp.flat = v.number; })));
  t.push_back(spec("unsharpJagged", {}, T::Number, 0, 20, "2", "Unsharp mask: gain on edges",
                   tools([](recipe::ColourTools& c, const ParamValue& v) { c.unsharp.jagged = v.number; })));
}

}  // namespace

void add_compositing_params(ParamTable& table) {
  add_watermark_params(table);
  add_text_params(table);
  add_frame_params(table);
  add_colour_params(table);
  table.push_back(spec("operations", {}, ParamType::Text, 0, 0, "",
                       "JSON array of parameter objects, each applied as its own pass after the fixed order, in order",
                       [](recipe::Recipe& r, const ParamValue& v) { return parse_operations(v.text, r); }));
}

Status check_layers_complete(const recipe::Recipe& recipe) {
  for (const recipe::Overlay& o : recipe.overlays) {
    if (o.source.reference.empty()) {
      return make_error(ErrorCode::InvalidInput, "a watermark parameter was given without a watermark image", "watermark");
    }
  }
  for (const recipe::TextLayer& t : recipe.texts) {
    if (t.text.empty()) return make_error(ErrorCode::InvalidInput, "a text parameter was given without text", "text");
  }
  for (const recipe::Recipe& step : recipe.operations) {
    if (auto s = check_layers_complete(step); !s) return s;
  }
  return ok();
}

}  // namespace pixmill::dialects
