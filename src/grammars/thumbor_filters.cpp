#include "grammars/thumbor_filters.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>

#include "grammars/arguments.h"
#include "grammars/thumbor_layers.h"
#include "recipe/auto_quality.h"

namespace pixmill::grammars {
namespace {

using Args = std::vector<std::string>;

Error invalid(const std::string& message) { return make_error(ErrorCode::InvalidInput, message); }
Error not_yet(const std::string& what) { return make_error(ErrorCode::UnsupportedOption, what + " is not supported by pixmill yet", what); }

bool is_number(std::string_view s) { return parse_decimal(s).has_value() && !s.starts_with('-') && !s.starts_with('+'); }

std::optional<double> number_arg(const Args& args, size_t index) {
  if (index >= args.size()) return std::nullopt;
  return parse_decimal(args[index]);
}

std::optional<Colour> thumbor_colour(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auto hex = parse_hex_colour(text)) return hex;
  return parse_colour(text);  // white, black, transparent
}

struct FilterContext {
  GrammarRequest& request;
  ThumborPlan& plan;
  const ThumborSettings& settings;
  int64_t now_ms;
};
using FilterHandler = std::function<Status(FilterContext&, const Args&)>;

Status percent_effect(double& field, const Args& a, const char* name) {
  auto v = number_arg(a, 0);
  if (!v || *v < -100 || *v > 100) return invalid(std::string(name) + "() takes -100..100");
  field = std::clamp(1.0 + *v / 100.0, 0.1, 3.0);
  return ok_status();
}

Status format_filter(FilterContext& c, const Args& a) {
  static const std::map<std::string, OutputFormat> kFormats = {{"jpeg", OutputFormat::Jpeg}, {"jpg", OutputFormat::Jpeg}, {"png", OutputFormat::Png},
                                                               {"webp", OutputFormat::Webp}, {"gif", OutputFormat::Gif},   {"avif", OutputFormat::Avif},
                                                               {"tiff", OutputFormat::Tiff}};
  if (a.empty() || !kFormats.count(a[0])) return make_error(ErrorCode::UnsupportedFormat, "format() names a format pixmill does not write", "format");
  c.request.recipe.output.format = kFormats.at(a[0]);
  c.request.format_explicit = true;
  return ok_status();
}

Status expire_filter(FilterContext& c, const Args& a) {
  auto v = a.empty() ? std::nullopt : parse_integer(a[0]);
  if (!v) return invalid("expire() takes a unix time in milliseconds");
  if (*v > 0 && c.now_ms > *v) return make_error(ErrorCode::Expired, "expired", "expire");
  c.request.expires_at = (*v + 999) / 1000;
  return ok_status();
}

// clang-format off
const std::map<std::string, FilterHandler>& filter_table() {
  static const std::map<std::string, FilterHandler> table = {
    {"quality", [](FilterContext& c, const Args& a) {
       // quality(auto), quality(auto:eco): the perceptual search.
       if (a.size() == 1) {
         if (auto level = recipe::parse_auto_quality(a[0])) {
           c.request.recipe.output.auto_quality = *level;
           return ok_status();
         }
       }
       auto v = number_arg(a, 0);
       if (!v || *v < 1 || *v > 100) return Status(invalid("quality() takes 1..100"));
       c.request.recipe.output.quality = static_cast<int>(*v);
       return ok_status(); }},
    {"format", format_filter},
    {"blur", [](FilterContext& c, const Args& a) {
       auto radius = number_arg(a, 0);
       if (!radius || *radius <= 0) return Status(invalid("blur() takes a positive radius"));
       const double sigma = number_arg(a, 1).value_or(0) > 0 ? *number_arg(a, 1) : *radius;
       c.request.recipe.effects.blur_sigma = std::clamp(sigma, 0.3, 100.0);
       return ok_status(); }},
    {"brightness", [](FilterContext& c, const Args& a) { return percent_effect(c.request.recipe.effects.brightness, a, "brightness"); }},
    {"contrast", [](FilterContext& c, const Args& a) { return percent_effect(c.request.recipe.effects.contrast, a, "contrast"); }},
    {"saturation", [](FilterContext& c, const Args& a) { return percent_effect(c.request.recipe.effects.saturation, a, "saturation"); }},
    {"grayscale", [](FilterContext& c, const Args&) { c.request.recipe.effects.grayscale = true; return ok_status(); }},
    {"sharpen", [](FilterContext& c, const Args& a) {
       auto amount = number_arg(a, 0);
       auto radius = number_arg(a, 1);
       if (!amount || !radius) return Status(invalid("sharpen() takes amount,radius,luminance_only"));
       if (*amount > 0) c.request.recipe.effects.sharpen_sigma = std::clamp(*radius, 0.3, 10.0);
       return ok_status(); }},
    {"rotate", [](FilterContext& c, const Args& a) {
       auto v = number_arg(a, 0);
       if (!v) return Status(invalid("rotate() takes an angle"));
       // thumbor rotates only by right angles and ignores any other value.
       if (std::fmod(*v, 90.0) == 0.0) c.request.recipe.rotate = std::fmod(*v, 360.0);
       return ok_status(); }},
    {"fill", [](FilterContext& c, const Args& a) {
       auto colour = a.empty() ? std::nullopt : thumbor_colour(a[0]);
       if (!colour) return Status(not_yet("fill(" + (a.empty() ? std::string() : a[0].substr(0, 32)) + ")"));
       c.plan.fill = *colour;
       return ok_status(); }},
    {"background_color", [](FilterContext& c, const Args& a) {
       auto colour = a.empty() ? std::nullopt : thumbor_colour(a[0]);
       if (!colour) return Status(invalid("background_color() takes a colour"));
       c.request.recipe.background = *colour;
       return ok_status(); }},
    {"no_upscale", [](FilterContext& c, const Args&) { c.plan.upscale = false; return ok_status(); }},
    {"upscale", [](FilterContext& c, const Args&) { c.plan.upscale = true; return ok_status(); }},
    {"stretch", [](FilterContext& c, const Args&) { c.plan.stretch = true; return ok_status(); }},
    {"proportion", [](FilterContext& c, const Args& a) {
       auto v = number_arg(a, 0);
       if (v && *v > 0 && *v <= 1) c.plan.proportion = *v;  // thumbor ignores other values
       return ok_status(); }},
    {"strip_exif", [](FilterContext& c, const Args&) { c.request.recipe.output.strip_metadata = true; return ok_status(); }},
    {"strip_icc", [](FilterContext&, const Args&) { return ok_status(); }},  // pixmill always writes sRGB
    {"max_bytes", [](FilterContext& c, const Args& a) {
       auto v = number_arg(a, 0);
       if (!v || *v < 1) return Status(invalid("max_bytes() takes a positive size"));
       c.request.recipe.output.target_bytes = static_cast<uint64_t>(std::max(*v, 1024.0));
       return ok_status(); }},
    {"focal", [](FilterContext& c, const Args& a) {
       ThumborPlan probe;
       if (a.empty() || !parse_thumbor_crop(a[0], probe) || !probe.crop) return Status(invalid("focal() takes AxB:CxD"));
       const EdgeCrop& r = *probe.crop;
       c.plan.focal = FocusPoint{(r.left + r.right) / 2, (r.top + r.bottom) / 2, !r.fractions};
       return ok_status(); }},
    {"max_age", [](FilterContext& c, const Args& a) {
       auto v = a.empty() ? std::nullopt : parse_integer(a[0]);
       if (!v || *v < 0) return Status(invalid("max_age() takes seconds"));
       c.request.max_age_s = static_cast<int>(std::min<long long>(*v, 1'000'000'000));
       return ok_status(); }},
    {"expire", expire_filter},
    {"attachment", [](FilterContext& c, const Args& a) {
       c.request.attachment = true;
       if (!a.empty() && !a[0].empty()) c.request.filename = a[0];
       return ok_status(); }},
    {"preview", [](FilterContext&, const Args&) { return ok_status(); }},
    // Not yet: each row turns into a mapping when the pipeline gains the step.
    {"watermark", [](FilterContext& c, const Args& a) { return thumbor_watermark(c.request.recipe, a); }},
    {"label", [](FilterContext& c, const Args& a) { return thumbor_label(c.request.recipe, a); }},
    {"round_corner", [](FilterContext& c, const Args& a) { return thumbor_round_corner(c.request.recipe, a); }},
    // imagor's hue(): libvips modulate's hue turn, which is in LCh.
    {"hue", [](FilterContext& c, const Args& a) {
       auto v = number_arg(a, 0);
       if (!v) return Status(invalid("hue() takes an angle in degrees"));
       c.request.recipe.colour_tools.hue = std::fmod(*v, 360.0);
       c.request.recipe.colour_tools.space = recipe::ModulateSpace::Lch;
       return ok_status(); }},
    // Histogram equalisation; pixmill's auto-levels stretch lightness instead (docs/url-grammars.md).
    {"equalize", [](FilterContext& c, const Args&) { c.request.recipe.colour_tools.normalize = true; return ok_status(); }},
    // Not yet: per-channel gains, a second image layer with blend modes, noise.
    {"rgb", [](FilterContext&, const Args&) { return Status(not_yet("rgb()")); }},
    {"image", [](FilterContext&, const Args&) { return Status(not_yet("image()")); }},
    {"noise", [](FilterContext&, const Args&) { return Status(not_yet("noise()")); }},
    {"convolution", [](FilterContext&, const Args&) { return Status(not_yet("convolution()")); }},
    {"curve", [](FilterContext&, const Args&) { return Status(not_yet("curve()")); }},
    {"colorize", [](FilterContext&, const Args&) { return Status(not_yet("colorize()")); }},
    {"redeye", [](FilterContext&, const Args&) { return Status(not_yet("redeye()")); }},
    {"frame", [](FilterContext&, const Args&) { return Status(not_yet("frame()")); }},
    {"extract_focal", [](FilterContext&, const Args&) { return Status(not_yet("extract_focal()")); }},
    {"max_frames", [](FilterContext&, const Args&) { return Status(not_yet("max_frames()")); }},
    {"page", [](FilterContext&, const Args&) { return Status(not_yet("page()")); }},
    {"orient", [](FilterContext&, const Args&) { return Status(not_yet("orient()")); }},
    {"fallback_format", [](FilterContext&, const Args&) { return Status(not_yet("fallback_format()")); }},
    {"raw", [](FilterContext&, const Args&) { return Status(not_yet("raw()")); }},
    {"trim", [](FilterContext&, const Args&) { return Status(not_yet("trim()")); }},
    {"blur_faces", [](FilterContext&, const Args&) { return Status(not_yet("blur_faces()")); }},
  };
  return table;
}
// clang-format on

}  // namespace

// "10x20:300x400" (pixels) or "0.1x0.1:0.9x0.9" (fractions, imagor).
bool parse_thumbor_crop(std::string_view seg, ThumborPlan& plan) {
  const auto colon = seg.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view a = seg.substr(0, colon), b = seg.substr(colon + 1);
  const auto ax = a.find('x'), bx = b.find('x');
  if (ax == std::string_view::npos || bx == std::string_view::npos) return false;
  const std::string_view parts[4] = {a.substr(0, ax), a.substr(ax + 1), b.substr(0, bx), b.substr(bx + 1)};
  double v[4];
  bool any_fraction = false;
  for (int i = 0; i < 4; ++i) {
    if (!is_number(parts[i])) return false;
    v[i] = *parse_decimal(parts[i]);
    any_fraction = any_fraction || parts[i].find('.') != std::string_view::npos;
  }
  EdgeCrop crop{v[0], v[1], v[2], v[3], any_fraction && std::all_of(v, v + 4, [](double d) { return d <= 1.0; })};
  if (crop.left > 0 || crop.top > 0 || crop.right > 0 || crop.bottom > 0) plan.crop = crop;
  return true;
}

// filters:name(args):name(args)/rest -> the filters and where the image starts. '/' and ':'
// inside parentheses belong to the arguments (imagor's watermark takes a path).
std::vector<ThumborFilter> split_thumbor_filters(std::string_view text, std::string_view& rest) {
  std::vector<ThumborFilter> filters;
  ThumborFilter current;
  std::string token;
  int depth = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '(') {
      if (depth++ == 0) {
        current.name = token;
        token.clear();
        continue;
      }
    } else if (c == ')') {
      if (--depth == 0) {
        current.args = token;
        token.clear();
        continue;
      }
      depth = std::max(depth, 0);
    } else if (depth == 0 && (c == ':' || c == '/')) {
      if (!current.name.empty() || !token.empty()) {
        if (current.name.empty()) current.name = token;
        filters.push_back(current);
      }
      current = ThumborFilter{};
      token.clear();
      if (c == '/') {
        ++i;
        break;
      }
      continue;
    }
    token += c;
  }
  if (i >= text.size() && (!current.name.empty() || !token.empty())) {
    if (current.name.empty()) current.name = token;
    filters.push_back(current);
  }
  rest = i < text.size() ? text.substr(i) : std::string_view();
  return filters;
}

Status apply_thumbor_filters(const std::vector<ThumborFilter>& filters, GrammarRequest& request, ThumborPlan& plan,
                             const ThumborSettings& settings, int64_t now_ms) {
  FilterContext context{request, plan, settings, now_ms};
  for (const ThumborFilter& f : filters) {
    auto found = filter_table().find(f.name);
    if (found == filter_table().end()) continue;
    if (auto s = found->second(context, split_all(f.args, ',')); !s) return s;
  }
  return ok_status();
}

}  // namespace pixmill::grammars
