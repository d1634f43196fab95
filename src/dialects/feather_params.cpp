#include "dialects/feather_params.h"

#include <algorithm>
#include <cmath>

namespace pixmill::dialects {
namespace {

Status ok() { return ok_status(); }

recipe::ResizeSpec& box(recipe::Recipe& r) {
  if (!r.resize) r.resize = recipe::ResizeSpec{std::nullopt, std::nullopt, recipe::FitMode::Fit, recipe::Gravity::Centre, true};
  return *r.resize;
}

recipe::CropRect& crop(recipe::Recipe& r) {
  if (!r.crop) r.crop = recipe::CropRect{0, 0, 0, 0};
  return *r.crop;
}

ParamSpec spec(std::string name, ParamType type, double lo, double hi, std::vector<std::string> choices, std::string def,
               std::string doc, std::function<Status(recipe::Recipe&, const ParamValue&)> apply) {
  return ParamSpec{std::move(name), {}, type, lo, hi, std::move(choices), std::move(def), std::move(doc), std::move(apply)};
}

ParamTable build() {
  using T = ParamType;
  ParamTable t;
  t.push_back(spec("outputFormat", T::Enum, 0, 0, {"auto", "jpeg", "jpg", "png", "webp", "avif"}, "auto", "Output format",
                   [](recipe::Recipe& r, const ParamValue& v) { r.output.format = *recipe::parse_output_format(v.text); return ok(); }));
  t.push_back(spec("quality", T::Integer, 1, 100, {}, "80", "Encoder quality", apply_quality));
  accept_auto_quality(t.back());
  t.push_back(spec("maxWidth", T::Integer, 1, recipe::kMaxOutputDimension, {}, "", "Resize down so width <= this",
                   [](recipe::Recipe& r, const ParamValue& v) { box(r).width = static_cast<int>(v.integer); return ok(); }));
  t.push_back(spec("maxHeight", T::Integer, 1, recipe::kMaxOutputDimension, {}, "", "Resize down so height <= this",
                   [](recipe::Recipe& r, const ParamValue& v) { box(r).height = static_cast<int>(v.integer); return ok(); }));
  t.push_back(spec("stripMetadata", T::Boolean, 0, 1, {}, "true", "Strip EXIF/IPTC/XMP",
                   [](recipe::Recipe& r, const ParamValue& v) { r.output.strip_metadata = v.boolean; return ok(); }));
  t.push_back(spec("targetMB", T::Number, 0.001, 4096, {}, "", "Target output size in MB",
                   [](recipe::Recipe& r, const ParamValue& v) {
                     r.output.target_bytes = std::max<uint64_t>(1024, static_cast<uint64_t>(std::llround(v.number * 1024 * 1024)));
                     return ok();
                   }));
  t.push_back(spec("mode", T::Enum, 0, 0, {"final", "preview"}, "final", "final or preview (fast, lower effort)",
                   [](recipe::Recipe& r, const ParamValue& v) { r.output.preview = v.text == "preview"; return ok(); }));
  t.push_back(spec("progressive", T::Boolean, 0, 1, {}, "false", "Progressive JPEG",
                   [](recipe::Recipe& r, const ParamValue& v) { r.output.progressive = v.boolean; return ok(); }));
  t.push_back(spec("effort", T::Integer, 0, 9, {}, "", "WebP/AVIF effort",
                   [](recipe::Recipe& r, const ParamValue& v) { r.output.effort = static_cast<int>(v.integer); return ok(); }));
  t.push_back(spec("cropX", T::Integer, 0, 1e6, {}, "", "Crop rectangle left",
                   [](recipe::Recipe& r, const ParamValue& v) { crop(r).x = static_cast<int>(v.integer); return ok(); }));
  t.push_back(spec("cropY", T::Integer, 0, 1e6, {}, "", "Crop rectangle top",
                   [](recipe::Recipe& r, const ParamValue& v) { crop(r).y = static_cast<int>(v.integer); return ok(); }));
  t.push_back(spec("cropWidth", T::Integer, 1, 1e6, {}, "", "Crop rectangle width",
                   [](recipe::Recipe& r, const ParamValue& v) { crop(r).width = static_cast<int>(v.integer); return ok(); }));
  t.push_back(spec("cropHeight", T::Integer, 1, 1e6, {}, "", "Crop rectangle height",
                   [](recipe::Recipe& r, const ParamValue& v) { crop(r).height = static_cast<int>(v.integer); return ok(); }));
  t.push_back(spec("rotate", T::Number, -360, 360, {}, "0", "Degrees",
                   [](recipe::Recipe& r, const ParamValue& v) { r.rotate = v.number; return ok(); }));
  t.push_back(spec("flip", T::Boolean, 0, 1, {}, "false", "Vertical flip",
                   [](recipe::Recipe& r, const ParamValue& v) { r.flip = v.boolean; return ok(); }));
  t.push_back(spec("flop", T::Boolean, 0, 1, {}, "false", "Horizontal flip",
                   [](recipe::Recipe& r, const ParamValue& v) { r.flop = v.boolean; return ok(); }));
  t.push_back(spec("brightness", T::Number, 0.1, 3, {}, "1", "Brightness multiplier",
                   [](recipe::Recipe& r, const ParamValue& v) { r.effects.brightness = v.number; return ok(); }));
  t.push_back(spec("saturation", T::Number, 0, 3, {}, "1", "Saturation multiplier",
                   [](recipe::Recipe& r, const ParamValue& v) { r.effects.saturation = v.number; return ok(); }));
  t.push_back(spec("contrast", T::Number, 0.1, 3, {}, "1", "Contrast multiplier",
                   [](recipe::Recipe& r, const ParamValue& v) { r.effects.contrast = v.number; return ok(); }));
  t.push_back(spec("grayscale", T::Boolean, 0, 1, {}, "false", "Convert to grayscale",
                   [](recipe::Recipe& r, const ParamValue& v) { r.effects.grayscale = v.boolean; return ok(); }));
  t.push_back(spec("blur", T::Number, 0, 10, {}, "0", "Gaussian blur sigma",
                   [](recipe::Recipe& r, const ParamValue& v) {
                     r.effects.blur_sigma = v.number > 0 && v.number < 0.3 ? 0.3 : v.number;
                     return ok();
                   }));
  t.push_back(spec("sharpen", T::Boolean, 0, 1, {}, "false", "Apply default sharpen",
                   [](recipe::Recipe& r, const ParamValue& v) { r.effects.sharpen_sigma = v.boolean ? 1.0 : 0.0; return ok(); }));
  return t;
}

}  // namespace

const ParamTable& feather_params() {
  static const ParamTable table = build();
  return table;
}

Result<recipe::Recipe> parse_feather_fields(const Params& fields, bool convert) {
  recipe::Recipe recipe;
  recipe.output.format = recipe::OutputFormat::Auto;
  recipe.output.quality = 80;
  std::vector<std::string> ignored;
  if (convert) ignored.push_back("targetMB");
  if (auto s = apply_params(feather_params(), fields, recipe, false, ignored); !s) return s.error();
  if (convert) {
    const bool given = std::any_of(fields.begin(), fields.end(), [](const auto& f) { return f.first == "outputFormat"; });
    if (!given || recipe.output.format == recipe::OutputFormat::Auto) {
      return make_error(ErrorCode::InvalidInput, "outputFormat is required and may not be auto", "outputFormat");
    }
  }
  if (recipe.crop && (recipe.crop->width == 0 || recipe.crop->height == 0)) {
    return make_error(ErrorCode::InvalidInput, "cropWidth and cropHeight are required with cropX/cropY", "cropWidth");
  }
  return recipe;
}

}  // namespace pixmill::dialects
