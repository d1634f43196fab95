#pragma once
// A segmentation backend: one loaded model that turns an image into a mask. The
// Segmenter owns one backend per AI worker (a loaded network is not thread-safe), so a
// backend need not lock. OpenCV DNN on CPU is the one we ship (opencv_backend.h); a
// CUDA or ONNX Runtime backend is another implementation of this interface plus a
// factory choice in app/, with no change to the pipeline or the dialects.

#include <functional>
#include <memory>
#include <string>

#include "ai/mask.h"
#include "core/result.h"

namespace pixmill::ai {

// How the model wants its pixels: value = (pixel/255 - mean) / std per channel, in
// R,G,B order. ISNet as IMG.LY runs it is mean 128/255, std 256/255 (see model_spec.cpp).
struct Normalization {
  float mean[3] = {0.5f, 0.5f, 0.5f};
  float std[3] = {1.0f, 1.0f, 1.0f};
};

struct ModelSpec {
  std::string path;        // the ONNX file
  int input_size = 1024;   // square input: the image is stretched to input_size x input_size
  Normalization normalization;
  int threads = 0;         // CPU threads for one inference; 0 = the library's default (all cores)
};

class SegmentationBackend {
 public:
  virtual ~SegmentationBackend() = default;
  // Any size in; a mask at the model's output resolution out. Failures are typed.
  virtual Result<Mask> infer(const RgbImage& image) = 0;
};

// Loads the model (a file that is missing or does not load is MODEL_UNAVAILABLE).
using BackendFactory = std::function<Result<std::unique_ptr<SegmentationBackend>>(const ModelSpec&)>;

}  // namespace pixmill::ai
