#include "grammars/thumbor_layers.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "grammars/arguments.h"
#include "recipe/overlay_source.h"

namespace pixmill::grammars {
namespace {

using Args = std::vector<std::string>;

Error invalid(const std::string& message, const std::string& field) { return make_error(ErrorCode::InvalidInput, message, field); }
Error not_yet(const std::string& what) { return make_error(ErrorCode::UnsupportedOption, what + " is not supported by pixmill yet", what); }

// One axis of a position: where it is anchored (-1 start, 0 centre, 1 end), the offset
// inward from that anchor, and whether it repeats.
struct Axis {
  int anchor = -1;
  int offset = 0;
  bool repeat = false;
};

Result<Axis> axis_from(const std::string& text, const char* start_word, const char* end_word, const std::string& filter) {
  Axis axis;
  if (text == "center") {
    axis.anchor = 0;
  } else if (text == "repeat") {
    axis.repeat = true;
  } else if (text == start_word) {
    axis.anchor = -1;
  } else if (text == end_word) {
    axis.anchor = 1;
  } else if (!text.empty() && text.back() == 'p') {
    // A percentage of the image's size: the overlay step takes pixels.
    return not_yet(filter + " position in percent");
  } else {
    auto v = parse_integer(text);
    if (!v || std::llabs(*v) > kMaxOutputDimension) return invalid(filter + " position must be a number, center or repeat", filter);
    // thumbor: a negative x puts the layer's right edge that far from the image's right edge.
    axis.anchor = *v < 0 || text.starts_with('-') ? 1 : -1;
    axis.offset = static_cast<int>(std::llabs(*v));
  }
  return axis;
}

Gravity gravity_of(int hx, int vy) {
  static const Gravity kGrid[3][3] = {{Gravity::NorthWest, Gravity::North, Gravity::NorthEast},
                                      {Gravity::West, Gravity::Centre, Gravity::East},
                                      {Gravity::SouthWest, Gravity::South, Gravity::SouthEast}};
  return kGrid[vy + 1][hx + 1];
}

Result<recipe::Placement> placement_from(const Axis& x, const Axis& y, const std::string& filter) {
  if (x.repeat || y.repeat) return invalid(filter + " cannot repeat", filter);
  recipe::Placement p;
  p.gravity = gravity_of(x.anchor, y.anchor);
  p.offset_x = x.offset;
  p.offset_y = y.offset;
  return p;
}

// thumbor's alpha is transparency: 0 opaque, 100 invisible.
Result<double> opacity_from(const std::string& text, const std::string& filter) {
  auto alpha = parse_decimal(text);
  if (!alpha || *alpha < 0 || *alpha > 100) return invalid(filter + " alpha must be 0..100", filter);
  return 1.0 - *alpha / 100.0;
}

std::optional<Colour> colour_from(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auto hex = parse_hex_colour(text.starts_with('#') ? text.substr(1) : text)) return hex;
  if (text == "red") return Colour{255, 0, 0, 255};
  if (text == "green") return Colour{0, 128, 0, 255};
  if (text == "blue") return Colour{0, 0, 255, 255};
  return parse_colour(text);  // white, black, transparent
}

Status room_for(size_t count, int max, const std::string& filter) {
  if (count >= static_cast<size_t>(max)) return invalid("at most " + std::to_string(max) + " " + filter + " filters per URL", filter);
  return ok_status();
}

}  // namespace

Status thumbor_watermark(Recipe& recipe, const Args& args) {
  if (args.size() < 4 || args.size() > 6) return invalid("watermark() takes image,x,y,alpha[,w_ratio[,h_ratio]]", "watermark");
  if (auto s = room_for(recipe.overlays.size(), recipe::kMaxOverlays, "watermark"); !s) return s;
  auto image = path_unescape(args[0]);
  if (!image || image->empty()) return invalid("watermark() needs an image", "watermark");
  // "logo.png" names the WATERMARKS_DIR file "logo" (any of its extensions).
  std::string reference = *image;
  if (recipe::overlay_source_from(reference).kind == recipe::OverlaySource::Kind::File) {
    if (auto dot = reference.rfind('.'); dot != std::string::npos && recipe::is_watermark_name(reference.substr(0, dot))) {
      reference.resize(dot);
    }
  }
  recipe::Overlay overlay;
  overlay.source = recipe::overlay_source_from(reference);
  if (overlay.source.kind != recipe::OverlaySource::Kind::Url && overlay.source.kind != recipe::OverlaySource::Kind::Named) {
    return invalid("watermark() image must be an http(s) URL or a watermark name", "watermark");
  }
  auto x = axis_from(args[1], "left", "right", "watermark()");
  if (!x) return x.error();
  auto y = axis_from(args[2], "top", "bottom", "watermark()");
  if (!y) return y.error();
  if (x->repeat && y->repeat) {
    overlay.tile = true;
  } else if (x->repeat || y->repeat) {
    return not_yet("watermark() repeated along one axis");
  } else {
    auto placement = placement_from(*x, *y, "watermark()");
    if (!placement) return placement.error();
    overlay.placement = *placement;
  }
  auto opacity = opacity_from(args[3], "watermark()");
  if (!opacity) return opacity.error();
  overlay.opacity = *opacity;
  if (args.size() > 4 && args[4] != "none" && !args[4].empty()) {
    auto ratio = parse_decimal(args[4]);
    if (!ratio || *ratio <= 0 || *ratio > 100) return invalid("watermark() w_ratio must be a percentage or none", "watermark");
    overlay.scale = std::max(0.01, *ratio / 100.0);
  }
  if (args.size() > 5 && args[5] != "none" && !args[5].empty()) return not_yet("watermark() h_ratio");
  recipe.overlays.push_back(std::move(overlay));
  return ok_status();
}

Status thumbor_label(Recipe& recipe, const Args& args) {
  if (args.size() < 5 || args.size() > 7) return invalid("label() takes text,x,y,size,color[,alpha[,font]]", "label");
  if (auto s = room_for(recipe.texts.size(), recipe::kMaxTextLayers, "label"); !s) return s;
  auto text = path_unescape(args[0]);
  if (!text || text->empty()) return invalid("label() needs text", "label");
  recipe::TextLayer layer;
  layer.text = *text;
  auto x = axis_from(args[1], "left", "right", "label()");
  if (!x) return x.error();
  auto y = axis_from(args[2], "top", "bottom", "label()");
  if (!y) return y.error();
  auto placement = placement_from(*x, *y, "label()");
  if (!placement) return placement.error();
  layer.placement = *placement;
  auto size = parse_integer(args[3]);
  if (!size || *size < 4 || *size > recipe::kMaxTextSize) {
    return invalid("label() size must be 4.." + std::to_string(recipe::kMaxTextSize), "label");
  }
  layer.size = static_cast<int>(*size);
  auto colour = colour_from(args[4]);
  if (!colour) return invalid("label() color must be a hex colour or a colour name", "label");
  layer.colour = *colour;
  if (args.size() > 5 && !args[5].empty()) {
    auto opacity = opacity_from(args[5], "label()");
    if (!opacity) return opacity.error();
    layer.opacity = *opacity;
  }
  if (args.size() > 6 && !args[6].empty()) {
    auto font = path_unescape(args[6]);
    if (!font) return invalid("label() font is not properly encoded", "label");
    layer.font = *font;
  }
  recipe.texts.push_back(std::move(layer));
  return ok_status();
}

Status thumbor_round_corner(Recipe& recipe, const Args& args) {
  if (args.size() < 4 || args.size() > 5) return invalid("round_corner() takes a|b,r,g,b[,transparent]", "round_corner");
  const std::string& radii = args[0];
  const auto bar = radii.find('|');
  auto a = parse_integer(radii.substr(0, bar));
  auto b = bar == std::string::npos ? a : parse_integer(radii.substr(bar + 1));
  if (!a || !b || *a < 0 || *a > kMaxOutputDimension) return invalid("round_corner() radius must be pixels", "round_corner");
  if (*b != *a) return not_yet("round_corner() with different horizontal and vertical radii");
  uint8_t channels[3];
  for (int i = 0; i < 3; ++i) {
    auto v = parse_integer(args[static_cast<size_t>(i) + 1]);
    if (!v || *v < 0 || *v > 255) return invalid("round_corner() colour channels are 0..255", "round_corner");
    channels[i] = static_cast<uint8_t>(*v);
  }
  const bool transparent = args.size() > 4 && (args[4] == "1" || args[4] == "true" || args[4] == "True");
  recipe.frame.radius = static_cast<int>(*a);
  // Outside the mask is transparent where the format has alpha, else the background.
  if (!transparent) recipe.background = Colour{channels[0], channels[1], channels[2], 255};
  return ok_status();
}

}  // namespace pixmill::grammars
