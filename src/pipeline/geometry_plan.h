#pragma once
// Geometry planning: pure arithmetic from the oriented source size and the recipe to
// the exact sizes of every geometric step. No libvips here, so it is unit-tested
// exhaustively and the loader can use it to choose a shrink-on-load factor.

#include <optional>

#include "core/result.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

struct GeometryPlan {
  Size source;                      // oriented source size
  std::optional<CropRect> crop;     // source crop, clipped to the image
  std::optional<Size> resize_to;    // exact size after resizing; nullopt = no resize
  std::optional<Size> cover_crop;   // Fill: crop to this after resizing, by gravity
  std::optional<Size> centre_crop;  // petiteimg crop after resizing
  std::optional<Size> pad_to;       // Pad: embed into this after resizing
  int right_angle = 0;              // 0, 90, 180 or 270, applied after the steps above
  double free_angle = 0.0;          // any other angle, degrees clockwise, applied after
  Size output;                      // size before a free rotation enlarges the canvas

  // The largest per-axis scale from the (un-cropped) source to resize_to; 1 when there is a
  // crop or no resize. A loader may pre-shrink by up to 1/load_scale.
  double load_scale() const;
  bool resized() const { return resize_to.has_value(); }
};

// Precondition: recipe passed validate(). Fails only when the crop misses the image.
Result<GeometryPlan> plan_geometry(Size oriented_source, const Recipe& recipe, const Limits& limits);

// libjpeg's shrink-on-load factor (1, 2, 4 or 8) for an overall scale below 1. Careful
// mode leaves at least a factor of two for the final resize, as vips_thumbnail does;
// fast mode shrinks as far as the target allows, as sharp does by default.
int jpeg_shrink_for_scale(double scale, bool fast = false);

}  // namespace pixmill::pipeline
