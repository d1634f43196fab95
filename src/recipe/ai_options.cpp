// Checks and facts for the AI parts of a recipe (Cutout, FaceOptions, gravity Faces).

#include "recipe/recipe.h"

namespace pixmill::recipe {
namespace {

Status out_of_range(const std::string& field, double min, double max) {
  return make_error(ErrorCode::InvalidInput, field + " must be between " + std::to_string(min) + " and " + std::to_string(max), field);
}

}  // namespace

bool recipe_uses_ai(const Recipe& recipe) {
  return recipe.remove_background || recipe.faces.redact != FaceRedaction::None ||
         (recipe.resize && recipe.resize->gravity == Gravity::Faces);
}

Status validate_ai_options(const Recipe& recipe) {
  const Cutout& c = recipe.cutout;
  if (c.any() && !recipe.remove_background) {
    return make_error(ErrorCode::InvalidInput, "output=mask, crop=subject, bgImage, shadow and refineEdges need background removal (removeBackground=true or /remove-bg)", "removeBackground");
  }
  if (!(c.subject_margin >= 0 && c.subject_margin <= 1)) return out_of_range("subjectMargin", 0, 1);
  if (!(c.shadow_opacity >= 0 && c.shadow_opacity <= 1)) return out_of_range("shadowOpacity", 0, 1);
  if (!(c.shadow_blur >= 0 && c.shadow_blur <= 100)) return out_of_range("shadowBlur", 0, 100);
  if (c.shadow_dx < -1000 || c.shadow_dx > 1000) return out_of_range("shadowX", -1000, 1000);
  if (c.shadow_dy < -1000 || c.shadow_dy > 1000) return out_of_range("shadowY", -1000, 1000);
  if (!(recipe.faces.strength >= 0 && recipe.faces.strength <= 1)) return out_of_range("redactStrength", 0, 1);
  return ok_status();
}

}  // namespace pixmill::recipe
