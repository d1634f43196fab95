#pragma once
// Face detection: a small detector network (BlazeFace, 256x256) run over an image
// pyramid of overlapping tiles, so that faces from a few dozen pixels up to the whole
// frame are found, then merged by non-maximum suppression. The network runs behind
// FaceDetectionBackend (ONNX Runtime: onnxruntime_faces.cpp); the tiling and merging
// here know nothing of the runtime, so they are tested with a fake backend.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ai/mask.h"
#include "core/result.h"

namespace pixmill::ai {

// A face in pixels of the image it was found in.
struct FaceBox {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  double score = 0;  // 0..1
};

struct FaceModelSpec {
  std::string path;       // the detector's ONNX file
  int threads = 0;        // 0 = all cores
  double min_score = 0.6; // detections below are dropped
};

struct FaceSearchLimits {
  int max_side = 2048;     // the image is first shrunk to at most this (longest side)
  int min_tile = 256;      // the smallest tile, in pixels of the shrunk image (sets the smallest face)
  int max_tiles = 160;     // a bound on inferences per image
  double nms_iou = 0.3;    // overlapping detections of one face are merged above this IoU
};

// One square tile in (the detector's input size), faces out in tile pixels.
class FaceDetectionBackend {
 public:
  virtual ~FaceDetectionBackend() = default;
  virtual int input_size() const = 0;
  // `tile` is input_size() x input_size().
  virtual Result<std::vector<FaceBox>> detect_tile(const RgbImage& tile) = 0;
  // A whole image: find_faces() over this backend's tiles (virtual so that pixmill_ai need not link the tiling).
  virtual Result<std::vector<FaceBox>> find(const RgbImage& image, const FaceSearchLimits& limits);
};

using FaceBackendFactory = std::function<Result<std::unique_ptr<FaceDetectionBackend>>(const FaceModelSpec&)>;

// Every face in `image`, in its pixels, best first. Errors are the backend's.
Result<std::vector<FaceBox>> find_faces(FaceDetectionBackend& backend, const RgbImage& image, const FaceSearchLimits& limits);

// Intersection over union of two boxes (0 when either is empty).
double box_iou(const FaceBox& a, const FaceBox& b);

}  // namespace pixmill::ai
