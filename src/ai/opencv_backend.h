#pragma once
// The CPU backend: OpenCV's DNN module (Debian's libopencv-dnn 4.6) running an ONNX
// segmentation model. Only opencv_backend.cpp includes OpenCV (its own static library).

#include "ai/backend.h"

namespace pixmill::ai {

BackendFactory opencv_backend_factory();

}  // namespace pixmill::ai
