#pragma once
// Decoding MediaPipe BlazeFace's raw outputs (the 256x256 "back camera" model): 896
// anchors on a 16x16 grid (2 per cell) and an 8x8 grid (6 per cell), each with a score
// logit and 16 regressors (box centre offset and size, then 6 keypoints, in input
// pixels). The anchors are MediaPipe's SSD anchors with a fixed size of 1; no library
// ships this decoding, so it is written here (and unit-tested and fuzzed).

#include <cstddef>
#include <span>
#include <vector>

#include "ai/face_detector.h"

namespace pixmill::ai::blazeface {

// One output layer: `count` anchors of a `grid` x `grid` map, scores[count] and
// boxes[count * 16], in the order MediaPipe writes them (row, column, anchor).
struct Layer {
  int grid = 0;
  std::span<const float> scores;
  std::span<const float> boxes;
};

// Boxes with sigmoid(score) >= min_score, in pixels of the `input_size` square input.
// Layers whose sizes do not fit (count != grid * grid * k) are an error, never a read
// past the end.
Result<std::vector<FaceBox>> decode(const std::vector<Layer>& layers, int input_size, double min_score);

}  // namespace pixmill::ai::blazeface
