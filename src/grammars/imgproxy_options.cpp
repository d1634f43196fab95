// imgproxy's options, one table row each (name and short name, then what it does), in
// the order of imgproxy's own documentation. Options pixmill cannot do yet answer
// UnsupportedOption from their row, so filling a gap is a one-row change. imgproxy
// answers every option error with 404 "Invalid URL" (error_map.cpp, Imgproxy column).

#include "core/base64.h"
#include "grammars/imgproxy_options.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "grammars/arguments.h"
#include "grammars/imgproxy_option_errors.h"
#include "recipe/auto_quality.h"
#include "grammars/imgproxy_url.h"

namespace pixmill::grammars {
namespace {

using Args = std::vector<std::string>;

Error invalid(const std::string& message, const std::string& option) {
  return make_error(ErrorCode::InvalidInput, message, option);
}
Error invalid_args(const std::string& option, const Args& args) { return imgproxy_invalid_args(option, args); }
Error invalid_arg(const std::string& option, const std::string& arg, const std::string& expected) {
  return imgproxy_invalid_arg(option, arg, expected);
}
Error not_yet(const std::string& option) { return imgproxy_not_yet(option); }

Status max_args(const std::string& option, const Args& args, size_t most) {
  if (args.size() > most) return invalid_args(option, args);
  return ok_status();
}

Status non_negative_int(const std::string& option, const std::string& arg, int& out) {
  auto v = parse_integer(arg);
  if (!v || *v < 0 || *v > 1'000'000'000) return invalid_arg(option, arg, "positive number or 0");
  out = static_cast<int>(*v);
  return ok_status();
}

Status positive_float(const std::string& option, const std::string& arg, double& out, bool zero_allowed) {
  auto v = parse_decimal(arg);
  if (!v || *v < 0 || (!zero_allowed && *v == 0)) return invalid_arg(option, arg, zero_allowed ? "positive number or 0" : "positive number");
  out = *v;
  return ok_status();
}

bool go_bool(const std::string& arg) { return imgproxy_bool(arg); }

Status gravity(const std::string& option, const Args& args, ImgproxyGravity& out) {
  static const std::vector<std::string> kTypes = {"no", "so", "ea", "we", "noea", "nowe", "soea", "sowe", "ce", "sm", "fp"};
  if (args.empty() || std::find(kTypes.begin(), kTypes.end(), args[0]) == kTypes.end()) {
    return invalid_arg(option, args.empty() ? "" : args[0], "no, so, ea, we, noea, nowe, soea, sowe, ce, sm, fp");
  }
  ImgproxyGravity g;
  g.type = args[0];
  if (g.type == "sm" && args.size() > 1) return invalid_args(option, args);
  if (g.type == "fp" && args.size() != 3) return invalid_args(option, args);
  if (args.size() > 3) return invalid_args(option, args);
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].empty()) continue;
    auto v = parse_decimal(args[i]);
    if (!v || (g.type == "fp" && (*v < 0 || *v > 1))) return invalid_arg(option, args[i], "number");
    (i == 1 ? g.x : g.y) = *v;
  }
  // Offsets move a crop by pixels; the pipeline places crops by gravity only.
  if (g.type != "fp" && g.type != "sm" && (g.x != 0 || g.y != 0)) return not_yet("gravity offsets");
  out = g;
  return ok_status();
}

Status extend(const std::string& option, const Args& args, bool& enabled) {
  if (auto s = max_args(option, args, 4); !s) return s;
  enabled = go_bool(args[0]);
  if (args.size() > 1) {
    ImgproxyGravity g;
    if (auto s = gravity(option, Args(args.begin() + 1, args.end()), g); !s) return s;
    if (g.type != "ce") return not_yet(option + " gravity");  // the pad step centres
  }
  return ok_status();
}

Status size(ImgproxyOptions& o, const Args& args) {
  if (auto s = max_args("size", args, 7); !s) return s;
  if (args.size() >= 1 && !args[0].empty()) {
    if (auto s = non_negative_int("width", args[0], o.width); !s) return s;
  }
  if (args.size() >= 2 && !args[1].empty()) {
    if (auto s = non_negative_int("height", args[1], o.height); !s) return s;
  }
  if (args.size() >= 3 && !args[2].empty()) o.enlarge = go_bool(args[2]);
  if (args.size() >= 4 && !args[3].empty()) return extend("extend", Args(args.begin() + 3, args.end()), o.extend);
  return ok_status();
}

Status resizing_type(ImgproxyOptions& o, const Args& args) {
  if (auto s = max_args("resizing_type", args, 1); !s) return s;
  static const std::vector<std::string> kTypes = {"fit", "fill", "fill-down", "force", "auto"};
  if (std::find(kTypes.begin(), kTypes.end(), args[0]) == kTypes.end()) {
    return invalid_arg("resizing_type", args[0], "fit, fill, fill-down, force, auto");
  }
  o.resizing_type = args[0];
  return ok_status();
}

Status resize(ImgproxyOptions& o, const Args& args) {
  if (auto s = max_args("resize", args, 8); !s) return s;
  if (!args[0].empty()) {
    if (auto s = resizing_type(o, Args{args[0]}); !s) return s;
  }
  if (args.size() > 1) return size(o, Args(args.begin() + 1, args.end()));
  return ok_status();
}

Status crop(ImgproxyOptions& o, const Args& args) {
  if (auto s = max_args("crop", args, 5); !s) return s;
  SizedCrop c;
  if (auto s = positive_float("crop", args[0], c.width, true); !s) return s;
  if (args.size() > 1 && !args[1].empty()) {
    if (auto s = positive_float("crop", args[1], c.height, true); !s) return s;
  }
  if (args.size() > 2) {
    ImgproxyGravity g;
    if (auto s = gravity("crop", Args(args.begin() + 2, args.end()), g); !s) return s;
    if (g.type == "fp") c.focus = FocusPoint{g.x, g.y};
    c.gravity = imgproxy_gravity(g.type);
  }
  o.crop = c;
  return ok_status();
}

Status format(ImgproxyOptions& o, const Args& args) {
  if (auto s = max_args("format", args, 1); !s) return s;
  auto f = imgproxy_format(args[0]);
  if (!f) return f.error();
  o.format = *f;
  return ok_status();
}

Status quality_value(const std::string& option, const std::string& arg, int& out) {
  auto v = parse_integer(arg);
  if (!v || *v < 0 || *v > 100) return invalid_arg(option, arg, "number in range 0-100");
  out = static_cast<int>(*v);
  return ok_status();
}

Status format_quality(ImgproxyOptions& o, const Args& args) {
  if (args.size() % 2 != 0) return invalid("Missing format_quality for: " + args.back().substr(0, 64), "format_quality");
  for (size_t i = 0; i < args.size(); i += 2) {
    auto f = imgproxy_format(args[i]);
    if (!f) return invalid("Invalid image format: " + args[i].substr(0, 64), "format_quality");
    int q = 0;
    if (auto s = quality_value("format_quality", args[i + 1], q); !s) return s;
    o.format_quality[*f] = q;
  }
  return ok_status();
}

Status background(ImgproxyOptions& o, const Args& args) {
  if (args.size() == 1) {
    if (args[0].empty()) {
      o.background.reset();
      return ok_status();
    }
    auto c = parse_hex_colour(args[0]);
    if (!c) return invalid_arg("background", args[0], "hex-encoded color");
    o.background = *c;
    return ok_status();
  }
  if (args.size() != 3) return invalid_args("background", args);
  Colour c = Colour::black();
  uint8_t* channels[3] = {&c.r, &c.g, &c.b};
  for (size_t i = 0; i < 3; ++i) {
    auto v = parse_integer(args[i]);
    if (!v || *v < 0 || *v > 255) return invalid_arg("background", args[i], "number in range 0-255");
    *channels[i] = static_cast<uint8_t>(*v);
  }
  o.background = c;
  return ok_status();
}

Status expires(ImgproxyOptions& o, const Args& args, int64_t now_s) {
  if (auto s = max_args("expires", args, 1); !s) return s;
  auto v = parse_integer(args[0]);
  if (!v) return invalid_arg("expires", args[0], "unix timestamp");
  if (*v > 0 && *v < now_s) return make_error(ErrorCode::Expired, "Expired URL", "expires");
  o.expires = *v;
  return ok_status();
}

Status filename(ImgproxyOptions& o, const Args& args) {
  if (auto s = max_args("filename", args, 2); !s) return s;
  std::string name = args[0];
  if (args.size() > 1 && go_bool(args[1])) {
    auto decoded = core::base64url_decode(args[0]);
    if (!decoded) return invalid_arg("filename", args[0], "URL-safe base64-encoded string");
    name = *decoded;
  }
  o.filename = name;
  return ok_status();
}

Status one_bool(const std::string& option, const Args& args, bool& out) {
  if (auto s = max_args(option, args, 1); !s) return s;
  out = go_bool(args[0]);
  return ok_status();
}

// Options accepted only at the value that changes nothing pixmill does differently.
Status only_value(const std::string& option, const Args& args, bool accepted) {
  if (auto s = max_args(option, args, 1); !s) return s;
  if (go_bool(args[0]) != accepted) return not_yet(option + ":" + args[0]);
  return ok_status();
}

using Handler = std::function<Status(ImgproxyOptions&, const Args&, const ImgproxyOptionContext&, int depth)>;

struct OptionRow {
  std::vector<std::string> names;
  Handler apply;
};

Status preset(ImgproxyOptions& o, const Args& args, const ImgproxyOptionContext& context, int depth) {
  for (const auto& name : args) {
    if (!context.presets || !context.presets->count(name)) return invalid("Unknown preset: " + name.substr(0, 64), "preset");
    const std::string& text = context.presets->at(name);
    // imgproxy skips a preset already in use (a loop); depth bounds what nesting can cost.
    if (std::find(o.used_presets.begin(), o.used_presets.end(), name) != o.used_presets.end() || depth > 8) continue;
    o.used_presets.push_back(name);
    if (auto s = apply_imgproxy_option_path(o, text, context, depth + 1); !s) return s;
  }
  return ok_status();
}

// clang-format off
const std::vector<OptionRow>& option_rows() {
  static const std::vector<OptionRow> rows = {
    {{"resize", "rs"}, [](auto& o, const Args& a, auto&, int) { return resize(o, a); }},
    {{"size", "s"}, [](auto& o, const Args& a, auto&, int) { return size(o, a); }},
    {{"resizing_type", "rt"}, [](auto& o, const Args& a, auto&, int) { return resizing_type(o, a); }},
    {{"width", "w"}, [](auto& o, const Args& a, auto&, int) { return a.size() > 1 ? Status(invalid_args("width", a)) : non_negative_int("width", a[0], o.width); }},
    {{"height", "h"}, [](auto& o, const Args& a, auto&, int) { return a.size() > 1 ? Status(invalid_args("height", a)) : non_negative_int("height", a[0], o.height); }},
    {{"min-width", "mw"}, [](auto& o, const Args& a, auto&, int) { return a.size() > 1 ? Status(invalid_args("min-width", a)) : non_negative_int("min-width", a[0], o.min_width); }},
    {{"min-height", "mh"}, [](auto& o, const Args& a, auto&, int) { return a.size() > 1 ? Status(invalid_args("min-height", a)) : non_negative_int("min-height", a[0], o.min_height); }},
    {{"zoom", "z"}, [](auto& o, const Args& a, auto&, int) {
       if (a.size() > 2) return Status(invalid_args("zoom", a));
       if (auto s = positive_float("zoom", a[0], o.zoom_x, false); !s) return s;
       if (a.size() < 2) { o.zoom_y = o.zoom_x; return ok_status(); }
       return positive_float("zoom", a[1], o.zoom_y, false); }},
    {{"dpr"}, [](auto& o, const Args& a, auto&, int) { return a.size() > 1 ? Status(invalid_args("dpr", a)) : positive_float("dpr", a[0], o.dpr, false); }},
    {{"enlarge", "el"}, [](auto& o, const Args& a, auto&, int) { return one_bool("enlarge", a, o.enlarge); }},
    {{"extend", "ex"}, [](auto& o, const Args& a, auto&, int) { return extend("extend", a, o.extend); }},
    {{"extend_aspect_ratio", "extend_ar", "exar"}, [](auto& o, const Args& a, auto&, int) { return extend("extend_aspect_ratio", a, o.extend_aspect_ratio); }},
    {{"gravity", "g"}, [](auto& o, const Args& a, auto&, int) { return gravity("gravity", a, o.gravity); }},
    {{"crop", "c"}, [](auto& o, const Args& a, auto&, int) { return crop(o, a); }},
    {{"trim", "t"}, [](auto& o, const Args& a, auto&, int) { return imgproxy_trim(o, a); }},
    {{"padding", "pd"}, [](auto& o, const Args& a, auto&, int) { return imgproxy_padding(o, a); }},
    {{"auto_rotate", "ar"}, [](auto&, const Args& a, auto&, int) { return only_value("auto_rotate", a, true); }},
    {{"rotate", "rot"}, [](auto& o, const Args& a, auto&, int) {
       if (a.size() > 1) return Status(invalid_args("rotate", a));
       auto v = parse_integer(a[0]);
       if (!v || *v < -3600 || *v > 3600) return Status(invalid_arg("rotate", a[0], "integer number"));
       if (*v % 90 != 0) return Status(invalid("Rotation angle must be a multiple of 90", "rotate"));
       o.rotate = static_cast<int>(*v % 360);
       return ok_status(); }},
    {{"flip", "fl"}, [](auto& o, const Args& a, auto&, int) {
       if (a.size() > 2) return Status(invalid_args("flip", a));
       if (!a[0].empty()) o.flip_horizontal = go_bool(a[0]);
       if (a.size() > 1 && !a[1].empty()) o.flip_vertical = go_bool(a[1]);
       return ok_status(); }},
    {{"background", "bg"}, [](auto& o, const Args& a, auto&, int) { return background(o, a); }},
    {{"blur", "bl"}, [](auto& o, const Args& a, auto&, int) { return a.size() > 1 ? Status(invalid_args("blur", a)) : positive_float("blur", a[0], o.blur, true); }},
    {{"sharpen", "sh"}, [](auto& o, const Args& a, auto&, int) { return a.size() > 1 ? Status(invalid_args("sharpen", a)) : positive_float("sharpen", a[0], o.sharpen, true); }},
    {{"pixelate", "pix"}, [](auto& o, const Args& a, auto&, int) { return imgproxy_pixelate(o, a); }},
    {{"watermark", "wm"}, [](auto& o, const Args& a, auto&, int) { return imgproxy_watermark(o, a); }},
    {{"watermark_url", "wmu"}, [](auto& o, const Args& a, auto&, int) { return imgproxy_watermark_url(o, a); }},
    {{"strip_metadata", "sm"}, [](auto& o, const Args& a, auto&, int) { return one_bool("strip_metadata", a, o.strip_metadata); }},
    // imgproxy keeps the copyright when stripping; pixmill strips it too (documented).
    {{"keep_copyright", "kcr"}, [](auto&, const Args& a, auto&, int) { return max_args("keep_copyright", a, 1); }},
    // pixmill always writes sRGB; the embedded profile goes with the other metadata.
    {{"strip_color_profile", "scp"}, [](auto&, const Args& a, auto&, int) { return max_args("strip_color_profile", a, 1); }},
    {{"preserve_hdr", "ph"}, [](auto&, const Args& a, auto&, int) { return only_value("preserve_hdr", a, false); }},
    {{"enforce_thumbnail", "eth"}, [](auto&, const Args& a, auto&, int) { return only_value("enforce_thumbnail", a, false); }},
    {{"quality", "q"}, [](auto& o, const Args& a, auto&, int) {
       // q:auto and q:auto:eco (imgproxy's ':' splits the level off as a second argument).
       if (!a.empty() && a[0] == "auto" && a.size() <= 2) {
         auto level = recipe::parse_auto_quality(a.size() == 2 ? "auto:" + a[1] : "auto");
         if (!level) return Status(invalid_args("quality", a));
         o.auto_quality = *level;
         return ok_status();
       }
       return a.size() > 1 ? Status(invalid_args("quality", a)) : quality_value("quality", a[0], o.quality); }},
    {{"format_quality", "fq"}, [](auto& o, const Args& a, auto&, int) { return format_quality(o, a); }},
    {{"max_bytes", "mb"}, [](auto& o, const Args& a, auto&, int) {
       int v = 0;
       if (a.size() > 1) return Status(invalid_args("max_bytes", a));
       if (auto s = non_negative_int("max_bytes", a[0], v); !s) return s;
       o.max_bytes = v;
       return ok_status(); }},
    {{"format", "f", "ext"}, [](auto& o, const Args& a, auto&, int) { return format(o, a); }},
    {{"skip_processing", "skp"}, [](auto&, const Args&, auto&, int) { return Status(not_yet("skip_processing")); }},
    {{"raw"}, [](auto&, const Args& a, auto&, int) { return only_value("raw", a, false); }},
    {{"cachebuster", "cb"}, [](auto& o, const Args& a, auto&, int) {
       if (a.size() > 1) return Status(invalid_args("cachebuster", a));
       o.cachebuster = a[0];
       return ok_status(); }},
    {{"expires", "exp"}, [](auto& o, const Args& a, auto& c, int) { return expires(o, a, c.now_s); }},
    {{"filename", "fn"}, [](auto& o, const Args& a, auto&, int) { return filename(o, a); }},
    {{"return_attachment", "att"}, [](auto& o, const Args& a, auto&, int) { return one_bool("return_attachment", a, o.return_attachment); }},
    {{"preset", "pr"}, [](auto& o, const Args& a, auto& c, int depth) { return preset(o, a, c, depth); }},
    // imgproxy refuses these unless IMGPROXY_ALLOW_SECURITY_OPTIONS; pixmill's limits are server-wide.
    {{"max_src_resolution", "msr", "max_src_file_size", "msfs", "max_animation_frames", "maf",
      "max_animation_frame_resolution", "mafr", "max_result_dimension", "mrd"},
     [](auto&, const Args&, auto&, int) { return Status(not_yet("security processing options")); }},
  };
  return rows;
}
// clang-format on

}  // namespace

Error imgproxy_invalid_args(const std::string& option, const std::vector<std::string>& args) {
  std::string joined;
  for (const auto& a : args) joined += (joined.empty() ? "" : " ") + a.substr(0, 64);
  return invalid("Invalid " + option + " arguments: [" + joined + "]", option);
}
Error imgproxy_invalid_arg(const std::string& option, const std::string& arg, const std::string& expected) {
  return invalid("Invalid " + option + ": " + arg.substr(0, 64) + " (expected " + expected + ")", option);
}
Error imgproxy_not_yet(const std::string& option) {
  return make_error(ErrorCode::UnsupportedOption, "the " + option + " option is not supported by pixmill yet", option);
}
bool imgproxy_bool(const std::string& arg) { return parse_go_bool(arg).value_or(false); }

Status apply_imgproxy_option(ImgproxyOptions& options, const std::string& name, const std::vector<std::string>& args,
                             const ImgproxyOptionContext& context, int preset_depth) {
  for (const auto& row : option_rows()) {
    if (std::find(row.names.begin(), row.names.end(), name) != row.names.end()) {
      return row.apply(options, args, context, preset_depth);
    }
  }
  return invalid("Unknown processing option " + name.substr(0, 64), name.substr(0, 64));
}

Status apply_imgproxy_option_path(ImgproxyOptions& options, std::string_view text, const ImgproxyOptionContext& context,
                                  int preset_depth) {
  for (const auto& part : split_all(text, '/')) {
    if (part.empty()) continue;
    auto args = split_all(part, ':');
    const std::string name = args.front();
    args.erase(args.begin());
    if (args.empty()) return invalid("Invalid option in a preset: " + name.substr(0, 64), "preset");
    if (auto s = apply_imgproxy_option(options, name, args, context, preset_depth); !s) return s;
  }
  return ok_status();
}

}  // namespace pixmill::grammars
