#pragma once
// Which segmentation model and runtime this server runs, from MODEL, MODEL_PATH,
// AI_BACKEND, MODEL_INPUT_SIZE and MODEL_NORMALIZE.

#include <string>

#include "ai/backend.h"
#include "ai/face_detector.h"
#include "ai/model_catalog.h"
#include "app/config.h"

namespace pixmill::app {

struct ModelChoice {
  std::string name;  // the catalog name, or "custom" for a MODEL_PATH file
  ai::ModelSpec spec;
  ai::Runtime runtime = ai::Runtime::OnnxRuntime;
};

// MODEL_PATH, when set, is the model (run by AI_BACKEND, ONNX Runtime by default, at
// MODEL_INPUT_SIZE or 1024); otherwise MODEL names an installed catalog model.
ModelChoice choose_model(const Config& config);

ai::BackendFactory backend_factory(ai::Runtime runtime);
ai::FaceBackendFactory face_backend_factory();

}  // namespace pixmill::app
