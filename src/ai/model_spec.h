#pragma once
// The pre-processing presets a model may need (MODEL_NORMALIZE).

#include <optional>
#include <string_view>

#include "ai/backend.h"

namespace pixmill::ai {

// "isnet" (IMG.LY's ISNet: (x - 128) / 256), "imagenet" (mean .485 .456 .406, std .229
// .224 .225: BiRefNet, U2-Net), "symmetric" ((x - 127.5) / 127.5: MODNet).
std::optional<Normalization> normalization_named(std::string_view name);

bool model_file_present(const ModelSpec& spec);
// MODEL_UNAVAILABLE naming the set-up step.
Error model_not_installed_error();

}  // namespace pixmill::ai
