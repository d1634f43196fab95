// imgproxy's options that map onto the compositing fields of the recipe: trim, padding,
// pixelate, watermark and (imgproxy Pro) watermark_url. Arguments and errors follow
// imgproxy's processing_options.go; the fields are the ones the native dialect fills
// (docs/compositing.md), so both run the same steps.

#include <algorithm>
#include <cmath>

#include "core/base64.h"
#include "grammars/arguments.h"
#include "grammars/imgproxy_option_errors.h"
#include "grammars/imgproxy_options.h"
#include "grammars/imgproxy_url.h"
#include "recipe/overlay_source.h"

namespace pixmill::grammars {
namespace {

using Args = std::vector<std::string>;

Status non_negative_pixels(const std::string& option, const std::string& arg, int& out) {
  auto v = parse_integer(arg);
  if (!v || *v < 0 || *v > kMaxOutputDimension) return imgproxy_invalid_arg(option, arg, "positive number or 0");
  out = static_cast<int>(*v);
  return ok_status();
}

bool is_watermark_position(const std::string& p) {
  static const std::vector<std::string> kPositions = {"no", "so", "ea", "we", "noea", "nowe", "soea", "sowe", "ce", "re"};
  return std::find(kPositions.begin(), kPositions.end(), p) != kPositions.end();
}

int scaled(double value, double factor) { return static_cast<int>(std::lround(value * factor)); }

}  // namespace

// trim:%threshold:%color:%equal_hor:%equal_ver. Without a colour imgproxy detects the
// background; pixmill's trim takes the top-left pixel's colour, as libvips' find_trim does.
Status imgproxy_trim(ImgproxyOptions& o, const Args& args) {
  if (args.size() > 4) return imgproxy_invalid_args("trim", args);
  auto threshold = parse_decimal(args[0]);
  if (!threshold || *threshold < 0) return imgproxy_invalid_arg("trim", args[0], "positive number or 0");
  recipe::Trim trim;
  trim.enabled = true;
  trim.threshold = std::min(*threshold, 255.0);
  if (args.size() > 1 && !args[1].empty()) {
    auto colour = parse_hex_colour(args[1]);
    if (!colour) return imgproxy_invalid_arg("trim", args[1], "hex-encoded color");
    trim.background = *colour;
  }
  // Equal trims of opposite sides keep the subject centred; the trim step cuts each side
  // by what it finds.
  if ((args.size() > 2 && imgproxy_bool(args[2])) || (args.size() > 3 && imgproxy_bool(args[3]))) {
    return imgproxy_not_yet("trim equal_hor/equal_ver");
  }
  o.trim = trim;
  return ok_status();
}

// padding:%top:%right:%bottom:%left, CSS-like: a missing side takes the opposite one, or the top.
Status imgproxy_padding(ImgproxyOptions& o, const Args& args) {
  if (args.size() > 4) return imgproxy_invalid_args("padding", args);
  recipe::Sides& p = o.padding;
  if (!args[0].empty()) {
    if (auto s = non_negative_pixels("padding", args[0], p.top); !s) return s;
    p.right = p.bottom = p.left = p.top;
  }
  if (args.size() > 1 && !args[1].empty()) {
    if (auto s = non_negative_pixels("padding", args[1], p.right); !s) return s;
    p.left = p.right;
  }
  if (args.size() > 2 && !args[2].empty()) {
    if (auto s = non_negative_pixels("padding", args[2], p.bottom); !s) return s;
  }
  if (args.size() > 3 && !args[3].empty()) {
    if (auto s = non_negative_pixels("padding", args[3], p.left); !s) return s;
  }
  return ok_status();
}

Status imgproxy_pixelate(ImgproxyOptions& o, const Args& args) {
  if (args.size() > 1) return imgproxy_invalid_args("pixelate", args);
  int size = 0;
  auto v = parse_integer(args[0]);
  if (!v || *v < 0) return imgproxy_invalid_arg("pixelate", args[0], "positive number or 0");
  size = static_cast<int>(std::min<long long>(*v, 1000));
  o.pixelate = size == 1 ? 0 : size;  // a one-pixel block changes nothing
  return ok_status();
}

// watermark:%opacity:%position:%x_offset:%y_offset:%scale (opacity 0 turns it off).
Status imgproxy_watermark(ImgproxyOptions& o, const Args& args) {
  if (args.size() > 5) return imgproxy_invalid_args("watermark", args);
  ImgproxyWatermark& w = o.watermark;
  auto opacity = parse_decimal(args[0]);
  if (!opacity || *opacity < 0 || *opacity > 1) return imgproxy_invalid_arg("watermark opacity", args[0], "number in range 0-1");
  w.opacity = *opacity;
  if (args.size() > 1 && !args[1].empty()) {
    if (!is_watermark_position(args[1])) return imgproxy_invalid_arg("watermark position", args[1], "no, so, ea, we, noea, nowe, soea, sowe, ce, re");
    w.position = args[1];
  }
  double* offsets[2] = {&w.x, &w.y};
  for (size_t i = 2; i < 4 && i < args.size(); ++i) {
    if (args[i].empty()) continue;
    auto v = parse_decimal(args[i]);
    if (!v || std::abs(*v) > kMaxOutputDimension) return imgproxy_invalid_arg("watermark offset", args[i], "number");
    *offsets[i - 2] = *v;
  }
  if (args.size() > 4 && !args[4].empty()) {
    auto scale = parse_decimal(args[4]);
    if (!scale || *scale < 0) return imgproxy_invalid_arg("watermark scale", args[4], "positive number or 0");
    w.scale = *scale;
  }
  return ok_status();
}

// watermark_url:%url (imgproxy Pro): base64url of the watermark's http(s) URL, fetched like
// the source. pixmill also takes a WATERMARKS_DIR name there. Empty: back to the default.
Status imgproxy_watermark_url(ImgproxyOptions& o, const Args& args) {
  if (args.size() > 1) return imgproxy_invalid_args("watermark_url", args);
  if (args[0].empty()) {
    o.watermark.source = ImgproxyWatermark{}.source;
    return ok_status();
  }
  auto decoded = core::base64url_decode(args[0]);
  if (!decoded) return imgproxy_invalid_arg("watermark_url", args[0], "URL-safe base64-encoded URL");
  const auto kind = recipe::overlay_source_from(*decoded).kind;
  if (kind != recipe::OverlaySource::Kind::Url && kind != recipe::OverlaySource::Kind::Named) {
    return imgproxy_invalid_arg("watermark_url", decoded->substr(0, 64), "an http(s) URL or a watermark name");
  }
  o.watermark.source = *decoded;
  return ok_status();
}

void build_imgproxy_compositing(const ImgproxyOptions& o, Recipe& recipe) {
  recipe.frame.trim = o.trim;
  recipe.colour_tools.pixelate = o.pixelate;
  // imgproxy's padding is in CSS pixels, filled with the background.
  recipe.frame.extend = {scaled(o.padding.top, o.dpr), scaled(o.padding.right, o.dpr), scaled(o.padding.bottom, o.dpr),
                         scaled(o.padding.left, o.dpr)};
  const ImgproxyWatermark& w = o.watermark;
  if (w.opacity <= 0) return;
  recipe::Overlay overlay;
  overlay.source = recipe::overlay_source_from(w.source);
  overlay.opacity = w.opacity;
  // imgproxy fits the watermark into scale × the result; the overlay step scales by width.
  if (w.scale > 0) overlay.scale = std::clamp(w.scale, 0.01, 1.0);
  if (w.position == "re") {
    overlay.tile = true;
    overlay.tile_spacing = std::max(0, scaled(std::max(w.x, w.y), o.dpr));
  } else {
    overlay.placement.gravity = imgproxy_gravity(w.position);
    overlay.placement.offset_x = scaled(w.x, o.dpr);
    overlay.placement.offset_y = scaled(w.y, o.dpr);
  }
  recipe.overlays.push_back(std::move(overlay));
}

}  // namespace pixmill::grammars
