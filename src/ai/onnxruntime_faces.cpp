#include "ai/onnxruntime_faces.h"

#include <onnxruntime_cxx_api.h>

#include <filesystem>
#include <thread>

#include "ai/blazeface.h"
#include "ai/onnxruntime_env.h"

namespace pixmill::ai {
namespace {

class BlazeFaceBackend final : public FaceDetectionBackend {
 public:
  BlazeFaceBackend(std::unique_ptr<Ort::Session> session, FaceModelSpec spec, int size)
      : session_(std::move(session)), spec_(std::move(spec)), size_(size) {
    Ort::AllocatorWithDefaultOptions allocator;
    input_ = session_->GetInputNameAllocated(0, allocator).get();
    for (size_t i = 0; i < session_->GetOutputCount(); ++i) outputs_.push_back(session_->GetOutputNameAllocated(i, allocator).get());
  }

  int input_size() const override { return size_; }

  Result<std::vector<FaceBox>> detect_tile(const RgbImage& tile) override {
    if (tile.width != size_ || tile.height != size_ || tile.pixels.size() != size_t(size_) * size_ * 3) {
      return make_error(ErrorCode::Internal, "face detector tile is malformed");
    }
    try {
      // NHWC, R,G,B scaled to -1..1, as MediaPipe feeds it.
      std::vector<float> tensor(tile.pixels.size());
      for (size_t i = 0; i < tensor.size(); ++i) tensor[i] = tile.pixels[i] / 127.5f - 1.0f;
      const int64_t shape[4] = {1, size_, size_, 3};
      const auto memory = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
      Ort::Value in = Ort::Value::CreateTensor<float>(memory, tensor.data(), tensor.size(), shape, 4);
      const char* inputs[] = {input_.c_str()};
      std::vector<const char*> outputs;
      for (const auto& name : outputs_) outputs.push_back(name.c_str());
      auto results = session_->Run(Ort::RunOptions{nullptr}, inputs, &in, 1, outputs.data(), outputs.size());
      // Scores are N x 1 and boxes N x 16 per layer; N tells the layer (16x16x2 or 8x8x6).
      std::vector<std::span<const float>> scores, boxes;
      for (auto& value : results) {
        const auto info = value.GetTensorTypeAndShapeInfo();
        const auto dims = info.GetShape();
        if (info.GetElementType() != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT || dims.empty()) continue;
        std::span<const float> data(value.GetTensorData<float>(), info.GetElementCount());
        (dims.back() == 1 ? scores : boxes).push_back(data);
      }
      std::vector<blazeface::Layer> layers;
      for (const auto& s : scores) {
        for (const auto& b : boxes) {
          if (b.size() != s.size() * 16) continue;
          const int grid = s.size() == 512 ? size_ / 16 : size_ / 32;
          layers.push_back(blazeface::Layer{grid, s, b});
        }
      }
      return blazeface::decode(layers, size_, spec_.min_score);
    } catch (const Ort::Exception&) {
      return make_error(ErrorCode::ProcessingFailed, "the face detector failed on this image");
    }
  }

 private:
  std::unique_ptr<Ort::Session> session_;
  FaceModelSpec spec_;
  int size_;
  std::string input_;
  std::vector<std::string> outputs_;
};

Error face_model_missing() {
  return make_error(ErrorCode::ModelUnavailable,
                    "face detection needs the face model, which is not installed: run `make model` "
                    "(scripts/install-model.sh) or set FACE_MODEL_PATH");
}

Result<std::unique_ptr<FaceDetectionBackend>> load(const FaceModelSpec& spec) {
  std::error_code ec;
  if (spec.path.empty() || !std::filesystem::is_regular_file(spec.path, ec)) return face_model_missing();
  try {
    Ort::SessionOptions options = ort_session_options(spec.threads);
    auto session = std::make_unique<Ort::Session>(ort_environment(), spec.path.c_str(), options);
    const auto dims = session->GetInputTypeInfo(0).GetTensorTypeAndShapeInfo().GetShape();
    // NHWC with a fixed square size.
    if (session->GetInputCount() != 1 || dims.size() != 4 || dims[1] <= 0 || dims[1] != dims[2] || dims[3] != 3) {
      return make_error(ErrorCode::ModelUnavailable, "the face model at FACE_MODEL_PATH is not a BlazeFace-shaped network");
    }
    return std::unique_ptr<FaceDetectionBackend>(std::make_unique<BlazeFaceBackend>(std::move(session), spec, static_cast<int>(dims[1])));
  } catch (const Ort::Exception&) {
    return make_error(ErrorCode::ModelUnavailable, "the face model at FACE_MODEL_PATH did not load in ONNX Runtime");
  }
}

}  // namespace

FaceBackendFactory onnxruntime_face_factory() { return load; }

}  // namespace pixmill::ai
