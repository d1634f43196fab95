#include "ai/opencv_backend.h"

#include "ai/model_spec.h"
#include "ai/tensor_io.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <mutex>

namespace pixmill::ai {
namespace {

class OpenCvBackend final : public SegmentationBackend {
 public:
  OpenCvBackend(cv::dnn::Net net, ModelSpec spec) : net_(std::move(net)), spec_(std::move(spec)) {}

  Result<Mask> infer(const RgbImage& image) override {
    if (!well_formed(image)) return make_error(ErrorCode::Internal, "segmentation input is malformed");
    try {
      std::vector<float> tensor = input_tensor(image, spec_.input_size, spec_.normalization);
      const int dims[4] = {1, 3, spec_.input_size, spec_.input_size};
      net_.setInput(cv::Mat(4, dims, CV_32F, tensor.data()));
      cv::Mat out = net_.forward();
      if (out.type() != CV_32F) return make_error(ErrorCode::ProcessingFailed, "the segmentation model gave no mask");
      return mask_from_output(out.ptr<float>(), out.total(), std::vector<int64_t>(out.size.p, out.size.p + out.dims));
    } catch (const cv::Exception&) {
      return make_error(ErrorCode::ProcessingFailed, "the segmentation model failed on this image");
    }
  }

 private:
  cv::dnn::Net net_;
  ModelSpec spec_;
};

Result<std::unique_ptr<SegmentationBackend>> load(const ModelSpec& spec) {
  if (!model_file_present(spec)) return model_not_installed_error();
  if (spec.threads > 0) {
    static std::once_flag once;  // a process-wide setting of OpenCV's thread pool
    std::call_once(once, [&] { cv::setNumThreads(spec.threads); });
  }
  try {
    cv::dnn::Net net = cv::dnn::readNetFromONNX(spec.path);
    if (net.empty()) throw cv::Exception();
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return std::unique_ptr<SegmentationBackend>(std::make_unique<OpenCvBackend>(std::move(net), spec));
  } catch (const cv::Exception&) {
    return make_error(ErrorCode::ModelUnavailable,
                      "the segmentation model at MODEL_PATH did not load (OpenCV needs an fp32 ONNX model): "
                      "run `make model` (scripts/install-model.sh) or point MODEL_PATH at a compatible model");
  }
}

}  // namespace

BackendFactory opencv_backend_factory() { return load; }

}  // namespace pixmill::ai
