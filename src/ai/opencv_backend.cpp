#include "ai/opencv_backend.h"

#include "ai/model_spec.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace pixmill::ai {
namespace {

class OpenCvBackend final : public SegmentationBackend {
 public:
  OpenCvBackend(cv::dnn::Net net, ModelSpec spec) : net_(std::move(net)), spec_(std::move(spec)) {}

  Result<Mask> infer(const RgbImage& image) override {
    if (image.width <= 0 || image.height <= 0 || image.pixels.size() != size_t(image.width) * image.height * 3) {
      return make_error(ErrorCode::Internal, "segmentation input is malformed");
    }
    try {
      // cv::Mat does not own `pixels`; nothing here outlives this call.
      const cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
      cv::Mat resized;
      // Stretched to the square input with bilinear interpolation, as IMG.LY's
      // tensorResizeBilinear() does (the aspect ratio is not kept; the mask is
      // stretched back the same way).
      cv::resize(rgb, resized, cv::Size(spec_.input_size, spec_.input_size), 0, 0, cv::INTER_LINEAR);
      cv::Mat input;
      resized.convertTo(input, CV_32FC3, 1.0 / 255);
      const Normalization& n = spec_.normalization;
      input -= cv::Scalar(n.mean[0], n.mean[1], n.mean[2]);
      cv::divide(input, cv::Scalar(n.std[0], n.std[1], n.std[2]), input);
      // Already R,G,B: no channel swap; blobFromImage only makes it planar NCHW.
      net_.setInput(cv::dnn::blobFromImage(input, 1.0, cv::Size(), cv::Scalar(), false, false, CV_32F));
      cv::Mat out = net_.forward();
      return to_mask(out);
    } catch (const cv::Exception&) {
      return make_error(ErrorCode::ProcessingFailed, "the segmentation model failed on this image");
    }
  }

 private:
  static Result<Mask> to_mask(const cv::Mat& out) {
    if (out.dims < 2 || out.type() != CV_32F) return make_error(ErrorCode::ProcessingFailed, "the segmentation model gave no mask");
    Mask mask;
    mask.height = out.size[out.dims - 2];
    mask.width = out.size[out.dims - 1];
    const size_t count = size_t(mask.width) * mask.height;
    if (count == 0 || out.total() < count) return make_error(ErrorCode::ProcessingFailed, "the segmentation model gave no mask");
    const float* data = out.ptr<float>();
    mask.values.assign(data, data + count);  // the first channel: the final mask
    // Models that end in a sigmoid (ISNet, U2-Net) give probabilities; others give
    // logits (BiRefNet exports): squash those.
    const auto [lo, hi] = std::minmax_element(mask.values.begin(), mask.values.end());
    const bool logits = *lo < -0.01f || *hi > 1.01f;
    for (float& v : mask.values) {
      if (logits) v = 1.0f / (1.0f + std::exp(-v));
      v = std::clamp(std::isfinite(v) ? v : 0.0f, 0.0f, 1.0f);
    }
    return mask;
  }

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
