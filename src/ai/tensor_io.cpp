#include "ai/tensor_io.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace pixmill::ai {

bool well_formed(const RgbImage& image) {
  return image.width > 0 && image.height > 0 && image.pixels.size() == size_t(image.width) * image.height * 3;
}

std::vector<float> input_tensor(const RgbImage& image, int size, const Normalization& n) {
  // cv::Mat does not own `pixels`; nothing here outlives this call.
  const cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
  cv::Mat resized;
  cv::resize(rgb, resized, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
  cv::Mat scaled;
  resized.convertTo(scaled, CV_32FC3, 1.0 / 255);
  scaled -= cv::Scalar(n.mean[0], n.mean[1], n.mean[2]);
  cv::divide(scaled, cv::Scalar(n.std[0], n.std[1], n.std[2]), scaled);
  const size_t plane = size_t(size) * size;
  std::vector<float> tensor(plane * 3);
  // Already R,G,B: split into planes in that order, no channel swap.
  std::vector<cv::Mat> planes;
  for (int c = 0; c < 3; ++c) planes.emplace_back(size, size, CV_32F, tensor.data() + c * plane);
  cv::split(scaled, planes);
  return tensor;
}

Result<Mask> mask_from_output(const float* values, size_t available, const std::vector<int64_t>& shape) {
  if (shape.size() < 2 || values == nullptr) return make_error(ErrorCode::ProcessingFailed, "the segmentation model gave no mask");
  Mask mask;
  mask.height = static_cast<int>(shape[shape.size() - 2]);
  mask.width = static_cast<int>(shape[shape.size() - 1]);
  const size_t count = size_t(std::max(mask.width, 0)) * std::max(mask.height, 0);
  if (count == 0 || available < count) return make_error(ErrorCode::ProcessingFailed, "the segmentation model gave no mask");
  mask.values.assign(values, values + count);
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

}  // namespace pixmill::ai
