#include "dialects/petiteimg_operations.h"

#include <nlohmann/json.hpp>

#include <string>

namespace pixmill::dialects {
namespace {

using nlohmann::json;

Error invalid(const std::string& message, const std::string& field = "operations") {
  return make_error(ErrorCode::InvalidInput, message, field);
}

// An optional integer setting within bounds; absent -> nullopt.
Result<std::optional<int>> int_setting(const json& settings, const char* key, int lo, int hi, const std::string& op) {
  if (!settings.contains(key) || settings[key].is_null()) return std::optional<int>{};
  const json& v = settings[key];
  if (!v.is_number() || (v.is_number_float() && std::floor(v.get<double>()) != v.get<double>())) {
    return invalid(op + "." + key + " must be an integer");
  }
  const double d = v.get<double>();
  if (d < lo || d > hi) return invalid(op + "." + key + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return std::optional<int>(static_cast<int>(d));
}

Status apply_resize(recipe::Recipe& r, const json& s) {
  auto w = int_setting(s, "width", 1, recipe::kMaxOutputDimension, "resize");
  if (!w) return w.error();
  auto h = int_setting(s, "height", 1, recipe::kMaxOutputDimension, "resize");
  if (!h) return h.error();
  if (!*w && !*h) return invalid("resize needs width or height");
  // "Aspect ratio is always preserved. Images are never upscaled."
  r.resize = recipe::ResizeSpec{*w, *h, recipe::FitMode::Fit, recipe::Gravity::Centre, true};
  return ok_status();
}

Status apply_crop(recipe::Recipe& r, const json& s) {
  auto w = int_setting(s, "width", 1, recipe::kMaxOutputDimension, "crop");
  if (!w) return w.error();
  auto h = int_setting(s, "height", 1, recipe::kMaxOutputDimension, "crop");
  if (!h) return h.error();
  if (!*w || !*h) return invalid("crop needs width and height");
  r.centre_crop = recipe::Size{**w, **h};
  return ok_status();
}

Status apply_compress(recipe::Recipe& r, const json& s) {
  auto q = int_setting(s, "quality", 1, 100, "compress");
  if (!q) return q.error();
  r.output.quality = q->value_or(80);
  if (s.contains("super_saver")) {
    if (!s["super_saver"].is_boolean()) return invalid("compress.super_saver must be a boolean");
    r.output.max_compression = s["super_saver"].get<bool>();
  }
  // Compressing a PNG means a palette, as TinyPNG-style services do.
  r.output.palette = true;
  return ok_status();
}

Status apply_convert(recipe::Recipe& r, const json& s) {
  if (!s.contains("format") || !s["format"].is_string()) return invalid("convert needs format: jpeg, png or webp");
  const std::string f = s["format"].get<std::string>();
  if (f == "jpeg" || f == "jpg") {
    r.output.format = recipe::OutputFormat::Jpeg;
  } else if (f == "png") {
    r.output.format = recipe::OutputFormat::Png;
  } else if (f == "webp") {
    r.output.format = recipe::OutputFormat::Webp;
  } else {
    return invalid("convert.format must be jpeg, png or webp");
  }
  return ok_status();
}

}  // namespace

Result<recipe::Recipe> parse_petiteimg_operations(std::string_view text) {
  json ops = json::parse(text, nullptr, false);
  if (ops.is_discarded()) return invalid("Invalid operations JSON.");
  if (!ops.is_array()) return invalid("operations must be a JSON array of {op, settings}");
  if (ops.size() > 16) return invalid("too many operations");
  recipe::Recipe recipe;
  recipe.output.format = recipe::OutputFormat::Original;
  recipe.output.original_avif_as_jpeg = true;  // AVIF is input-only on petiteimg
  for (const json& item : ops) {
    if (!item.is_object() || !item.contains("op") || !item["op"].is_string()) {
      return invalid("each operation must be an object with an op name");
    }
    const std::string op = item["op"].get<std::string>();
    const json settings = item.contains("settings") && item["settings"].is_object() ? item["settings"] : json::object();
    if (item.contains("settings") && !item["settings"].is_object() && !item["settings"].is_null()) {
      return invalid(op + ".settings must be an object");
    }
    Status applied = op == "resize"     ? apply_resize(recipe, settings)
                     : op == "crop"     ? apply_crop(recipe, settings)
                     : op == "compress" ? apply_compress(recipe, settings)
                     : op == "convert"  ? apply_convert(recipe, settings)
                                        : Status(invalid("Unknown operation: " + op.substr(0, 40)));
    if (!applied) return applied.error();
  }
  return recipe;
}

}  // namespace pixmill::dialects
