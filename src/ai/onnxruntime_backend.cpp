#include "ai/onnxruntime_backend.h"

#include <onnxruntime_cxx_api.h>


#include "ai/model_spec.h"
#include "ai/onnxruntime_env.h"
#include "ai/tensor_io.h"

namespace pixmill::ai {
namespace {

class OnnxRuntimeBackend final : public SegmentationBackend {
 public:
  OnnxRuntimeBackend(std::unique_ptr<Ort::Session> session, ModelSpec spec, std::string input, std::string output)
      : session_(std::move(session)), spec_(std::move(spec)), input_(std::move(input)), output_(std::move(output)) {}

  Result<Mask> infer(const RgbImage& image) override {
    if (!well_formed(image)) return make_error(ErrorCode::Internal, "segmentation input is malformed");
    try {
      std::vector<float> tensor = input_tensor(image, spec_.input_size, spec_.normalization);
      const int64_t shape[4] = {1, 3, spec_.input_size, spec_.input_size};
      const auto memory = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
      Ort::Value in = Ort::Value::CreateTensor<float>(memory, tensor.data(), tensor.size(), shape, 4);
      const char* inputs[] = {input_.c_str()};
      const char* outputs[] = {output_.c_str()};
      auto results = session_->Run(Ort::RunOptions{nullptr}, inputs, &in, 1, outputs, 1);
      if (results.empty() || !results[0].IsTensor()) return make_error(ErrorCode::ProcessingFailed, "the segmentation model gave no mask");
      const auto info = results[0].GetTensorTypeAndShapeInfo();
      if (info.GetElementType() != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
        return make_error(ErrorCode::ProcessingFailed, "the segmentation model's mask is not float");
      }
      return mask_from_output(results[0].GetTensorData<float>(), info.GetElementCount(), info.GetShape());
    } catch (const Ort::Exception&) {
      return make_error(ErrorCode::ProcessingFailed, "the segmentation model failed on this image");
    }
  }

 private:
  std::unique_ptr<Ort::Session> session_;
  ModelSpec spec_;
  std::string input_;
  std::string output_;
};

Error not_loadable() {
  return make_error(ErrorCode::ModelUnavailable,
                    "the segmentation model at MODEL_PATH did not load in ONNX Runtime: run `make model` "
                    "(scripts/install-model.sh) or point MODEL_PATH at a compatible ONNX model");
}

Result<std::unique_ptr<SegmentationBackend>> load(const ModelSpec& requested) {
  if (!model_file_present(requested)) return model_not_installed_error();
  try {
    auto session = std::make_unique<Ort::Session>(ort_environment(), requested.path.c_str(), ort_session_options(requested.threads));
    if (session->GetInputCount() != 1 || session->GetOutputCount() < 1) return not_loadable();
    Ort::AllocatorWithDefaultOptions allocator;
    const std::string input = session->GetInputNameAllocated(0, allocator).get();
    const std::string output = session->GetOutputNameAllocated(0, allocator).get();
    // A model with a fixed input size is run at that size, whatever MODEL_INPUT_SIZE says;
    // one with free height and width (-1) at the configured size.
    const auto dims = session->GetInputTypeInfo(0).GetTensorTypeAndShapeInfo().GetShape();
    if (dims.size() != 4 || (dims[1] != 3 && dims[1] != -1)) return not_loadable();
    ModelSpec spec = requested;
    if (dims[2] > 0 && dims[3] > 0) {
      if (dims[2] != dims[3]) return not_loadable();
      spec.input_size = static_cast<int>(dims[2]);
    }
    return std::unique_ptr<SegmentationBackend>(std::make_unique<OnnxRuntimeBackend>(std::move(session), spec, input, output));
  } catch (const Ort::Exception&) {
    return not_loadable();
  }
}

}  // namespace

BackendFactory onnxruntime_backend_factory() { return load; }

}  // namespace pixmill::ai
