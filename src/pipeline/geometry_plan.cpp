#include "pipeline/geometry_plan.h"

#include <algorithm>
#include <cmath>

namespace pixmill::pipeline {
namespace {

int scaled(int length, double scale) { return std::max(1, static_cast<int>(std::lround(length * scale))); }

Size scale_size(Size s, double sx, double sy) { return {scaled(s.width, sx), scaled(s.height, sy)}; }

// Normalises an angle to [0, 360).
double normalised_angle(double degrees) {
  double a = std::fmod(degrees, 360.0);
  return a < 0 ? a + 360.0 : a;
}

Result<CropRect> clip_crop(const CropRect& crop, Size image) {
  if (crop.x >= image.width || crop.y >= image.height) {
    return make_error(ErrorCode::InvalidInput, "crop rectangle lies outside the image", "cropX");
  }
  CropRect clipped = crop;
  clipped.width = std::min(crop.width, image.width - crop.x);
  clipped.height = std::min(crop.height, image.height - crop.y);
  return clipped;
}

// The resize box, swapped for a right-angle rotation so that it describes the output.
void plan_resize(GeometryPlan& plan, Size in, const ResizeSpec& spec, bool swap_box) {
  std::optional<int> box_w = swap_box ? spec.height : spec.width;
  std::optional<int> box_h = swap_box ? spec.width : spec.height;
  const double sx_box = box_w ? static_cast<double>(*box_w) / in.width : 0.0;
  const double sy_box = box_h ? static_cast<double>(*box_h) / in.height : 0.0;
  auto limit = [&](double s) { return spec.without_enlargement ? std::min(s, 1.0) : s; };

  if (!box_w || !box_h) {
    // One side given: scale proportionally whatever the mode.
    const double s = limit(box_w ? sx_box : sy_box);
    plan.resize_to = scale_size(in, s, s);
    return;
  }
  switch (spec.fit) {
    case FitMode::Fit: {
      const double s = limit(std::min(sx_box, sy_box));
      plan.resize_to = scale_size(in, s, s);
      return;
    }
    case FitMode::Pad: {
      const double s = limit(std::min(sx_box, sy_box));
      plan.resize_to = scale_size(in, s, s);
      plan.pad_to = Size{std::max(*box_w, plan.resize_to->width), std::max(*box_h, plan.resize_to->height)};
      return;
    }
    case FitMode::Fill: {
      const double s = limit(std::max(sx_box, sy_box));
      plan.resize_to = scale_size(in, s, s);
      plan.cover_crop = Size{std::min(*box_w, plan.resize_to->width), std::min(*box_h, plan.resize_to->height)};
      return;
    }
    case FitMode::Stretch:
      plan.resize_to = scale_size(in, limit(sx_box), limit(sy_box));
      return;
  }
}

Size current_size(const GeometryPlan& plan, Size in) {
  Size s = plan.resize_to.value_or(in);
  if (plan.cover_crop) s = *plan.cover_crop;
  if (plan.centre_crop) s = *plan.centre_crop;
  if (plan.pad_to) s = *plan.pad_to;
  return s;
}

}  // namespace

double GeometryPlan::load_scale() const {
  if (crop || !resize_to) return 1.0;
  return std::max(static_cast<double>(resize_to->width) / source.width,
                  static_cast<double>(resize_to->height) / source.height);
}

Result<GeometryPlan> plan_geometry(Size source, const Recipe& recipe, const Limits& limits) {
  GeometryPlan plan;
  plan.source = source;
  Size in = source;
  if (recipe.crop) {
    auto clipped = clip_crop(*recipe.crop, source);
    if (!clipped) return clipped.error();
    plan.crop = *clipped;
    in = {clipped->width, clipped->height};
  }

  const double angle = normalised_angle(recipe.rotate);
  const bool right = std::fmod(angle, 90.0) == 0.0;
  if (right) {
    plan.right_angle = static_cast<int>(angle);
  } else {
    plan.free_angle = angle;
  }
  const bool swap_box = plan.right_angle == 90 || plan.right_angle == 270;

  if (recipe.resize) plan_resize(plan, in, *recipe.resize, swap_box);

  if (recipe.centre_crop) {
    Size now = plan.resize_to.value_or(in);
    if (plan.cover_crop) now = *plan.cover_crop;
    Size want = *recipe.centre_crop;
    if (swap_box) std::swap(want.width, want.height);
    plan.centre_crop = Size{std::min(want.width, now.width), std::min(want.height, now.height)};
  }

  // The output may not exceed the dimension limit: without an explicit size, large
  // sources are scaled down to fit (never an error for a valid image).
  const int max_side = limits.max_output_dimension;
  Size out = current_size(plan, in);
  if (out.width > max_side || out.height > max_side) {
    const double s = std::min(static_cast<double>(max_side) / out.width, static_cast<double>(max_side) / out.height);
    Size base = plan.resize_to.value_or(in);
    plan.resize_to = scale_size(base, s, s);
    plan.resize_to->width = std::min(plan.resize_to->width, max_side);
    plan.resize_to->height = std::min(plan.resize_to->height, max_side);
    if (plan.cover_crop) plan.cover_crop = Size{std::min(plan.cover_crop->width, plan.resize_to->width), std::min(plan.cover_crop->height, plan.resize_to->height)};
    if (plan.centre_crop) plan.centre_crop = Size{std::min(plan.centre_crop->width, plan.resize_to->width), std::min(plan.centre_crop->height, plan.resize_to->height)};
    if (plan.pad_to) plan.pad_to = Size{std::min(plan.pad_to->width, max_side), std::min(plan.pad_to->height, max_side)};
    out = current_size(plan, in);
  }
  if (plan.resize_to && *plan.resize_to == in) plan.resize_to.reset();
  if (swap_box) std::swap(out.width, out.height);
  plan.output = out;
  return plan;
}

int jpeg_shrink_for_scale(double scale, bool fast) {
  if (scale <= 0.0 || scale >= 1.0) return 1;
  const double shrink = 1.0 / scale;
  const double margin = fast ? 1.0 : 2.0;
  for (int factor : {8, 4, 2}) {
    if (shrink >= factor * margin) return factor;
  }
  return 1;
}

}  // namespace pixmill::pipeline
