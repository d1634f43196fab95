#pragma once
// The default CPU backend: Microsoft's ONNX Runtime (from the npm registry, see
// cmake/OnnxRuntime.cmake) running an ONNX segmentation model. About twice as fast as
// OpenCV 4.6's DNN module on ISNet, and it runs models whose input size is not fixed,
// so the internal resolution is a setting (MODEL_INPUT_SIZE). Only
// onnxruntime_backend.cpp includes ONNX Runtime.

#include "ai/backend.h"

namespace pixmill::ai {

BackendFactory onnxruntime_backend_factory();

}  // namespace pixmill::ai
