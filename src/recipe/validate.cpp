// validate(): the recipe's bounds, each failure naming its field and range.
// Non-finite numbers (NaN, inf) are rejected everywhere: they survive parsing
// ("nan" and "1e999" are valid doubles) and would poison libvips arithmetic.

#include <cmath>
#include <string>

#include "recipe/recipe.h"

namespace pixmill::recipe {

bool Effects::any() const {
  return brightness != 1.0 || contrast != 1.0 || saturation != 1.0 || blur_sigma > 0.0 ||
         sharpen_sigma > 0.0 || grayscale || sepia;
}

namespace {

std::string format_number(double v) {
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

Error range_error(const char* field, double lo, double hi) {
  return make_error(ErrorCode::InvalidInput,
                    std::string(field) + " must be between " + format_number(lo) + " and " + format_number(hi),
                    field);
}

bool in_range(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

// 0 means "off"; otherwise the value must be in [lo, hi].
bool off_or_in_range(double v, double lo, double hi) { return v == 0.0 || in_range(v, lo, hi); }

Status validate_crop(const CropRect& crop) {
  if (crop.x < 0) return range_error("cropX", 0, 1e6);
  if (crop.y < 0) return range_error("cropY", 0, 1e6);
  if (crop.width < 1 || crop.width > 1'000'000) return range_error("cropWidth", 1, 1e6);
  if (crop.height < 1 || crop.height > 1'000'000) return range_error("cropHeight", 1, 1e6);
  if (crop.x > 1'000'000) return range_error("cropX", 0, 1e6);
  if (crop.y > 1'000'000) return range_error("cropY", 0, 1e6);
  return ok_status();
}

Status validate_resize(const ResizeSpec& resize) {
  if (!resize.width && !resize.height) {
    return make_error(ErrorCode::InvalidInput, "width or height is required to resize", "width");
  }
  if (resize.width && (*resize.width < 1 || *resize.width > kMaxOutputDimension)) {
    return range_error("width", 1, kMaxOutputDimension);
  }
  if (resize.height && (*resize.height < 1 || *resize.height > kMaxOutputDimension)) {
    return range_error("height", 1, kMaxOutputDimension);
  }
  return ok_status();
}

Status validate_effects(const Effects& fx) {
  if (!in_range(fx.brightness, 0.1, 3.0)) return range_error("brightness", 0.1, 3.0);
  if (!in_range(fx.contrast, 0.1, 3.0)) return range_error("contrast", 0.1, 3.0);
  if (!in_range(fx.saturation, 0.0, 3.0)) return range_error("saturation", 0.0, 3.0);
  if (!off_or_in_range(fx.blur_sigma, 0.3, 100.0)) return range_error("blur", 0.3, 100.0);
  if (!off_or_in_range(fx.sharpen_sigma, 0.3, 10.0)) return range_error("sharpen", 0.3, 10.0);
  return ok_status();
}

Status validate_output(const OutputSpec& out) {
  if (out.quality && (*out.quality < 1 || *out.quality > 100)) return range_error("quality", 1, 100);
  if (out.effort && (*out.effort < 0 || *out.effort > 9)) return range_error("effort", 0, 9);
  if (out.target_bytes && (*out.target_bytes < 1024 || *out.target_bytes > (uint64_t{1} << 32))) {
    return make_error(ErrorCode::InvalidInput, "target size must be between 1 KB and 4 GB", "targetBytes");
  }
  return ok_status();
}

}  // namespace

Status validate(const Recipe& recipe) {
  if (recipe.crop) {
    if (auto s = validate_crop(*recipe.crop); !s) return s;
  }
  if (recipe.resize) {
    if (auto s = validate_resize(*recipe.resize); !s) return s;
  }
  if (recipe.centre_crop) {
    const Size& c = *recipe.centre_crop;
    if (c.width < 1 || c.width > kMaxOutputDimension) return range_error("crop.width", 1, kMaxOutputDimension);
    if (c.height < 1 || c.height > kMaxOutputDimension) return range_error("crop.height", 1, kMaxOutputDimension);
  }
  if (!in_range(recipe.rotate, -360.0, 360.0)) return range_error("rotate", -360, 360);
  if (auto s = validate_effects(recipe.effects); !s) return s;
  if (auto s = validate_ai_options(recipe); !s) return s;
  if (auto s = validate_compositing(recipe); !s) return s;
  return validate_output(recipe.output);
}

}  // namespace pixmill::recipe
