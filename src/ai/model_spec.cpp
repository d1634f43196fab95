#include "ai/model_spec.h"

#include <filesystem>

namespace pixmill::ai {

std::optional<Normalization> normalization_named(std::string_view name) {
  // IMG.LY's own pre-processing, @imgly/background-removal 1.4.5 dist/index.cjs:
  // runInference() stretches the RGBA image to 1024x1024 with tensorResizeBilinear(),
  // then tensorHWCtoBCHW(image, mean = [128, 128, 128], std = [256, 256, 256]) writes
  // planar R, G, B as (pixel - 128) / 256; the output "output" is used as-is (* 255)
  // as the alpha, so it is already a probability, not a logit.
  if (name == "isnet") return Normalization{{128.f / 255, 128.f / 255, 128.f / 255}, {256.f / 255, 256.f / 255, 256.f / 255}};
  if (name == "imagenet") return Normalization{{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};
  if (name == "symmetric") return Normalization{{0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f}};
  return std::nullopt;
}

bool model_file_present(const ModelSpec& spec) {
  std::error_code ec;
  return !spec.path.empty() && std::filesystem::is_regular_file(spec.path, ec);
}

Error model_not_installed_error() {
  return make_error(ErrorCode::ModelUnavailable,
                    "background removal needs the segmentation model, which is not installed: run `make model` "
                    "(scripts/install-model.sh) or set MODEL_PATH");
}

}  // namespace pixmill::ai
