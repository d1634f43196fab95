// Cloudflare Images URL options, one table row each. Cloudflare answers a bad or
// unknown option with error 9401 (HTTP 400); options pixmill cannot do yet answer the
// same, from their own row, so filling a gap is a one-row change.

#include "grammars/cloudflare_url.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "core/text.h"
#include "grammars/arguments.h"
#include "recipe/auto_quality.h"

namespace pixmill::grammars {
namespace {

Error invalid(const std::string& option, const std::string& value) {
  return make_error(ErrorCode::InvalidInput, "invalid value for " + option + ": " + value.substr(0, 64), option);
}
Error not_yet(const std::string& what) { return make_error(ErrorCode::UnsupportedOption, what + " is not supported by pixmill yet", what); }

struct CloudflarePlan {
  std::optional<int> width;
  std::optional<int> height;
  bool width_auto = false;
  std::string fit = "scale-down";
  double dpr = 1.0;
  recipe::Sides border;          // CSS pixels
  bool border_uniform = true;    // width: the frame's border; per side: padding in its colour
  Colour border_colour = Colour::black();
};

struct Context {
  GrammarRequest& request;
  CloudflarePlan& plan;
};
using Handler = std::function<Status(Context&, const std::string& value)>;

Status size(std::optional<int>& out, const std::string& option, const std::string& value) {
  auto v = parse_integer(value);
  if (!v || *v < 1 || *v > 12000) return invalid(option, value);
  out = static_cast<int>(*v);
  return ok_status();
}

Status multiplier(double& out, const std::string& option, const std::string& value, double lo, double hi) {
  auto v = parse_decimal(value);
  if (!v || *v < 0) return invalid(option, value);
  out = std::clamp(*v, lo, hi);
  return ok_status();
}

Status gravity(Context& c, const std::string& value) {
  ResizeSpec& spec = c.request.recipe.resize ? *c.request.recipe.resize : c.request.recipe.resize.emplace();
  static const std::map<std::string, Gravity> kSides = {{"auto", Gravity::Attention}, {"center", Gravity::Centre}, {"left", Gravity::West},
                                                        {"right", Gravity::East},     {"top", Gravity::North},      {"bottom", Gravity::South}};
  if (auto found = kSides.find(value); found != kSides.end()) {
    spec.gravity = found->second;
    return ok_status();
  }
  if (value == "face") {  // the AI face detector: keep every face (Attention when there is none)
    spec.gravity = Gravity::Faces;
    return ok_status();
  }
  const auto x = value.find('x');
  auto fx = x == std::string::npos ? std::nullopt : parse_decimal(value.substr(0, x));
  auto fy = x == std::string::npos ? std::nullopt : parse_decimal(value.substr(x + 1));
  if (!fx || !fy || *fx < 0 || *fx > 1 || *fy < 0 || *fy > 1) return invalid("gravity", value);
  c.request.pending.focus = FocusPoint{*fx, *fy, false};
  return ok_status();
}

Status format(Context& c, const std::string& value) {
  OutputSpec& out = c.request.recipe.output;
  c.request.format_explicit = true;
  if (value == "auto") {
    c.request.negotiate_format = true;
    c.request.format_explicit = false;
  } else if (value == "avif") {
    out.format = OutputFormat::Avif;
  } else if (value == "webp") {
    out.format = OutputFormat::Webp;
  } else if (value == "jpeg" || value == "jpg") {
    out.format = OutputFormat::Jpeg;
    out.progressive = true;  // Cloudflare's jpeg is progressive; baseline-jpeg is not
  } else if (value == "baseline-jpeg") {
    out.format = OutputFormat::Jpeg;
    out.progressive = false;
  } else if (value == "png") {
    out.format = OutputFormat::Png;
  } else if (value == "json") {
    c.request.answer = AnswerKind::Json;
  } else {
    return invalid("format", value);
  }
  return ok_status();
}

Status quality(Context& c, const std::string& value) {
  static const std::map<std::string, int> kNamed = {{"high", 90}, {"medium-high", 80}, {"medium-low", 65}, {"low", 50}};
  if (auto named = kNamed.find(value); named != kNamed.end()) {
    c.request.recipe.output.quality = named->second;
    return ok_status();
  }
  // quality=auto, quality=auto:eco: the perceptual search (a pixmill extension).
  if (auto level = recipe::parse_auto_quality(value)) {
    c.request.recipe.output.auto_quality = *level;
    return ok_status();
  }
  auto v = parse_integer(value);
  if (!v || *v < 1 || *v > 100) return invalid("quality", value);
  c.request.recipe.output.quality = static_cast<int>(*v);
  return ok_status();
}

Status trim(Context& c, const std::string& value) {
  if (value == "auto") {  // solid borders, the colour of the top-left pixel (libvips find_trim)
    c.request.recipe.frame.trim.enabled = true;
    return ok_status();
  }
  const auto parts = split_all(value, ';');
  if (parts.size() != 4) return invalid("trim", value);
  int edges[4];
  for (size_t i = 0; i < 4; ++i) {
    auto v = parse_integer(parts[i]);
    if (!v || *v < 0 || *v > 100000) return invalid("trim", value);
    edges[i] = static_cast<int>(*v);
  }
  c.request.pending.trim = EdgeTrim{edges[0], edges[1], edges[2], edges[3]};
  return ok_status();
}

// border=color:#ff0000;width:10, or per side: color:…;top:5;right:10;bottom:5;left:10 (the
// keys of Cloudflare's border object). CSS pixels, multiplied by dpr once all options are read.
Status border(Context& c, const std::string& value) {
  std::optional<Colour> colour;
  std::optional<int> width;
  recipe::Sides sides;
  bool per_side = false;
  for (const std::string& item : split_all(value, ';')) {
    const auto colon = item.find(':');
    if (colon == std::string::npos) return invalid("border", value);
    const std::string key = item.substr(0, colon), arg = item.substr(colon + 1);
    if (key == "color") {
      colour = parse_colour(arg);
      if (!colour) return invalid("border", value);
      continue;
    }
    auto v = parse_integer(arg);
    if (!v || *v < 0 || *v > 1000) return invalid("border", value);
    const int pixels = static_cast<int>(*v);
    if (key == "width") {
      width = pixels;
    } else if (key == "top" || key == "right" || key == "bottom" || key == "left") {
      per_side = true;
      (key == "top" ? sides.top : key == "right" ? sides.right : key == "bottom" ? sides.bottom : sides.left) = pixels;
    } else {
      return invalid("border", value);
    }
  }
  if (width && per_side) return invalid("border", value);
  c.plan.border_colour = colour.value_or(Colour::black());
  c.plan.border = per_side ? sides : recipe::Sides{width.value_or(0), width.value_or(0), width.value_or(0), width.value_or(0)};
  c.plan.border_uniform = !per_side;
  return ok_status();
}

// clang-format off
const std::map<std::string, Handler>& option_table() {
  static const std::map<std::string, Handler> table = {
    {"width", [](Context& c, const std::string& v) {
       if (v == "auto") { c.plan.width_auto = true; return ok_status(); }
       return size(c.plan.width, "width", v); }},
    {"height", [](Context& c, const std::string& v) { return size(c.plan.height, "height", v); }},
    {"fit", [](Context& c, const std::string& v) {
       static const std::vector<std::string> kFits = {"scale-down", "contain", "cover", "crop", "pad", "squeeze"};
       if (std::find(kFits.begin(), kFits.end(), v) == kFits.end()) return Status(invalid("fit", v));
       c.plan.fit = v;
       return ok_status(); }},
    {"gravity", gravity},
    {"dpr", [](Context& c, const std::string& v) { return multiplier(c.plan.dpr, "dpr", v, 0.1, 10.0); }},
    {"quality", quality},
    {"format", format},
    {"anim", [](Context&, const std::string& v) {
       if (v == "true") return ok_status();
       return Status(not_yet("anim=" + v.substr(0, 16))); }},
    {"background", [](Context& c, const std::string& v) {
       auto colour = parse_colour(v);
       if (!colour) return Status(invalid("background", v));
       c.request.recipe.background = *colour;
       return ok_status(); }},
    {"blur", [](Context& c, const std::string& v) {
       auto radius = parse_decimal(v);
       if (!radius || *radius < 0 || *radius > 250) return Status(invalid("blur", v));
       // Cloudflare's radius is about two sigmas.
       if (*radius > 0) c.request.recipe.effects.blur_sigma = std::clamp(*radius / 2, 0.3, 100.0);
       return ok_status(); }},
    {"brightness", [](Context& c, const std::string& v) { return multiplier(c.request.recipe.effects.brightness, "brightness", v, 0.1, 3.0); }},
    {"contrast", [](Context& c, const std::string& v) { return multiplier(c.request.recipe.effects.contrast, "contrast", v, 0.1, 3.0); }},
    {"saturation", [](Context& c, const std::string& v) { return multiplier(c.request.recipe.effects.saturation, "saturation", v, 0.0, 3.0); }},
    // 1 no change, below darker, above lighter (as pixmill's gamma); 0 is ignored.
    {"gamma", [](Context& c, const std::string& v) {
       auto g = parse_decimal(v);
       if (!g || *g < 0) return Status(invalid("gamma", v));
       if (*g > 0) c.request.recipe.colour_tools.gamma = std::clamp(*g, 0.1, 10.0);
       return ok_status(); }},
    {"sharpen", [](Context& c, const std::string& v) {
       auto s = parse_decimal(v);
       if (!s || *s < 0 || *s > 10) return Status(invalid("sharpen", v));
       if (*s > 0) c.request.recipe.effects.sharpen_sigma = std::clamp(*s, 0.3, 10.0);
       return ok_status(); }},
    {"rotate", [](Context& c, const std::string& v) {
       auto r = parse_integer(v);
       if (!r || (*r != 0 && *r != 90 && *r != 180 && *r != 270)) return Status(invalid("rotate", v));
       c.request.recipe.rotate = static_cast<double>(*r);
       return ok_status(); }},
    {"flip", [](Context& c, const std::string& v) {
       if (v != "h" && v != "v" && v != "hv" && v != "vh") return Status(invalid("flip", v));
       c.request.recipe.flop = v.find('h') != std::string::npos;
       c.request.recipe.flip = v.find('v') != std::string::npos;
       return ok_status(); }},
    {"trim", trim},
    {"metadata", [](Context& c, const std::string& v) {
       if (v != "keep" && v != "copyright" && v != "none") return Status(invalid("metadata", v));
       // "copyright" keeps only the copyright; pixmill cannot pick fields, so it strips all.
       c.request.recipe.output.strip_metadata = v != "keep";
       return ok_status(); }},
    {"onerror", [](Context& c, const std::string& v) {
       if (v != "redirect") return Status(invalid("onerror", v));
       c.request.redirect_on_error = true;
       return ok_status(); }},
    {"segment", [](Context& c, const std::string& v) {
       if (v != "foreground") return Status(invalid("segment", v));
       c.request.recipe.remove_background = true;  // metered as AI work
       return ok_status(); }},
    {"compression", [](Context& c, const std::string& v) {
       if (v != "fast") return Status(invalid("compression", v));
       c.request.recipe.output.preview = true;
       return ok_status(); }},
    {"border", border},
    {"slow-connection-quality", [](Context&, const std::string&) { return Status(not_yet("slow-connection-quality")); }},
    {"zoom", [](Context&, const std::string&) { return Status(not_yet("zoom")); }},
  };
  return table;
}
// clang-format on

const std::map<std::string, std::string>& short_names() {
  static const std::map<std::string, std::string> names = {{"w", "width"}, {"h", "height"}, {"q", "quality"}, {"f", "format"},
                                                           {"g", "gravity"}, {"scq", "slow-connection-quality"}};
  return names;
}

// "a=1,background=rgb(1,2,3)" splits on the commas outside parentheses.
std::vector<std::string> split_options(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') depth = std::max(0, depth - 1);
    if (c == ',' && depth == 0) {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(current);
  return out;
}

void build_resize(const CloudflarePlan& plan, GrammarRequest& request) {
  std::optional<ResizeSpec>& resize = request.recipe.resize;
  if (!plan.width && !plan.height) {
    // gravity alone asks for no resize.
    if (resize && !resize->width && !resize->height) resize.reset();
    return;
  }
  ResizeSpec spec = resize.value_or(ResizeSpec{});
  if (plan.width) spec.width = std::max(1, static_cast<int>(std::lround(*plan.width * plan.dpr)));
  if (plan.height) spec.height = std::max(1, static_cast<int>(std::lround(*plan.height * plan.dpr)));
  const std::string& fit = plan.fit;
  spec.fit = fit == "cover" || fit == "crop" ? FitMode::Fill : fit == "pad" ? FitMode::Pad : fit == "squeeze" ? FitMode::Stretch : FitMode::Fit;
  spec.without_enlargement = fit == "scale-down" || fit == "crop";
  resize = spec;
}

void build_border(const CloudflarePlan& plan, Recipe& recipe) {
  auto px = [&plan](int v) { return static_cast<int>(std::lround(v * plan.dpr)); };
  if (!plan.border.any()) return;
  if (plan.border_uniform) {
    recipe.frame.border = std::min(px(plan.border.top), 1000);
    recipe.frame.border_colour = plan.border_colour;
  } else {
    recipe.frame.extend = {px(plan.border.top), px(plan.border.right), px(plan.border.bottom), px(plan.border.left)};
    recipe.frame.extend_colour = plan.border_colour;
  }
}

}  // namespace

Result<GrammarRequest> parse_cloudflare_url(std::string_view path, const ClientHints& hints) {
  while (path.starts_with('/')) path.remove_prefix(1);
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= path.size()) {
    return make_error(ErrorCode::InvalidInput, "the URL needs /cdn-cgi/image/<options>/<source>");
  }
  auto options_text = path_unescape(path.substr(0, slash));
  if (!options_text) return make_error(ErrorCode::InvalidInput, "the options are not properly encoded");

  GrammarRequest request;
  request.grammar = Grammar::Cloudflare;
  CloudflarePlan plan;
  Context context{request, plan};
  for (const std::string& item : split_options(*options_text)) {
    const std::string option(core::trim_spaces(item));
    if (option.empty()) continue;
    const auto eq = option.find('=');
    if (eq == std::string::npos) return make_error(ErrorCode::InvalidInput, "options are key=value: " + option.substr(0, 64));
    std::string key = option.substr(0, eq);
    if (auto alias = short_names().find(key); alias != short_names().end()) key = alias->second;
    auto handler = option_table().find(key);
    if (handler == option_table().end()) return make_error(ErrorCode::InvalidInput, "unknown option: " + key.substr(0, 64), key.substr(0, 64));
    if (auto s = handler->second(context, option.substr(eq + 1)); !s) return s.error();
  }
  if (plan.width_auto) {
    if (hints.width) {
      plan.width = static_cast<int>(std::lround(*hints.width / (hints.dpr.value_or(1.0))));
      request.uses_client_hints = true;
    }
  }
  if (hints.dpr && plan.dpr == 1.0 && (plan.width || plan.height)) {
    plan.dpr = *hints.dpr;
    request.uses_client_hints = true;
  }
  build_resize(plan, request);
  build_border(plan, request.recipe);

  std::string source(path.substr(slash + 1));
  // Proxies squeeze "https://" to "https:/"; put the slash back.
  for (const char* scheme : {"https:/", "http:/"}) {
    if (source.rfind(scheme, 0) == 0 && source.compare(0, std::string(scheme).size() + 1, std::string(scheme) + "/") != 0) {
      source.insert(std::string(scheme).size(), "/");
    }
  }
  if (source.rfind("http://", 0) != 0 && source.rfind("https://", 0) != 0) {
    auto decoded = path_unescape(source);  // a same-zone path may carry %20 and the like
    if (!decoded) return make_error(ErrorCode::InvalidInput, "the source path is not properly encoded");
    source = *decoded;
  }
  request.source = std::move(source);
  if (auto s = validate(request.recipe); !s) return make_error(ErrorCode::InvalidInput, s.error().message, s.error().field);
  return request;
}

}  // namespace pixmill::grammars
