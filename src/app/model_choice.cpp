#include "app/model_choice.h"

#include <filesystem>

#include "ai/model_spec.h"
#include "ai/onnxruntime_backend.h"
#include "ai/onnxruntime_faces.h"
#include "ai/opencv_backend.h"

namespace pixmill::app {

ModelChoice choose_model(const Config& config) {
  ModelChoice choice;
  const ai::CatalogModel& named = ai::find_model(config.model_name) ? *ai::find_model(config.model_name) : ai::default_model();
  if (config.model_path_set && !config.model_name_set) {
    choice.name = "custom";
    choice.spec.path = config.model_path;
    choice.spec.input_size = config.model_input_size > 0 ? config.model_input_size : 1024;
    choice.runtime = config.ai_backend == "opencv" ? ai::Runtime::OpenCv : ai::Runtime::OnnxRuntime;
    choice.spec.normalization = ai::normalization_named(config.model_normalize).value_or(ai::Normalization{});
  } else {
    choice.name = named.name;
    // MODEL beside MODEL_PATH: the named file in MODEL_PATH's folder (the Docker image keeps
    // every model there and points MODEL_PATH at the ISNet file).
    choice.spec.path = config.model_path_set ? (std::filesystem::path(config.model_path).parent_path() / named.file).string()
                                             : installed_model_path(named.file);
    choice.spec.input_size = config.model_input_size > 0 ? config.model_input_size : named.input_size;
    choice.runtime = named.runtime;
    if (config.ai_backend == "opencv") choice.runtime = ai::Runtime::OpenCv;
    if (config.ai_backend == "onnxruntime") choice.runtime = ai::Runtime::OnnxRuntime;
    choice.spec.normalization = ai::normalization_named(named.normalization).value_or(ai::Normalization{});
  }
  choice.spec.threads = config.ai_threads;
  return choice;
}

ai::BackendFactory backend_factory(ai::Runtime runtime) {
  return runtime == ai::Runtime::OpenCv ? ai::opencv_backend_factory() : ai::onnxruntime_backend_factory();
}

ai::FaceBackendFactory face_backend_factory() { return ai::onnxruntime_face_factory(); }

}  // namespace pixmill::app
